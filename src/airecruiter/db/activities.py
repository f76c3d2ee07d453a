"""The append-only activity log: every status change, external action and operator action."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.json_columns import to_json
from airecruiter.domain.activity_details import ActivityDetails

_INSERT_ACTIVITY = text("""
    INSERT INTO activities (actor, action, requisition_id, application_id, queue_item_id, details)
    VALUES (:actor, :action, :requisition_id, :application_id, :queue_item_id, CAST(:details AS jsonb))
    RETURNING id
""")


async def record_activity(
    conn: AsyncConnection,
    *,
    actor: str,
    details: ActivityDetails,
    requisition_id: int | None = None,
    application_id: int | None = None,
    queue_item_id: int | None = None,
) -> int:
    """Append one entry to the activity log inside the caller's transaction; `details` names the action."""
    if not details.ACTION:
        raise TypeError(f"{type(details).__name__} names no action; record one of its subclasses")
    new_id = await conn.scalar(
        _INSERT_ACTIVITY,
        {
            "actor": actor,
            "action": details.ACTION,
            "requisition_id": requisition_id,
            "application_id": application_id,
            "queue_item_id": queue_item_id,
            "details": to_json(details.to_json()),
        },
    )
    assert new_id is not None
    return int(new_id)
