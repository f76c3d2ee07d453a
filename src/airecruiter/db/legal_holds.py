"""Legal holds: while one is live on an application or its requisition, nothing of it is deleted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection


@dataclass(frozen=True)
class LegalHold:
    """One hold, live until released."""

    id: int
    application_id: int | None
    requisition_id: int | None
    reason: str
    placed_by: str
    placed_at: dt.datetime
    released_by: str | None
    released_at: dt.datetime | None


_PLACE = text("""
    INSERT INTO legal_holds (application_id, requisition_id, reason, placed_by)
    VALUES (:application_id, :requisition_id, :reason, :placed_by) RETURNING id
""")
_RELEASE = text("""
    UPDATE legal_holds SET released_by = :released_by, released_at = now()
     WHERE id = :hold_id AND released_at IS NULL
    RETURNING id, application_id, requisition_id, reason, placed_by, placed_at, released_by, released_at
""")
_LIVE = text("""
    SELECT id, application_id, requisition_id, reason, placed_by, placed_at, released_by, released_at
      FROM legal_holds WHERE released_at IS NULL ORDER BY placed_at, id
""")
_BLOCKING = text("""
    SELECT DISTINCT h.id, h.application_id, h.requisition_id, h.reason, h.placed_by, h.placed_at,
           h.released_by, h.released_at
      FROM legal_holds h
      JOIN applications a ON a.id = h.application_id OR a.requisition_id = h.requisition_id
     WHERE h.released_at IS NULL AND a.id = ANY(:application_ids)
     ORDER BY h.id
""")


async def place_hold(
    conn: AsyncConnection, *, reason: str, placed_by: str, application_id: int | None, requisition_id: int | None
) -> int:
    """Place a hold on exactly one application or one requisition; returns its id."""
    if (application_id is None) == (requisition_id is None):
        raise ValueError("a legal hold is on one application or one requisition")
    if not reason.strip():
        raise ValueError("a legal hold needs a reason")
    params = {
        "application_id": application_id,
        "requisition_id": requisition_id,
        "reason": reason.strip(),
        "placed_by": placed_by,
    }
    return int((await conn.execute(_PLACE, params)).scalar_one())


async def release_hold(conn: AsyncConnection, *, hold_id: int, released_by: str) -> LegalHold | None:
    """Lift a live hold; None when there is no live hold with that id."""
    row = (await conn.execute(_RELEASE, {"hold_id": hold_id, "released_by": released_by})).one_or_none()
    return None if row is None else LegalHold(**row._mapping)


async def live_holds(conn: AsyncConnection) -> list[LegalHold]:
    """Every hold not yet released, oldest first."""
    return [LegalHold(**row._mapping) for row in await conn.execute(_LIVE)]


async def holds_on(conn: AsyncConnection, application_ids: list[int]) -> list[LegalHold]:
    """The live holds that cover any of these applications (directly or through their requisition)."""
    rows = await conn.execute(_BLOCKING, {"application_ids": application_ids})
    return [LegalHold(**row._mapping) for row in rows]
