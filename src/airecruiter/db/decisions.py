"""People's decisions on applications: append-only, the newest row is the current decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

_INSERT_DECISION = text("""
    INSERT INTO decisions (application_id, decision, reason_code, note, decided_by)
    VALUES (:application_id, :decision, :reason_code, :note, :decided_by)
    RETURNING id, application_id, decision, reason_code, note, decided_by, decided_at
""")
_SELECT_HISTORY = text("""
    SELECT id, application_id, decision, reason_code, note, decided_by, decided_at
      FROM decisions WHERE application_id = :application_id
     ORDER BY decided_at DESC, id DESC LIMIT :limit
""")


@dataclass(frozen=True)
class DecisionRecord:
    """One decision a person recorded."""

    id: int
    application_id: int
    decision: str
    reason_code: str
    note: str | None
    decided_by: str
    decided_at: datetime


def _record(row: Row[Any]) -> DecisionRecord:
    return DecisionRecord(**row._mapping)


async def insert_decision(
    conn: AsyncConnection,
    *,
    application_id: int,
    decision: str,
    reason_code: str,
    note: str | None,
    decided_by: str,
) -> DecisionRecord:
    """Append a decision; it becomes the application's current one."""
    row = (
        await conn.execute(
            _INSERT_DECISION,
            {
                "application_id": application_id,
                "decision": decision,
                "reason_code": reason_code,
                "note": note,
                "decided_by": decided_by,
            },
        )
    ).one()
    return _record(row)


async def decision_history(conn: AsyncConnection, *, application_id: int, limit: int = 100) -> list[DecisionRecord]:
    """The application's decisions, newest (the current one) first."""
    rows = await conn.execute(_SELECT_HISTORY, {"application_id": application_id, "limit": limit})
    return [_record(row) for row in rows]


async def current_decision(conn: AsyncConnection, *, application_id: int) -> DecisionRecord | None:
    """The application's newest decision, or None when no one has decided."""
    history = await decision_history(conn, application_id=application_id, limit=1)
    return history[0] if history else None
