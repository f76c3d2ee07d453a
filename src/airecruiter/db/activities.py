"""The append-only activity log: every status change, external action and operator action."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_INSERT_ACTIVITY = text("""
    INSERT INTO activities (actor, action, requisition_id, application_id, queue_item_id, details)
    VALUES (:actor, :action, :requisition_id, :application_id, :queue_item_id, CAST(:details AS jsonb))
    RETURNING id
""")


async def record_activity(
    conn: AsyncConnection,
    *,
    actor: str,
    action: str,
    requisition_id: int | None = None,
    application_id: int | None = None,
    queue_item_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """Append one entry to the activity log inside the caller's transaction."""
    new_id = await conn.scalar(
        _INSERT_ACTIVITY,
        {
            "actor": actor,
            "action": action,
            "requisition_id": requisition_id,
            "application_id": application_id,
            "queue_item_id": queue_item_id,
            "details": json.dumps(details or {}, default=str),
        },
    )
    assert new_id is not None
    return int(new_id)
