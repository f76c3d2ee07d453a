"""`airecruiter demographics import-demographics FILE`: an auditor's self-identification CSV.

(To move under `airecruiter audit` with the bias audit.)
"""

from __future__ import annotations

from pathlib import Path

import typer

from airecruiter.bootstrap import Application
from airecruiter.cli.common import console, settings_or_exit, with_runtime
from airecruiter.domain.demographics_import import OUR_ID, WORKDAY_ID
from airecruiter.services.demographics import ImportResult
from airecruiter.services.demographics import import_demographics as import_file

demographics_app = typer.Typer(help="Voluntary self-identification for the bias audit.", no_args_is_help=True)
ACTOR = "cli"


FILE_ARGUMENT = typer.Argument(
    ...,
    exists=True,
    dir_okay=False,
    readable=True,
    help=f"CSV with a header: {OUR_ID} (ours) or {WORKDAY_ID} (Workday's), sex, race_ethnicity.",
)


def import_demographics(file: Path = FILE_ARGUMENT) -> None:
    """Import self-identification from a CSV: every row or none; each replaces what the application had."""
    settings = settings_or_exit()
    try:
        data = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        console.print(f"{file.name} is not UTF-8 text; save it as CSV UTF-8 and try again.")
        raise typer.Exit(2) from None

    async def action(runtime: Application) -> ImportResult:
        return await import_file(runtime.engine, data, actor=ACTOR)

    result = with_runtime(settings, action, pipeline=False)
    console.print(
        f"Imported self-identification for {result.rows} applications "
        f"({result.created} new, {result.replaced} replaced)."
    )


demographics_app.command("import-demographics")(import_demographics)
