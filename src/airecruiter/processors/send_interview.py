"""The `send_interview` job: one interview per application, one invitation email per interview.

Steps: a secure token (only its SHA-256 is stored) → the interview record, `scheduled`, expiring
after `interview_valid_days` → the link `{FRONTEND_URL}/interview/{token}` → the invitation email
→ its message id recorded → status `interview_pending`.

Delivery is at least once, so the job checks before it acts, and the email goes through an outbox:

1. In one transaction: the interview (created, or given a fresh token) and its `email_outbox` row,
   `pending`, carrying a Message-ID we generate ourselves.
2. The mailer sends the invitation under that Message-ID.
3. In one transaction: the row marked `sent` and the message id recorded on the interview.

An interview whose invitation is recorded is never mailed again. A retry that finds the row
`pending` (the mailer failed, or the process or the database died before step 3) asks the mailer
whether that Message-ID went out:

* yes (the local outbox twin keeps what it sent): step 3 is done now, nothing is sent;
* no, or the mailer cannot know (SMTP, SES): the interview gets a fresh token and the email goes
  out again under a new Message-ID. The clear token is never stored, so the earlier email cannot
  be sent again byte for byte; and an email with a *different* link under the *same* Message-ID
  would be worse than two emails, because clients that fold duplicates by Message-ID could hide
  the only working link. So a candidate never holds two live links.

The window left, for mailers that cannot answer only: the server accepted the email and the
process or the database died before step 3 committed, and the candidate has not opened the link
when the retry runs. Then the candidate gets a second email whose link replaces the first one
(SES overwrites the Message-ID anyway, so nothing downstream could fold the two). Each such crash
costs at most one extra email: the row counts the sends (`attempts`). If the candidate opened the
first link meanwhile, that proves it arrived: nothing is sent and the invitation is recorded as
delivered.
"""

from __future__ import annotations

from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.applications import ApplicationRecord, StatusConflictError, change_status
from airecruiter.db.candidate_tokens import mint_candidate_token
from airecruiter.db.email_outbox import INTERVIEW_INVITATION, OutboxEmail, find_email, mark_email_sent, prepare_email
from airecruiter.db.interviews import (
    InterviewRecord,
    create_interview,
    live_interview,
    record_invitation,
    reissue_token,
)
from airecruiter.db.requisitions import RequisitionRecord
from airecruiter.domain.activity_details import (
    InterviewCreated,
    InterviewInvitationPresumed,
    InterviewInvited,
    InterviewTokenReissued,
)
from airecruiter.domain.candidate_tokens import candidate_url
from airecruiter.domain.interview_tokens import interview_expiry, interview_url, new_interview_token
from airecruiter.domain.statuses import ApplicationStatus, check_transition
from airecruiter.errors import ValidationError
from airecruiter.ports.mail import InterviewInvitation
from airecruiter.processors.common import actor, load_subject, record
from airecruiter.processors.context import PipelineContext
from airecruiter.queue.jobs import Job
from airecruiter.services.candidate_texts import rendered

log = structlog.get_logger(__name__)


async def send_interview_invitation(ctx: PipelineContext, job: Job) -> None:
    """Invite the candidate to the self-service interview, once, and mark the application `interview_pending`."""
    subject = await load_subject(ctx, job)
    if subject is None:
        return
    application, requisition = subject.application, subject.requisition
    async with ctx.engine.connect() as conn:
        interview = await live_interview(conn, application_id=application.id)
    if interview is not None and interview.invitation_message_id is None and interview.status != "scheduled":
        # The email went out but its id was never committed, and the candidate has opened the link
        # since: the invitation evidently arrived. Sending again would cut them off mid-interview.
        await _presume_delivered(ctx, job, application, interview)
    elif interview is None or interview.invitation_message_id is None:
        if application.status != ApplicationStatus.ANALYZED:
            check_transition(application.status, ApplicationStatus.INTERVIEW_PENDING)  # refuses with the reason
        await _invite(ctx, job, application, requisition, interview)
    else:
        log.info("invitation_skipped", reason="the invitation was sent already", interview_id=interview.id)
    if application.status == ApplicationStatus.ANALYZED:
        async with ctx.engine.begin() as conn:
            await change_status(
                conn,
                application_id=application.id,
                expected=ApplicationStatus.ANALYZED,
                target=ApplicationStatus.INTERVIEW_PENDING,
                actor=actor(job),
                queue_item_id=job.id,
            )


