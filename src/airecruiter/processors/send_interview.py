"""The `send_interview` job: one interview per application, one invitation email per interview.

Steps: a secure token (only its SHA-256 is stored) → the interview record, `scheduled`, expiring
after `interview_valid_days` → the link `{FRONTEND_URL}/interview/{token}` → the invitation email
→ its message id recorded → status `interview_pending`.

Delivery is at least once, so the job checks before it acts. An interview whose invitation is
recorded is never mailed again. The clear token is never stored, so a retry that finds an
interview *without* a recorded invitation (the mailer failed, or the process died) gives it a
fresh token before sending; the link of any earlier, unrecorded email stops working, so a
candidate never holds two live links. The one window left is a process that dies after the
mailer accepted the email and before the message id is committed: then the retry sends a second
email (with the only working link) — unless the candidate has opened the first one meanwhile,
which proves it arrived: then nothing is sent and the invitation is recorded as delivered. The id
is committed in its own transaction straight after sending, ahead of the status change, to keep
that window as small as it can be.
"""

from __future__ import annotations

from datetime import datetime

import structlog

from airecruiter.db.applications import ApplicationRecord, StatusConflictError, change_status
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
from airecruiter.domain.interview_tokens import interview_expiry, interview_url, new_interview_token
from airecruiter.domain.statuses import ApplicationStatus, check_transition
from airecruiter.errors import ValidationError
from airecruiter.ports.mail import InterviewInvitation
from airecruiter.processors.common import actor, load_subject, record
from airecruiter.processors.context import PipelineContext
from airecruiter.queue.jobs import Job

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
    async with ctx.engine.begin() as conn:
        recorded = await record_invitation(
            conn, interview_id=interview.id, message_id=UNRECORDED_MESSAGE_ID, sent_at=ctx.now()
        )
        if recorded is not None:
            await record(
                conn,
                job,
                application,
                InterviewInvitationPresumed(interview_id=interview.id, interview_status=interview.status),
            )
    log.info("invitation_presumed", interview_id=interview.id, interview_status=interview.status)


def _invitation(
    ctx: PipelineContext,
    application: ApplicationRecord,
    requisition: RequisitionRecord,
    url: str,
    expires: datetime,
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
    token, token_hash = new_interview_token()
    expires = interview_expiry(ctx.now(), valid_days=ctx.interview_valid_days)
    invitation = _invitation(ctx, application, requisition, interview_url(ctx.frontend_url, token), expires)
    interview = await _interview_for(ctx, job, application, interview, token_hash, expires)
    message_id = await ctx.mailer.send_interview_invitation(invitation)
    async with ctx.engine.begin() as conn:
        if await record_invitation(conn, interview_id=interview.id, message_id=message_id, sent_at=ctx.now()) is None:
            raise StatusConflictError(f"Interview {interview.id} had its invitation recorded by another job.")
        await record(
            conn,
            job,
            application,
            InterviewInvited(interview_id=interview.id, message_id=message_id, expires_at=expires.isoformat()),
        )
    log.info("interview_invited", interview_id=interview.id, message_id=message_id, expires_at=expires.isoformat())


async def _interview_for(
    ctx: PipelineContext,
    job: Job,
    application: ApplicationRecord,
    interview: InterviewRecord | None,
    token_hash: str,
    expires: datetime,
) -> InterviewRecord:
    """The application's interview carrying `token_hash`: created, or an unsent one given the new token."""
    async with ctx.engine.begin() as conn:
        if interview is None:
            created = await create_interview(
                conn, application_id=application.id, token_hash=token_hash, expires_at=expires
            )
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
