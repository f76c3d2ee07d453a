"""Read model of the request register: every candidate request, newest first, filtered by kind and status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.db.json_columns import from_json

OPEN_STATUSES = ("open", "on_hold")
LIMIT = 2000

_SELECT = text("""
    SELECT id, kind, application_id, requisition_id, request_text, received_at, due_on, status,
           handled_by, handled_at, outcome
      FROM candidate_requests
     WHERE (CAST(:kind AS text) IS NULL OR kind = :kind)
       AND (CAST(:status AS text) IS NULL OR status = :status)
     ORDER BY received_at DESC, id DESC
     LIMIT :limit
""")
_ONE = text("""
    SELECT id, kind, application_id, requisition_id, request_text, received_at, due_on, status,
           handled_by, handled_at, outcome
      FROM candidate_requests WHERE id = :id
""")


@dataclass(frozen=True)
class RegisterEntry:
    """One request as the register shows it."""

    id: int
    kind: str
    application_id: int | None
    requisition_id: int | None
    request_text: str | None
    received_at: datetime
    due_on: date
    status: str
    handled_by: str | None
    handled_at: datetime | None
    outcome: dict[str, Any]

    def overdue(self, today: date) -> bool:
        """Still waiting for someone after its due date."""
        return self.status in OPEN_STATUSES and self.due_on < today

    @property
    def note(self) -> str | None:
        """The note the person who closed it left, if any."""
        note = self.outcome.get("note")
        return note if isinstance(note, str) else None


def _entry(row: Any) -> RegisterEntry:
    values = dict(row._mapping)
    values["outcome"] = from_json(values["outcome"]) or {}
    return RegisterEntry(**values)


async def register_entries(
    engine: AsyncEngine, *, kind: str | None = None, status: str | None = None, limit: int = LIMIT
) -> list[RegisterEntry]:
    """The requests matching the filters (None: any), newest first, at most `limit`."""
    async with engine.connect() as conn:
        rows = await conn.execute(_SELECT, {"kind": kind, "status": status, "limit": limit})
        return [_entry(row) for row in rows]


async def register_entry(conn: AsyncConnection, *, request_id: int) -> RegisterEntry | None:
    """One request, or None."""
    row = (await conn.execute(_ONE, {"id": request_id})).first()
    return _entry(row) if row is not None else None
