"""`airecruiter fairness …`: check a prompt version against the built-in counterfactual suite."""

from __future__ import annotations

import asyncio
import time

import typer
from rich.table import Table

from airecruiter.bootstrap import Application
from airecruiter.bootstrap.assembly import fairness_runner
from airecruiter.cli.common import add_plain_row, console, settings_or_exit, with_runtime
from airecruiter.db.fairness_checks import FairnessCheck
from airecruiter.domain.jobs import JobType
from airecruiter.domain.prompt_defaults import PROMPT_TYPES
from airecruiter.errors import ValidationError
from airecruiter.processors.registry import fairness_processors
from airecruiter.queue.jobs import LIVE_STATES
from airecruiter.queue.worker import Worker
from airecruiter.services.fairness import fairness_check, request_fairness_check

fairness_app = typer.Typer(help="Fairness checks of prompt versions.", no_args_is_help=True)

CLI_ACTOR = "cli"
POLL_SECONDS = 0.5
PROGRESS_SECONDS = 10.0


@fairness_app.command("check")
def check(
    prompt_version: int | None = typer.Option(
        None, "--prompt-version", help="The version to check (default: the active one)."
    ),
    requisition: int | None = typer.Option(
        None, "--requisition", help="Check the prompt this requisition uses (its own, else the global one)."
    ),
    prompt_type: str = typer.Option("resume_analysis", "--type", help=f"The prompt: {', '.join(PROMPT_TYPES)}."),
    timeout: float = typer.Option(1800.0, "--timeout", help="Seconds to wait for the check before giving up."),
) -> None:
    """Run the counterfactual suite through the redaction and the model as a queued job; exit 1 when it fails."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> FairnessCheck:
        check_id = await request_fairness_check(
            runtime.engine,
            runtime.queue,
            prompt_type=prompt_type,
            version=prompt_version,
            requisition_id=requisition,
            actor=CLI_ACTOR,
        )
        console.print(f"Fairness check {check_id} queued; running it here (another worker may take it first)…")
        return await _wait_running(runtime, check_id, timeout)

    result = with_runtime(settings, action, pipeline=False)
    _print(result)
    raise typer.Exit(0 if result.passed else 1)


async def _wait_running(runtime: Application, check_id: int, wait_seconds: float) -> FairnessCheck:
    """Run a worker for fairness checks in this process until the check is done (or the timeout)."""
    registry = fairness_processors(fairness_runner(runtime.settings, runtime.database, runtime.adapters))
    stop = asyncio.Event()
    worker = Worker(runtime.queue, registry, runtime.worker_config(), name=f"fairness-cli-{check_id}")
    task = asyncio.create_task(worker.run(stop))
    started = time.monotonic()
    said = started
    try:
        while True:
            current = await fairness_check(runtime.engine, check_id)
            if current is not None and current.done:
                return current
            if task.done():
                task.result()  # the worker's own error, if it stopped with one
                raise ValidationError("The worker stopped before the fairness check finished; see the queue.")
            if current is not None and not await _job_alive(runtime, current.requisition_id):
                raise ValidationError(
                    f"The job of fairness check {check_id} ended without finishing it: see `airecruiter queue dead`."
                )
            now = time.monotonic()
            if now - started > wait_seconds:
                raise ValidationError(
                    f"Fairness check {check_id} did not finish within {wait_seconds:.0f} s; "
                    "it stays queued: see `airecruiter queue list`."
                )
            if now - said >= PROGRESS_SECONDS:
                said = now
                console.print(f"… still running ({now - started:.0f} s)", markup=False)
            await asyncio.sleep(POLL_SECONDS)
    finally:
        stop.set()
        await task


async def _job_alive(runtime: Application, requisition_id: int | None) -> bool:
    """Whether a fairness_check item of this scope is still waiting, running or due for a retry."""
    for state in LIVE_STATES:
        items = await runtime.operations.list_items(
            status=state, job_type=JobType.FAIRNESS_CHECK.value, requisition_id=requisition_id, limit=1
        )
        if items:
            return True
    return False


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _print(check: FairnessCheck) -> None:
    scope = "global" if check.requisition_id is None else f"requisition {check.requisition_id}"
    console.print(
        f"{check.prompt_type} prompt v{check.prompt_version} ({scope}) · {check.provider}/{check.model} · "
        f"{check.pairs} pairs",
        markup=False,
    )
    console.print(
        f"Identical model input: {_rate(check.identity_rate)} overall, {_rate(check.resume_identity_rate)} résumés, "
        f"{_rate(check.interview_identity_rate)} interview answers",
        markup=False,
    )
    if check.offline:
        console.print(
            "OFFLINE SCORER: only input identity is meaningful; score differences are not evidence.", markup=False
        )
    table = Table(title="Where the model input differed: score differences b − a (|Δ| mean, max, Wilcoxon p)")
    for column in (
        "family",
        "pairs",
        "same",
        "risk n",
        "risk |Δ|",
        "risk max",
        "risk p",
        "ovr n",
        "ovr |Δ|",
        "ovr max",
        "ovr p",
    ):
        table.add_column(column)
    for f in check.families:
        add_plain_row(
            table,
            f.family,
            f.pairs,
            f.identical,
            f.risk.n,
            f"{f.risk.mean_abs:.3f}",
            f"{f.risk.max_abs:.3f}",
            f"{f.risk.p_value:.3f}",
            f.overall.n,
            f"{f.overall.mean_abs:.2f}",
            f"{f.overall.max_abs:.2f}",
            f"{f.overall.p_value:.3f}",
        )
    console.print(table)
    for reason in check.reasons:
        console.print(f"- {reason}", markup=False)
    console.print("PASSED" if check.passed else "FAILED", markup=False)
