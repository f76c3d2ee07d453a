"""Erasure receipts: the proof an erasure ran, kept without the personal data it removed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.json_columns import to_json


@dataclass(frozen=True)
class ErasureReceipt:
    """What an erasure removed, when, by whom and why."""

    id: int
    request_id: int | None
    erased_by: str
    reason: str
    erased_at: dt.datetime
    contents: dict[str, Any]


_INSERT = text("""
    INSERT INTO erasure_receipts (request_id, erased_by, reason, contents)
    VALUES (:request_id, :erased_by, :reason, CAST(:contents AS jsonb)) RETURNING id
""")
_SELECT = text("SELECT id, request_id, erased_by, reason, erased_at, contents FROM erasure_receipts WHERE id = :id")


async def insert_receipt(
    conn: AsyncConnection, *, request_id: int | None, erased_by: str, reason: str, contents: dict[str, Any]
) -> int:
    """Keep a receipt; returns its id."""
    params = {"request_id": request_id, "erased_by": erased_by, "reason": reason, "contents": to_json(contents)}
    return int((await conn.execute(_INSERT, params)).scalar_one())


async def receipt_by_id(conn: AsyncConnection, receipt_id: int) -> ErasureReceipt | None:
    """The receipt with this id, or None."""
    row = (await conn.execute(_SELECT, {"id": receipt_id})).one_or_none()
    return None if row is None else ErasureReceipt(**row._mapping)


@dataclass(frozen=True)
class HeldErasure:
    """An erasure request waiting for a legal hold to be lifted."""

    request_id: int
    application_id: int | None
    external_candidate_id: str | None
    reason: str | None
    requested_by: str | None


# The candidate is found through any of the request's applications still held (one of them may have
# gone meanwhile, under retention, if the hold covered only another).
_HELD = text("""
    SELECT r.id AS request_id, r.application_id, r.request_text AS reason, r.handled_by AS requested_by,
           (SELECT a.external_candidate_id FROM applications a
             WHERE a.id = r.application_id
                OR a.id IN (SELECT CAST(jsonb_array_elements_text(r.outcome -> 'application_ids') AS bigint))
             ORDER BY a.id LIMIT 1) AS external_candidate_id
      FROM candidate_requests r
     WHERE r.kind = 'erasure' AND r.status = 'on_hold'
     ORDER BY r.id
""")


async def held_erasures(conn: AsyncConnection) -> list[HeldErasure]:
    """Erasure requests recorded under a legal hold, oldest first."""
    return [HeldErasure(**row._mapping) for row in await conn.execute(_HELD)]