UNRECORDED_MESSAGE_ID = "unrecorded"  # an invitation known to have arrived whose message id was lost


async def _presume_delivered(
    ctx: PipelineContext, job: Job, application: ApplicationRecord, interview: InterviewRecord
) -> None:
    """Record the invitation the candidate evidently received (they opened its link)."""
    async with ctx.engine.begin() as conn:
        message_id = await _opened_email(ctx, conn, application, interview)
        recorded = await record_invitation(conn, interview_id=interview.id, message_id=message_id, sent_at=ctx.now())
        if recorded is not None:
            details = InterviewInvitationPresumed(
                interview_id=interview.id, interview_status=interview.status, message_id=message_id
            )
            await record(conn, job, application, details)
    log.info("invitation_presumed", interview_id=interview.id, interview_status=interview.status)


async def _opened_email(
    ctx: PipelineContext, conn: AsyncConnection, application: ApplicationRecord, interview: InterviewRecord
) -> str:
    """The Message-ID of the email whose link was opened, its outbox row marked sent; or `unrecorded`.

    The interview's token and its pending outbox row's Message-ID were committed together, so the
    link that was opened came in the email under that Message-ID.
    """
    email = await find_email(conn, application_id=application.id, kind=INTERVIEW_INVITATION, version=interview.id)
    if email is None or email.state != "pending":
        return UNRECORDED_MESSAGE_ID
    marked = await mark_email_sent(
        conn, email_id=email.id, message_id=email.message_id, provider_message_id=email.message_id, sent_at=ctx.now()
    )
    return email.message_id if marked is not None else UNRECORDED_MESSAGE_ID


def _invitation(
    ctx: PipelineContext,
    application: ApplicationRecord,
    requisition: RequisitionRecord,
    url: str,
    expires: datetime,
    ai_use_text: str | None = None,
    candidate_token: str | None = None,
) -> InterviewInvitation:
    """The email's content, checked before anything is stored or sent."""
    reference = application.external_application_id
    if not application.candidate_email:
        raise ValidationError(
            f"Application {reference} has no email address in Workday, so no interview invitation can be "
            "sent. Add the address to the candidate in Workday; the next sync picks it up, then retry this job."
        )
    try:
        return InterviewInvitation(
            to_email=application.candidate_email,
            candidate_name=application.candidate_name or "candidate",
            position=requisition.name,
            company_name=ctx.company_name,
            interview_url=url,
            expires_at=expires,
            recruiter_name=requisition.recruiter_name or ctx.recruiter_name,
            recruiter_email=requisition.recruiter_email or ctx.recruiter_email,
            ai_use_text=ai_use_text,
            candidate_url=None if candidate_token is None else candidate_url(ctx.frontend_url, candidate_token),
        )
    except ValidationError as exc:
        raise ValidationError(
            f"The interview invitation for application {reference} cannot be sent: {exc.message} "
            "Correct it (in Workday for the candidate's details), then retry this job."
        ) from exc


async def _invite(
    ctx: PipelineContext,
    job: Job,
    application: ApplicationRecord,
    requisition: RequisitionRecord,
    interview: InterviewRecord | None,
) -> None:
    if interview is not None and await _sent_before(ctx, job, application, interview):
        return
    token, token_hash = new_interview_token()
    expires = interview_expiry(ctx.now(), valid_days=ctx.interview_valid_days)
    async with ctx.engine.begin() as conn:
        ai_use = await rendered(
            conn,
            kind="invitation_ai_use",
            role=requisition.name,
            company=ctx.company_name,
            contact=requisition.recruiter_email or ctx.recruiter_email,
            retention_days=ctx.retention_days,
        )
    url = interview_url(ctx.frontend_url, token)
    _invitation(ctx, application, requisition, url, expires, ai_use.text)  # checked before anything is stored
    interview, email, candidate_token = await _prepare(
        ctx, job, application, interview, token_hash, expires, ai_use.version
    )
    invitation = _invitation(ctx, application, requisition, url, expires, ai_use.text, candidate_token)
    provider_id = await ctx.mailer.send_interview_invitation(invitation, message_id=email.message_id)
    await _record_sent(ctx, job, application, interview, email, provider_id, attempt=email.attempts)


