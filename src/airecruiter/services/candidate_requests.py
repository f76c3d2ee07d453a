"""An admin closes a request of the register: done or refused, with a note, who and when."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.read_models.candidate_requests import OPEN_STATUSES, register_entry
from airecruiter.db.request_register import close_request
from airecruiter.domain.access_activity import CandidateRequestClosed
from airecruiter.errors import ValidationError

CLOSING_STATUSES = ("done", "refused")
MAX_NOTE = 4000


class RequestNotFoundError(ValidationError):
    """The register has no request with that id."""


async def close_candidate_request(engine: AsyncEngine, *, request_id: int, status: str, note: str, actor: str) -> str:
    """Close an open request as done or refused with a note; returns the sentence to show."""
    if status not in CLOSING_STATUSES:
        raise ValidationError("A request is closed as done or refused.")
    note = note.strip()
    if status == "refused" and not note:
        raise ValidationError("Say why the request is refused: the note is what the candidate will be told.")
    if len(note) > MAX_NOTE:
        raise ValidationError(f"The note is {len(note)} characters long; keep it under {MAX_NOTE}.")
    async with engine.begin() as conn:
        entry = await register_entry(conn, request_id=request_id)
        if entry is None:
            raise RequestNotFoundError(f"There is no request {request_id} in the register.")
        if entry.status not in OPEN_STATUSES:
            raise ValidationError(f"Request {request_id} was closed already ({entry.status}, by {entry.handled_by}).")
        await close_request(
            conn, request_id=request_id, status=status, handled_by=actor, outcome={"note": note} if note else {}
        )
        await record_activity(
            conn,
            actor=actor,
            application_id=entry.application_id,
            requisition_id=entry.requisition_id,
            details=CandidateRequestClosed(request_id=request_id, kind=entry.kind, status=status),
        )
    return f"Request {request_id} is closed as {status}."
