"""`airecruiter workday …`: the operator's first-install check of the Workday tenant."""

from __future__ import annotations

import typer

from airecruiter.bootstrap import Application, check_workday
from airecruiter.bootstrap.workday import decision_rules
from airecruiter.cli.common import console, settings_or_exit, with_runtime

workday_app = typer.Typer(help="The Workday tenant: check the connection and its conventions.", no_args_is_help=True)

MARKS = {"ok": "ok", "info": "note", "warning": "WARNING", "problem": "PROBLEM"}


@workday_app.command("check")
def check(
    write_test: str | None = typer.Option(
        None,
        "--write-test",
        metavar="CANDIDATE_ID",
        help="Upload a small test PDF to this candidate to prove the upload permission (it writes to Workday).",
    ),
    open_status: str | None = typer.Option(
        None, "--open-status", help="Try this open-status ID instead of the one the client uses."
    ),
) -> None:
    """Token grant, open-status filter, one requisition and one candidate page, self-identification, upload."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> list[tuple[str, str, str]]:
        connection = runtime.workday_connection
        assert connection is not None  # built with workday=True
        findings = await check_workday(
            connection.client,
            runtime.engine,
            open_status=open_status,
            write_test_candidate=write_test,
            decisions=decision_rules(connection.settings(settings)),
        )
        return [(f.step, f.level, f.sentence) for f in findings]

    findings = with_runtime(settings, action, pipeline=False, workday=True)
    for step, level, sentence in findings:
        console.print(f"[{MARKS[level]}] {step}: {sentence}", markup=False, soft_wrap=True)
    problems = sum(1 for _, level, _ in findings if level == "problem")
    warnings = sum(1 for _, level, _ in findings if level == "warning")
    console.print(f"{problems} problem(s), {warnings} warning(s).", markup=False)
    if problems:
        raise typer.Exit(1)