async def _sent_before(
    ctx: PipelineContext, job: Job, application: ApplicationRecord, interview: InterviewRecord
) -> bool:
    """True when an earlier attempt's email provably went out (the mailer says so): it is recorded now."""
    async with ctx.engine.connect() as conn:
        email = await find_email(conn, application_id=application.id, kind=INTERVIEW_INVITATION, version=interview.id)
    if email is None or email.state != "pending" or not await ctx.mailer.delivered(email.message_id):
        return False
    log.info("invitation_found_sent", interview_id=interview.id, message_id=email.message_id)
    await _record_sent(ctx, job, application, interview, email, email.message_id, attempt=email.attempts, found=True)
    return True


async def _record_sent(
    ctx: PipelineContext,
    job: Job,
    application: ApplicationRecord,
    interview: InterviewRecord,
    email: OutboxEmail,
    provider_id: str,
    *,
    attempt: int,
    found: bool = False,
) -> None:
    """The outbox row `sent` and the interview's invitation recorded, together."""
    sent_at = ctx.now()
    async with ctx.engine.begin() as conn:
        marked = await mark_email_sent(
            conn, email_id=email.id, message_id=email.message_id, provider_message_id=provider_id, sent_at=sent_at
        )
        if (
            marked is None
            or await record_invitation(conn, interview_id=interview.id, message_id=provider_id, sent_at=sent_at) is None
        ):
            raise StatusConflictError(f"Interview {interview.id} had its invitation recorded by another job.")
        details = InterviewInvited(
            interview_id=interview.id,
            message_id=provider_id,
            expires_at=interview.expires_at.isoformat(),
            attempt=attempt,
            found_sent=found,
        )
        await record(conn, job, application, details)
    log.info(
        "interview_invited",
        interview_id=interview.id,
        message_id=provider_id,
        expires_at=interview.expires_at.isoformat(),
    )


async def _prepare(
    ctx: PipelineContext,
    job: Job,
    application: ApplicationRecord,
    interview: InterviewRecord | None,
    token_hash: str,
    expires: datetime,
    text_version: int | None = None,
) -> tuple[InterviewRecord, OutboxEmail, str]:
    """The interview carrying `token_hash`, its pending outbox row and a candidate link, committed before sending."""
    async with ctx.engine.begin() as conn:
        prepared = await _interview_for(conn, job, application, interview, token_hash, expires)
        candidate_token = await mint_candidate_token(conn, application.id)
        email = await prepare_email(
            conn,
            application_id=application.id,
            kind=INTERVIEW_INVITATION,
            version=prepared.id,
            message_id=ctx.mailer.new_message_id(),
            text_version=text_version,
        )
        if email is None:
            raise StatusConflictError(f"Interview {prepared.id} had its invitation sent by another job.")
        return prepared, email, candidate_token


async def _interview_for(
    conn: AsyncConnection,
    job: Job,
    application: ApplicationRecord,
    interview: InterviewRecord | None,
    token_hash: str,
    expires: datetime,
) -> InterviewRecord:
    """The application's interview carrying `token_hash`: created, or an unsent one given the new token."""
    if interview is None:
        created = await create_interview(conn, application_id=application.id, token_hash=token_hash, expires_at=expires)
        if created is not None:
            await record(
                conn, job, application, InterviewCreated(interview_id=created.id, expires_at=expires.isoformat())
            )
            return created
        interview = await live_interview(conn, application_id=application.id)
        assert interview is not None  # the insert conflicted with it
    reissued = await reissue_token(conn, interview_id=interview.id, token_hash=token_hash, expires_at=expires)
    if reissued is None:
        raise StatusConflictError(
            f"Interview {interview.id} was invited or started by another job while this one prepared it."
        )
    await record(
        conn, job, application, InterviewTokenReissued(interview_id=reissued.id, expires_at=expires.isoformat())
    )
    return reissued
