"""A person instead of the AI, and accommodations: the one place these candidate requests are handled.

Taking an application to human review (the candidate confirming on their page, or a recruiter in
the console) happens in one transaction with the application row locked: status `human_review`
(no AI step runs from then on; every processor skips it), the open interview's link closed, a
request-register row, an activity entry, the outcome record refreshed and the request's emails
put in the outbox. A second confirmation finds the status already set and changes nothing, so a
double click or two tabs give one register row and one email of each kind. The emails are sent
after the commit from their outbox rows (locked while sent, so two senders never both send; each
marked sent in its own transaction, so a later failure never undoes that record and resends it).
The same transaction queues a `send_request_emails` job: when the mail server refuses at that
moment, the queue sends what is still pending, with backoff, through `deliver_request_emails`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.applications import change_status
from airecruiter.db.candidate_request_flow import (
    REQUEST_CONFIRMATION,
    REQUEST_NOTIFICATION,
    RequestSubject,
    lock_next_pending_request_email,
    lock_request_subject,
    open_accommodation,
    pending_request_emails,
    request_kind,
    request_subject,
)
from airecruiter.db.candidate_tokens import application_for_token, mint_candidate_token
from airecruiter.db.email_outbox import OutboxEmail, mark_email_sent, prepare_email
from airecruiter.db.interviews import interview_by_token_hash, live_interview, mark_interview_expired
from airecruiter.db.outcomes import refresh_outcome
from airecruiter.db.request_register import record_request
from airecruiter.domain.activity_details import ActivityDetails
from airecruiter.domain.candidate_request_activity import (
    AccommodationRequested,
    HumanReviewRequested,
    RequestEmailSent,
)
from airecruiter.domain.interview_tokens import hash_interview_token
from airecruiter.domain.jobs import JobType
from airecruiter.domain.statuses import ApplicationStatus
from airecruiter.errors import AIRecruiterError, ValidationError
from airecruiter.ports.mail import Mailer
from airecruiter.queue.manager import QueueManager
from airecruiter.services.candidate_request_emails import Contact, contact_for, email_for

log = structlog.get_logger(__name__)

MAX_ACCOMMODATION_TEXT = 4000
CANDIDATE_ACTOR = "candidate"


class RequestSubjectGoneError(ValidationError):
    """The application no longer exists (its data was deleted)."""


@dataclass(frozen=True)
class RequestDesk:
    """What the flows need: the database, the queue, the mailer, and whom candidates contact by default."""

    engine: AsyncEngine
    queue: QueueManager
    mailer: Mailer
    frontend_url: str
    company_name: str
    contact_name: str
    contact_email: str | None


@dataclass(frozen=True)
class RequestResult:
    """What a request did: the register row (None when nothing new was recorded) and whether it was new."""

    request_id: int | None
    created: bool


async def request_human_review(
    desk: RequestDesk, *, application_id: int, source: Literal["candidate", "recruiter"], actor: str
) -> RequestResult:
    """Take the application to a person (idempotent), then send the request's emails."""
    async with desk.engine.begin() as conn:
        subject = await _locked(conn, application_id)
        if subject.status == ApplicationStatus.HUMAN_REVIEW:
            result = RequestResult(None, created=False)
        else:
            result = RequestResult(await _to_human_review(desk, conn, subject, source, actor), created=True)
    if result.created:
        log.info("human_review_requested", application_id=application_id, source=source)
    await _deliver_now(desk, application_id)
    return result


async def request_accommodation(
    desk: RequestDesk, *, application_id: int, request_text: str, with_human_review: bool
) -> RequestResult:
    """Register the candidate's accommodation request (once per text) and tell the recruiter; maybe a person too."""
    cleaned = request_text.replace("\r\n", "\n").strip()
    if not cleaned:
        raise ValidationError("Describe the adjustment you need in the box, then send the form again.")
    if len(cleaned) > MAX_ACCOMMODATION_TEXT:
        raise ValidationError(
            f"Your request is {len(cleaned)} characters long; the box takes {MAX_ACCOMMODATION_TEXT}. Shorten it."
        )
    async with desk.engine.begin() as conn:
        subject = await _locked(conn, application_id)
        existing = await open_accommodation(conn, application_id, cleaned)
        if existing is not None:
            result = RequestResult(existing, created=False)
        else:
            request_id = await record_request(
                conn, kind="accommodation", application_id=application_id, request_text=cleaned
            )
            details = AccommodationRequested(
                request_id=request_id, characters=len(cleaned), with_human_review=with_human_review
            )
            await _record(conn, subject, CANDIDATE_ACTOR, details)
            await _prepare_emails(desk, conn, subject, request_id)
            result = RequestResult(request_id, created=True)
        if with_human_review and subject.status != ApplicationStatus.HUMAN_REVIEW:
            await _to_human_review(desk, conn, subject, "candidate", CANDIDATE_ACTOR)
    await _deliver_now(desk, application_id)
    return result


async def _deliver_now(desk: RequestDesk, application_id: int) -> None:
    """Send the request's emails; a mailer failure leaves them pending for the next attempt, the request stands."""
    try:
        await deliver_request_emails(desk, application_id=application_id)
    except (AIRecruiterError, OSError) as exc:
        log.warning("request_email_deferred", application_id=application_id, error=type(exc).__name__)


async def _locked(conn: AsyncConnection, application_id: int) -> RequestSubject:
    subject = await lock_request_subject(conn, application_id)
    if subject is None:
        raise RequestSubjectGoneError("This application is no longer held; nothing was changed.")
    return subject


