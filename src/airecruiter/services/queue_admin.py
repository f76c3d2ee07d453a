"""Queue administration: retry, skip and cancel queue items, one or many, each in the activity log.

The queue does the work (`queue.operations`); this module adds the recruiting activity log, written
in the same transaction as each item's change, so an action and its record stand or fall together.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.activities import record_activity
from airecruiter.domain.activity_details import ActivityDetails
from airecruiter.domain.console_activity import QueueItemCancelled, QueueItemRetried, QueueItemSkipped
from airecruiter.errors import ValidationError
from airecruiter.queue.jobs import Priority
from airecruiter.queue.manager import QueueManager
from airecruiter.queue.operations import AuditHook, BulkOutcome, ItemAction, QueueItemView, QueueOperations


def _logged(actor: str, *, reason_given: bool = False) -> AuditHook:
    """An audit hook recording what happened to each item (`queue_item_<action>`) by `actor`.

    An operator's reason for a skip is kept in the item's history (`job_runs.error`), not in the
    activity log, which holds no free text (DATA-LIFECYCLE: ids, field names, counts, classes).
    """

    async def audit(conn: AsyncConnection, done: ItemAction) -> None:
        item = done.item
        details: ActivityDetails
        if done.action == "retried":
            details = QueueItemRetried(job_type=item.job_type, now_item=done.now_item)
        elif done.action == "cancelled":
            details = QueueItemCancelled(job_type=item.job_type, was=item.status)
        else:
            details = QueueItemSkipped(job_type=item.job_type, reason_given=reason_given)
        await record_activity(
            conn,
            actor=actor,
            application_id=item.application_id,
            requisition_id=item.requisition_id,
            queue_item_id=item.id,
            details=details,
        )

    return audit


async def retry(ops: QueueOperations, item_id: int, *, actor: str) -> QueueItemView:
    """Send a dead (or skipped) item back to the queue with manual priority; the item now carrying the job."""
    return await ops.retry(item_id, actor=actor, audit=_logged(actor))


async def skip(ops: QueueOperations, item_id: int, *, actor: str, reason: str = "") -> None:
    """End a dead item as skipped, with the operator's reason in the log."""
    await ops.skip(item_id, actor=actor, reason=reason, audit=_logged(actor, reason_given=bool(reason.strip())))


async def cancel(ops: QueueOperations, item_id: int, *, actor: str) -> str:
    """Cancel a waiting or running item; a sentence saying what happened."""
    return await ops.cancel(item_id, actor=actor, audit=_logged(actor))


async def retry_many(ops: QueueOperations, item_ids: Sequence[int], *, actor: str) -> BulkOutcome:
    """Retry each item in its own transaction; a refused item does not stop the rest."""
    return await ops.retry_many(item_ids, actor=actor, audit=_logged(actor))


async def skip_many(ops: QueueOperations, item_ids: Sequence[int], *, actor: str, reason: str = "") -> BulkOutcome:
    """Skip each item in its own transaction; a refused item does not stop the rest."""
    return await ops.skip_many(
        item_ids, actor=actor, reason=reason, audit=_logged(actor, reason_given=bool(reason.strip()))
    )


async def enqueue_now(
    queue: QueueManager,
    job_type: str,
    *,
    known: Collection[str],
    application_id: int | None,
    requisition_id: int | None,
    actor: str,
) -> str:
    """Queue a job of a known type with manual priority (a live twin is lifted instead); a sentence."""
    if job_type not in known:
        raise ValidationError(f"Unknown job type {job_type!r}; use one of {', '.join(sorted(known))}.")
    try:
        result = await queue.enqueue(
            job_type,
            application_id=application_id,
            requisition_id=requisition_id,
            priority=Priority.MANUAL,
            enqueued_by=actor,
        )
    except IntegrityError as exc:
        subject = f"application {application_id}" if application_id is not None else f"requisition {requisition_id}"
        raise ValidationError(f"There is no {subject}; check the id and try again.") from exc
    if result.created:
        return f"Queued item {result.id}."
    if result.id is not None:
        return f"Item {result.id} was already queued; it now has manual priority."
    return "The same job is already queued or running."
