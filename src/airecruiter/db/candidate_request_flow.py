"""What the candidate-request flows read and lock: the application's status and contacts, their emails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.email_outbox import OutboxEmail

REQUEST_CONFIRMATION = "request_confirmation"
REQUEST_NOTIFICATION = "request_notification"
REQUEST_EMAIL_KINDS = (REQUEST_CONFIRMATION, REQUEST_NOTIFICATION)

_LOCK_APPLICATION = text("""
    SELECT a.id, a.status, a.requisition_id, a.external_application_id, a.candidate_name, a.candidate_email,
           r.name AS position, r.recruiter_name, r.recruiter_email
      FROM applications a JOIN requisitions r ON r.id = a.requisition_id
     WHERE a.id = :id
       FOR UPDATE OF a
""")
_SELECT_APPLICATION = text("""
    SELECT a.id, a.status, a.requisition_id, a.external_application_id, a.candidate_name, a.candidate_email,
           r.name AS position, r.recruiter_name, r.recruiter_email
      FROM applications a JOIN requisitions r ON r.id = a.requisition_id
     WHERE a.id = :id
""")
_OPEN_ACCOMMODATION = text("""
    SELECT id FROM candidate_requests
     WHERE application_id = :application_id AND kind = 'accommodation' AND status = 'open'
       AND request_text IS NOT DISTINCT FROM :request_text
     ORDER BY id LIMIT 1
""")
_OPEN_HUMAN_REVIEW = text("""
    SELECT id FROM candidate_requests
     WHERE application_id = :application_id AND kind = 'human_review'
     ORDER BY id DESC LIMIT 1
""")
_REQUEST_KIND = text("SELECT kind, due_on FROM candidate_requests WHERE id = :id")
_NEXT_PENDING_EMAIL = """
    SELECT id, application_id, kind, version, message_id, state, attempts, provider_message_id, created_at, sent_at
      FROM email_outbox
     WHERE application_id = :application_id AND state = 'pending' AND kind = ANY(:kinds) AND id > :after_id
     ORDER BY id
     LIMIT 1
       FOR UPDATE"""
# SKIP LOCKED: a second caller delivering at the same moment leaves the row to the first one.
_LOCK_NEXT_PENDING_EMAIL = text(_NEXT_PENDING_EMAIL + " SKIP LOCKED")
# Waiting: once the other sender commits, the row is no longer `pending` and PostgreSQL skips it.
_WAIT_NEXT_PENDING_EMAIL = text(_NEXT_PENDING_EMAIL)


_APPLICATION_REQUESTS = text("""
    SELECT id, kind, request_text, received_at, due_on, status, handled_by
      FROM candidate_requests WHERE application_id = :application_id
     ORDER BY received_at DESC, id DESC
""")


@dataclass(frozen=True)
class CandidateRequestRow:
    """One register row as the application page shows it."""

    id: int
    kind: str
    request_text: str | None
    received_at: datetime
    due_on: date
    status: str
    handled_by: str | None


async def application_requests(conn: AsyncConnection, application_id: int) -> list[CandidateRequestRow]:
    """The application's candidate requests, newest first."""
    rows = await conn.execute(_APPLICATION_REQUESTS, {"application_id": application_id})
    return [CandidateRequestRow(**row._mapping) for row in rows]


@dataclass(frozen=True)
class RequestSubject:
    """The application a candidate request is about, with whom its emails go to."""

    id: int
    status: str
    requisition_id: int
    external_application_id: str
    candidate_name: str
    candidate_email: str | None
    position: str
    recruiter_name: str | None
    recruiter_email: str | None


async def lock_request_subject(conn: AsyncConnection, application_id: int) -> RequestSubject | None:
    """The application locked until the caller's transaction ends (one request at a time), or None."""
    row = (await conn.execute(_LOCK_APPLICATION, {"id": application_id})).first()
    return None if row is None else RequestSubject(**row._mapping)


async def request_subject(conn: AsyncConnection, application_id: int) -> RequestSubject | None:
    """The application and its contacts, unlocked."""
    row = (await conn.execute(_SELECT_APPLICATION, {"id": application_id})).first()
    return None if row is None else RequestSubject(**row._mapping)


async def open_accommodation(conn: AsyncConnection, application_id: int, request_text: str) -> int | None:
    """The id of an open accommodation request with this very text (a double submission), or None."""
    params = {"application_id": application_id, "request_text": request_text}
    found = await conn.scalar(_OPEN_ACCOMMODATION, params)
    return None if found is None else int(found)


async def latest_human_review_request(conn: AsyncConnection, application_id: int) -> int | None:
    """The id of the application's latest human-review request, or None."""
    found = await conn.scalar(_OPEN_HUMAN_REVIEW, {"application_id": application_id})
    return None if found is None else int(found)


async def request_kind(conn: AsyncConnection, request_id: int) -> tuple[str, str] | None:
    """The kind of a register row and its due date (ISO), or None when it is gone."""
    row = (await conn.execute(_REQUEST_KIND, {"id": request_id})).first()
    return None if row is None else (str(row.kind), row.due_on.isoformat())


_COUNT_PENDING = text("""
    SELECT count(*) FROM email_outbox
     WHERE application_id = :application_id AND state = 'pending' AND kind = ANY(:kinds)
""")


async def pending_request_emails(conn: AsyncConnection, application_id: int) -> int:
    """How many of the application's request emails have not gone out yet."""
    params = {"application_id": application_id, "kinds": list(REQUEST_EMAIL_KINDS)}
    return int(await conn.scalar(_COUNT_PENDING, params) or 0)


async def lock_next_pending_request_email(
    conn: AsyncConnection, application_id: int, *, after_id: int = 0, wait: bool = False
) -> OutboxEmail | None:
    """The application's next unsent request email after `after_id`, locked; or None.

    Without `wait` a row another sender holds is skipped; with it, the caller waits for that sender.
    """
    params = {"application_id": application_id, "kinds": list(REQUEST_EMAIL_KINDS), "after_id": after_id}
    statement = _WAIT_NEXT_PENDING_EMAIL if wait else _LOCK_NEXT_PENDING_EMAIL
    row = (await conn.execute(statement, params)).first()
    return None if row is None else OutboxEmail(**row._mapping)
