"""What a recruiter asks of one requisition: sync it now, change its settings; each in the activity log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.requisitions import RequisitionSettings, requisition_by_id, update_requisition_settings
from airecruiter.domain.console_activity import SyncRequested
from airecruiter.domain.jobs import JobType
from airecruiter.errors import ValidationError
from airecruiter.queue.jobs import Priority
from airecruiter.queue.manager import QueueManager
from airecruiter.services.applications import ActionOutcome

SYNC_REQUESTED = SyncRequested.ACTION


class RequisitionNotFoundError(ValidationError):
    """The requisition the action names does not exist."""


async def sync_now(engine: AsyncEngine, queue: QueueManager, *, requisition_id: int, actor: str) -> ActionOutcome:
    """Queue this requisition's sync with manual priority (a waiting one is lifted, never doubled)."""
    async with engine.begin() as conn:
        requisition = await requisition_by_id(conn, requisition_id=requisition_id)
        if requisition is None:
            raise RequisitionNotFoundError(
                f"There is no requisition {requisition_id}. It may never have been synced; "
                "go back to the requisitions list and pick one from there."
            )
        if not requisition.active:
            raise ValidationError(
                "This requisition is inactive, so it is not synced. Mark it active in its settings first, then sync it."
            )
        result = await queue.enqueue(
            JobType.SYNC, requisition_id=requisition_id, priority=Priority.MANUAL, enqueued_by=actor, conn=conn
        )
        await record_activity(
            conn,
            actor=actor,
            requisition_id=requisition_id,
            queue_item_id=result.id,
            details=SyncRequested(created=result.created),
        )
    if result.created:
        message = f"Sync queued with manual priority (queue item {result.id}); a worker picks it up next."
    elif result.id is not None:
        message = f"A sync was already waiting (queue item {result.id}); it now has manual priority."
    else:
        message = "A sync of this requisition is already queued or running; nothing more was added."
    return ActionOutcome(result.id, result.created, message)


async def save_settings(
    engine: AsyncEngine, *, requisition_id: int, settings: RequisitionSettings, actor: str
) -> dict[str, dict[str, Any]]:
    """Save the settings with their activity entry in one transaction; what changed ({} when nothing did)."""
    async with engine.begin() as conn:
        changes = await update_requisition_settings(conn, requisition_id=requisition_id, settings=settings, actor=actor)
    if changes is None:
        raise RequisitionNotFoundError(f"There is no requisition {requisition_id}, so nothing was saved.")
    return changes
