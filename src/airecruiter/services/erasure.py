"""Erasure on request: every application of a candidate goes, unless a legal hold stops it.

The request is recorded in the register either way. Under a hold it is refused with the hold's
reason and kept `on_hold`; lifting the last hold that blocks it runs it. A finished erasure keeps a
receipt (counts, Workday documents we uploaded, when, by whom, why) and no personal value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.erasure_receipts import ErasureReceipt, held_erasures, insert_receipt, receipt_by_id
from airecruiter.db.legal_holds import LegalHold, holds_on, live_holds, place_hold, release_hold
from airecruiter.db.request_register import close_request, record_request
from airecruiter.db.retention import applications_of_candidate
from airecruiter.domain.lifecycle_activity import CandidateErased, ErasureRefused, LegalHoldPlaced, LegalHoldReleased
from airecruiter.errors import ValidationError
from airecruiter.services.data_deletion import DeletionStores, delete_applications


@dataclass(frozen=True)
class ErasureOutcome:
    """How an erasure request ended: erased (with its receipt) or on hold (with the holds' reasons)."""

    request_id: int
    status: str  # "done" or "on_hold"
    receipt_id: int | None = None
    holds: list[LegalHold] = field(default_factory=list)
    contents: dict[str, Any] = field(default_factory=dict)


class NothingToErase(ValidationError):
    """No application of the candidate is held (never synced, or erased already)."""


async def erase_candidate(
    engine: AsyncEngine, stores: DeletionStores, *, external_candidate_id: str, reason: str, actor: str
) -> ErasureOutcome:
    """Record the request and erase every application of the candidate, or refuse it under a legal hold."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give the reason for the erasure (--reason); the receipt records it.")
    async with engine.begin() as conn:
        application_ids = await applications_of_candidate(conn, external_candidate_id=external_candidate_id.strip())
        if not application_ids:
            raise NothingToErase(
                "No application of that candidate is held here: check the Workday candidate id "
                "(it may have been erased already)."
            )
        holds = await holds_on(conn, application_ids)
        request_id = await record_request(
            conn,
            kind="erasure",
            application_id=application_ids[0],
            request_text=reason if holds else None,  # kept only to run it later; cleared with the data
            status="on_hold" if holds else "open",
            handled_by=actor,
            outcome={
                "applications": len(application_ids),
                "application_ids": application_ids,
                "hold_ids": [h.id for h in holds],
            },
        )
        if holds:
            details = ErasureRefused(request_id, tuple(h.id for h in holds))
            await record_activity(conn, actor=actor, details=details, application_id=application_ids[0])
            return ErasureOutcome(request_id=request_id, status="on_hold", holds=holds)
    return await _erase(engine, stores, request_id, application_ids, reason=reason, actor=actor)


async def _erase(
    engine: AsyncEngine, stores: DeletionStores, request_id: int, application_ids: list[int], *, reason: str, actor: str
) -> ErasureOutcome:
    result = await delete_applications(engine, stores, application_ids, reason="erasure")
    contents = {"request_id": request_id, **result.summary(), "demographics_removed_from_outcomes": True}
    async with engine.begin() as conn:
        receipt_id = await insert_receipt(
            conn, request_id=request_id, erased_by=actor, reason=reason, contents=contents
        )
        await close_request(
            conn, request_id=request_id, status="done", handled_by=actor, outcome={"receipt_id": receipt_id}
        )
        await record_activity(conn, actor=actor, details=CandidateErased(receipt_id, result.applications))
    return ErasureOutcome(request_id=request_id, status="done", receipt_id=receipt_id, contents=contents)


async def erasure_receipt(engine: AsyncEngine, receipt_id: int) -> ErasureReceipt:
    """A receipt kept earlier; a ValidationError when there is none with that id."""
    async with engine.connect() as conn:
        receipt = await receipt_by_id(conn, receipt_id)
    if receipt is None:
        raise ValidationError(
            f"There is no erasure receipt {receipt_id}; `airecruiter candidates erase` prints its id."
        )
    return receipt


async def hold_application_or_requisition(
    engine: AsyncEngine, *, reason: str, actor: str, application_id: int | None, requisition_id: int | None
) -> int:
    """Place a legal hold and log it; returns the hold's id."""
    if (application_id is None) == (requisition_id is None):
        raise ValidationError("Name one application or one requisition to hold.")
    if not reason.strip():
        raise ValidationError("Give the reason for the legal hold.")
    async with engine.begin() as conn:
        hold_id = await place_hold(
            conn, reason=reason, placed_by=actor, application_id=application_id, requisition_id=requisition_id
        )
        await record_activity(
            conn,
            actor=actor,
            details=LegalHoldPlaced(hold_id),
            application_id=application_id,
            requisition_id=requisition_id,
        )
    return hold_id


async def release_and_resume(
    engine: AsyncEngine, stores: DeletionStores, *, hold_id: int, actor: str
) -> list[ErasureOutcome]:
    """Lift a hold, then run each erasure request it was the last to block; their outcomes."""
    async with engine.begin() as conn:
        hold = await release_hold(conn, hold_id=hold_id, released_by=actor)
        if hold is None:
            raise ValidationError(f"There is no live legal hold {hold_id}; `airecruiter candidates holds` lists them.")
        waiting = await held_erasures(conn)
    resumed: list[ErasureOutcome] = []
    for request in waiting:
        if request.external_candidate_id is None:
            continue
        async with engine.connect() as conn:
            application_ids = await applications_of_candidate(conn, external_candidate_id=request.external_candidate_id)
            if not application_ids or await holds_on(conn, application_ids):
                continue
        requested_by = request.requested_by or actor
        resumed.append(
            await _erase(
                engine,
                stores,
                request.request_id,
                application_ids,
                reason=request.reason or "erasure request",
                actor=requested_by,
            )
        )
    async with engine.begin() as conn:
        await record_activity(conn, actor=actor, details=LegalHoldReleased(hold_id, len(resumed)))
    return resumed


async def legal_holds_in_force(engine: AsyncEngine) -> list[LegalHold]:
    """Every legal hold not yet released, oldest first."""
    async with engine.connect() as conn:
        return await live_holds(conn)
