"""`airecruiter candidates export`: answer a candidate's access request with a ZIP of everything we hold."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from airecruiter.bootstrap import Application
from airecruiter.cli.common import console, err_console, settings_or_exit, shown, with_runtime
from airecruiter.services.candidate_export import CandidateExport, export_candidate

ACTOR = "cli"


def export(
    candidate: Annotated[str, typer.Option("--candidate", help="The candidate's Workday id (not an application's).")],
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Where to write the ZIP (default: candidate-export-<time>.zip here)."),
    ] = None,
) -> None:
    """Write a ZIP of everything held about a candidate (records, transcript, résumés, reports) and register it."""
    settings = settings_or_exit()
    if output is not None and output.exists():
        err_console.print(f"[red]{shown(output)} exists already; choose another --output.[/red]", soft_wrap=True)
        raise typer.Exit(2)

    async def action(runtime: Application) -> CandidateExport:
        return await export_candidate(runtime.engine, runtime.adapters.storage, candidate_id=candidate, actor=ACTOR)

    made = with_runtime(settings, action, pipeline=False)
    target = output or Path(made.filename)
    _write_private(target, made.data)
    console.print(
        f"Wrote [bold]{shown(target)}[/bold]: {len(made.application_ids)} application(s), {made.records} records, "
        f"{made.files} file(s){f', {made.missing_files} no longer in storage' if made.missing_files else ''}. "
        f"Registered as access request {made.request_id}.",
        soft_wrap=True,
    )


def _write_private(path: Path, data: bytes) -> None:
    # The archive is personal data: readable by its owner only, never an existing file overwritten.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
