"""The register of candidate requests (human review, accommodation, access, erasure): one row each.

Every flow that receives a request records it here with `record_request` and closes it with
`close_request`; admins and auditors read the register. Due date: one month after receipt
(GDPR Art. 12(3)). A row keeps no personal value: `request_text` is cleared when the
application's data is deleted (`clear_request_texts`), and `application_id` turns NULL with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.json_columns import to_json

REQUEST_KINDS = ("human_review", "accommodation", "access", "erasure")
REQUEST_STATUSES = ("open", "done", "refused", "on_hold")

_INSERT_REQUEST = text("""
    INSERT INTO candidate_requests (kind, application_id, requisition_id, request_text, received_at,
                                    due_on, status, handled_by, handled_at, outcome)
    VALUES (:kind, :application_id,
            COALESCE(CAST(:requisition_id AS bigint),
                     (SELECT requisition_id FROM applications WHERE id = CAST(:application_id AS bigint))),
            :request_text, :received_at, :due_on, :status, :handled_by, :handled_at, CAST(:outcome AS jsonb))
    RETURNING id
""")
_CLOSE_REQUEST = text("""
    UPDATE candidate_requests
       SET status = :status, handled_by = :handled_by, handled_at = now(),
           outcome = outcome || CAST(:outcome AS jsonb)
     WHERE id = :request_id
""")
_CLEAR_TEXTS = text("""
    UPDATE candidate_requests SET request_text = NULL WHERE application_id = ANY(:application_ids)
""")


def due_date(received_at: dt.datetime) -> dt.date:
    """One calendar month after receipt, the last day of a shorter month when the day does not exist."""
    day = received_at.date()
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th day")


async def record_request(
    conn: AsyncConnection,
    *,
    kind: str,
    application_id: int | None,
    requisition_id: int | None = None,
    request_text: str | None = None,
    status: str = "open",
    handled_by: str | None = None,
    outcome: dict[str, Any] | None = None,
    received_at: dt.datetime | None = None,
) -> int:
    """Register a request (open, or already handled when `status` says so); returns its id."""
    if kind not in REQUEST_KINDS:
        raise ValueError(f"unknown request kind {kind!r}")
    if status not in REQUEST_STATUSES:
        raise ValueError(f"unknown request status {status!r}")
    received = received_at or dt.datetime.now(dt.UTC)
    row = (
        await conn.execute(
            _INSERT_REQUEST,
            {
                "kind": kind,
                "application_id": application_id,
                "requisition_id": requisition_id,
                "request_text": request_text,
                "received_at": received,
                "due_on": due_date(received),
                "status": status,
                "handled_by": handled_by,
                "handled_at": None if status == "open" else received,
                "outcome": to_json(outcome or {}),
            },
        )
    ).one()
    return int(row.id)


async def close_request(
    conn: AsyncConnection, *, request_id: int, status: str, handled_by: str, outcome: dict[str, Any] | None = None
) -> None:
    """Record who handled a request and how (`done`, `refused` or `on_hold`); merges into `outcome`."""
    if status not in REQUEST_STATUSES or status == "open":
        raise ValueError(f"a request is closed as done, refused or on_hold, not {status!r}")
    await conn.execute(
        _CLOSE_REQUEST,
        {"request_id": request_id, "status": status, "handled_by": handled_by, "outcome": to_json(outcome or {})},
    )


async def clear_request_texts(conn: AsyncConnection, application_ids: list[int]) -> None:
    """Deleting an application's data also clears the free text of its requests."""
    await conn.execute(_CLEAR_TEXTS, {"application_ids": application_ids})