async def _to_human_review(
    desk: RequestDesk, conn: AsyncConnection, subject: RequestSubject, source: str, actor: str
) -> int | None:
    """Everything of the move, in the caller's transaction; the register row's id (None for a recruiter's)."""
    await change_status(
        conn, application_id=subject.id, expected=subject.status, target=ApplicationStatus.HUMAN_REVIEW, actor=actor
    )
    interview = await live_interview(conn, application_id=subject.id)
    closed = None
    if interview is not None and await mark_interview_expired(conn, interview_id=interview.id) is not None:
        closed = interview.id
    request_id = None
    if source == "candidate":
        request_id = await record_request(conn, kind="human_review", application_id=subject.id)
        await _prepare_emails(desk, conn, subject, request_id)
    details = HumanReviewRequested(source=source, request_id=request_id, closed_interview_id=closed)
    await _record(conn, subject, actor, details)
    await refresh_outcome(conn, subject.id)
    return request_id


async def _record(conn: AsyncConnection, subject: RequestSubject, actor: str, details: ActivityDetails) -> None:
    await record_activity(
        conn, actor=actor, requisition_id=subject.requisition_id, application_id=subject.id, details=details
    )


async def _prepare_emails(desk: RequestDesk, conn: AsyncConnection, subject: RequestSubject, request_id: int) -> None:
    """The request's outbox rows (version: the register row), committed with the request itself."""
    contact = contact_for(subject, desk.contact_name, desk.contact_email)
    kinds = []
    if contact is not None:
        kinds.append(REQUEST_NOTIFICATION)
        if subject.candidate_email:
            kinds.append(REQUEST_CONFIRMATION)
    for kind in kinds:
        await prepare_email(
            conn,
            application_id=subject.id,
            kind=kind,
            version=request_id,
            message_id=desk.mailer.new_message_id(),
        )
    if kinds:
        # Committed with the rows: whatever the inline send leaves pending, the queue sends later.
        await desk.queue.enqueue(
            JobType.SEND_REQUEST_EMAILS,
            application_id=subject.id,
            enqueued_by="system:request_emails",
            conn=conn,
        )


async def emails_waiting(desk: RequestDesk, *, application_id: int) -> bool:
    """Send what is still waiting (a mail server that was down); whether some request email is still unsent."""
    await _deliver_now(desk, application_id)
    async with desk.engine.connect() as conn:
        return await pending_request_emails(conn, application_id) > 0


async def deliver_request_emails(desk: RequestDesk, *, application_id: int, wait_for_senders: bool = False) -> int:
    """Send the application's unsent request emails, each at most once; how many went out now.

    Each email is sent and marked in its own transaction: were they one, a mailer failure on the
    second would roll back the first one's `sent` and the next attempt would send it again. The
    first failure stops the round and propagates (the mail server is down; the rest wait too).
    `wait_for_senders` (the queue's job) waits for an email another sender holds instead of skipping it.
    """
    sent, after_id = 0, 0
    while True:
        async with desk.engine.begin() as conn:
            subject = await request_subject(conn, application_id)
            if subject is None:
                return sent
            email = await lock_next_pending_request_email(
                conn, application_id, after_id=after_id, wait=wait_for_senders
            )
            if email is None:
                return sent
            after_id = email.id
            if await _deliver(desk, conn, subject, email):
                sent += 1


async def _deliver(desk: RequestDesk, conn: AsyncConnection, subject: RequestSubject, email: OutboxEmail) -> bool:
    """Send one locked outbox row (unless the mailer knows it went already) and mark it sent."""
    found = await request_kind(conn, email.version)
    contact = contact_for(subject, desk.contact_name, desk.contact_email)
    message = None
    if found is not None and contact is not None:
        kind, due_on = found
        message = email_for(
            email.kind,
            kind,
            subject,
            contact,
            frontend_url=desk.frontend_url,
            due_on=due_on,
            company=desk.company_name,
        )
    if message is None:
        return False
    provider_id = email.message_id
    if not await desk.mailer.delivered(email.message_id):
        provider_id = await desk.mailer.send_plain_email(message, message_id=email.message_id)
    await mark_email_sent(
        conn, email_id=email.id, message_id=email.message_id, provider_message_id=provider_id, sent_at=_now()
    )
    details = RequestEmailSent(kind=email.kind, request_id=email.version, message_id=email.message_id)
    await _record(conn, subject, "system:request_emails", details)
    log.info("request_email_sent", application_id=subject.id, kind=email.kind, request_id=email.version)
    return True


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class CandidateLink:
    """What a candidate link opens: the application, where it stands, for which job, whom to contact."""

    application_id: int
    status: str
    position: str
    first_name: str
    contact: Contact | None

    @property
    def human_review(self) -> bool:
        """Whether a person assesses the application (the candidate asked, or a recruiter decided)."""
        return self.status == ApplicationStatus.HUMAN_REVIEW


async def open_candidate_link(desk: RequestDesk, token: str) -> CandidateLink | None:
    """The application a candidate link belongs to, or None for a link we do not know (or whose data went)."""
    async with desk.engine.connect() as conn:
        application_id = await application_for_token(conn, token)
        subject = None if application_id is None else await request_subject(conn, application_id)
    if subject is None:
        return None
    first = (subject.candidate_name or "").split(" ")[0]
    contact = contact_for(subject, desk.contact_name, desk.contact_email)
    return CandidateLink(subject.id, subject.status, subject.position, first, contact)


async def candidate_link_for_interview(desk: RequestDesk, interview_token: str) -> str | None:
    """A new candidate link for the application an interview link belongs to (the welcome page's way in)."""
    if not interview_token or len(interview_token) > 128:
        return None
    async with desk.engine.begin() as conn:
        interview = await interview_by_token_hash(conn, token_hash=hash_interview_token(interview_token))
        if interview is None:
            return None
        return await mint_candidate_token(conn, interview.application_id)
