"""`airecruiter queue …`: look at the queue and act on it from a terminal."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.table import Table

from airecruiter.bootstrap import Application
from airecruiter.cli.common import add_plain_row, console, settings_or_exit, shown, with_runtime
from airecruiter.processors.registry import PIPELINE_JOB_TYPES
from airecruiter.queue.failures import FailureGroup
from airecruiter.queue.jobs import Priority
from airecruiter.queue.operations import QueueItemView
from airecruiter.services import queue_admin

queue_app = typer.Typer(help="Inspect and operate the job queue.", no_args_is_help=True)
ACTOR = "cli"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def _subject(item: QueueItemView) -> str:
    if item.application_id is not None:
        return f"application {item.application_id}"
    return f"requisition {item.requisition_id}" if item.requisition_id is not None else "all"


def _items_table(title: str, items: list[QueueItemView]) -> Table:
    table = Table(title=title, show_lines=False)
    for column in ("id", "job", "subject", "state", "priority", "attempts", "due", "last error"):
        table.add_column(column, overflow="fold")
    for item in items:
        add_plain_row(
            table,
            str(item.id),
            item.job_type,
            _subject(item),
            item.status,
            Priority(item.priority).name.lower()
            if item.priority in Priority._value2member_map_
            else str(item.priority),
            f"{item.attempts}/{item.max_attempts}",
            _when(item.scheduled_for),
            (item.last_error or "")[:120],
        )
    return table


@queue_app.command("list")
def list_items(
    state: str | None = typer.Option(None, help="pending, running, failed, dead or skipped"),
    job_type: str | None = typer.Option(None, "--type", help="Only this job type."),
    limit: int = typer.Option(50, min=1, max=1000),
    offset: int = typer.Option(0, min=0),
) -> None:
    """List queue items with counts per state."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> tuple[dict[str, int], list[QueueItemView]]:
        items = await runtime.operations.list_items(status=state, job_type=job_type, limit=limit, offset=offset)
        return await runtime.operations.counts(), items

    counts, items = with_runtime(settings, action)
    console.print("  ".join(f"{k}: [bold]{v}[/bold]" for k, v in counts.items()))
    console.print(_items_table("Queue", items) if items else "No items match.")


@queue_app.command("dead")
def dead(
    limit: int = typer.Option(50, min=1, max=1000),
    causes_only: bool = typer.Option(False, "--causes", help="Only the causes, not every item."),
) -> None:
    """The dead letter: its causes with a count, then the items with each attempt's error."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> tuple[list[FailureGroup], list[tuple[QueueItemView, list[str]]]]:
        groups = await runtime.operations.dead_letter_groups()
        items = [] if causes_only else await runtime.operations.list_items(status="dead", limit=limit)
        return groups, [
            (
                item,
                [
                    f"attempt {r.attempt} {r.outcome} {_when(r.finished_at)}: {r.error or ''}"
                    for r in await runtime.operations.history(item.id)
                ],
            )
            for item in items
        ]

    groups, rows = with_runtime(settings, action)
    if not groups:
        console.print("The dead letter is empty.")
        return
    table = Table(title="Dead letter by cause")
    for column in ("items", "job type", "error", "last", "item ids"):
        table.add_column(column)
    for group in groups:
        ids = ", ".join(str(i) for i in group.item_ids[:10]) + (" …" if group.count > 10 else "")
        table.add_row(str(group.count), group.identity.job_type, group.identity.error_class, _when(group.last_at), ids)
    console.print(table)
    for group in groups:
        console.print(f"- {shown(group.sentence)}", markup=False)
    if rows:
        console.print(_items_table("Dead letter", [item for item, _ in rows]))
    for item, history in rows:
        console.print(f"[bold]#{item.id}[/bold] {item.job_type} {shown(_subject(item))}")
        for line in history:
            console.print(f"   {line}", markup=False)


@queue_app.command("retry")
def retry(item_id: int) -> None:
    """Send a dead item back to the queue with its attempts reset and manual priority."""
    settings = settings_or_exit()
    item = with_runtime(settings, lambda rt: queue_admin.retry(rt.operations, item_id, actor=ACTOR))
    console.print(f"Item {item.id} ({item.job_type}, {shown(_subject(item))}) is {item.status} again.")


@queue_app.command("skip")
def skip(item_id: int, reason: str = typer.Option("", help="Why, for the activity log.")) -> None:
    """Mark a dead item as skipped; it will not be retried."""
    settings = settings_or_exit()
    with_runtime(settings, lambda rt: queue_admin.skip(rt.operations, item_id, actor=ACTOR, reason=reason))
    console.print(f"Item {item_id} is skipped.")


@queue_app.command("cancel")
def cancel(item_id: int) -> None:
    """Cancel a pending, failed or running item."""
    settings = settings_or_exit()
    outcome = with_runtime(settings, lambda rt: queue_admin.cancel(rt.operations, item_id, actor=ACTOR))
    console.print(f"Item {item_id}: {outcome}.")


@queue_app.command("enqueue")
def enqueue(
    job_type: str,
    application: int | None = typer.Option(None, "--application", help="Application id."),
    requisition: int | None = typer.Option(None, "--requisition", help="Requisition id."),
) -> None:
    """Queue a job now with manual priority (deduplicated against live items)."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> str:
        return await queue_admin.enqueue_now(
            runtime.queue,
            job_type,
            known=set(PIPELINE_JOB_TYPES) | set(runtime.registry),
            application_id=application,
            requisition_id=requisition,
            actor=ACTOR,
        )

    console.print(with_runtime(settings, action))
