"""The `send_notice` job: the advance notice, once per application, before any AI step.

A requisition with a notice period and no notice in its job posting gives each new candidate this
email first (the active `notice` candidate text, the link to their candidate pages); the notice
period counts from its sending. Exactly once through the outbox, as for the invitation
(`send_interview`): the row, `pending`, with the Message-ID and the text version, is committed
before the mailer is called; a retry that finds it pending asks the mailer whether that
Message-ID went out and otherwise sends again under a new one (mailers that cannot know: SMTP,
SES). A notice carries no secret that a resend would invalidate: every candidate link minted for
the application keeps working.
"""

from __future__ import annotations

import structlog

from airecruiter.db.applications import ApplicationRecord, StatusConflictError
from airecruiter.db.candidate_tokens import mint_candidate_token
from airecruiter.db.email_outbox import OutboxEmail, find_email, mark_email_sent, prepare_email
from airecruiter.db.notices import NOTICE, NOTICE_VERSION
from airecruiter.db.requisitions import RequisitionRecord
from airecruiter.domain.notice import NoticeSent
from airecruiter.domain.statuses import ApplicationStatus
from airecruiter.errors import ValidationError
from airecruiter.processors.common import load_subject, record
from airecruiter.processors.context import PipelineContext
from airecruiter.queue.jobs import Job
from airecruiter.services.candidate_texts import rendered
from airecruiter.services.notice_email import notice_email

log = structlog.get_logger(__name__)


def candidate_url(frontend_url: str, token: str) -> str:
    """The link to the candidate's pages (a person instead of the AI, an accommodation)."""
    return f"{frontend_url.rstrip('/')}/candidate/{token}"


async def send_notice(ctx: PipelineContext, job: Job) -> None:
    """Send the advance notice to a new candidate whose requisition asks for one, once."""
    subject = await load_subject(ctx, job)
    if subject is None:
        return
    application, requisition = subject.application, subject.requisition
    if requisition.notice_period_days <= 0 or requisition.notice_given_on is not None:
        log.info("notice_skipped", reason="the requisition asks for no notice email")
        return
    async with ctx.engine.connect() as conn:
        email = await find_email(conn, application_id=application.id, kind=NOTICE, version=NOTICE_VERSION)
    if email is not None and email.state == "sent":
        log.info("notice_skipped", reason="the notice was sent already")
        return
    if application.status != ApplicationStatus.NEW:
        log.info("notice_skipped", reason=f"the application is already {application.status}")
        return
    if email is not None and await ctx.mailer.delivered(email.message_id):
        await _record_sent(ctx, job, application, email, email.message_id, found=True)
        return
    await _send(ctx, job, application, requisition)


async def _send(ctx: PipelineContext, job: Job, application: ApplicationRecord, requisition: RequisitionRecord) -> None:
    reference = application.external_application_id
    if not application.candidate_email:
        raise ValidationError(
            f"Application {reference} has no email address in Workday, so no advance notice can be sent and no "
            "AI step may run. Add the address to the candidate in Workday; the next sync picks it up, then retry."
        )
    contact = requisition.recruiter_email or ctx.recruiter_email
    async with ctx.engine.begin() as conn:
        text = await rendered(
            conn,
            kind="notice",
            role=requisition.name,
            company=ctx.company_name,
            contact=contact,
            retention_days=ctx.retention_days,
        )
        token = await mint_candidate_token(conn, application.id)
        email = await prepare_email(
            conn,
            application_id=application.id,
            kind=NOTICE,
            version=NOTICE_VERSION,
            message_id=ctx.mailer.new_message_id(),
            text_version=text.version,
        )
        if email is None:
            raise StatusConflictError(f"The notice for application {application.id} was sent by another job.")
    try:
        notice = notice_email(
            to_email=application.candidate_email,
            candidate_name=application.candidate_name or "candidate",
            position=requisition.name,
            company_name=ctx.company_name,
            text=text.text,
            candidate_url=candidate_url(ctx.frontend_url, token),
            recruiter_name=requisition.recruiter_name or ctx.recruiter_name,
            recruiter_email=contact,
        )
    except ValidationError as exc:
        raise ValidationError(
            f"The advance notice for application {reference} cannot be sent: {exc.message} "
            "Correct it (in Workday for the candidate's details), then retry this job."
        ) from exc
    provider_id = await ctx.mailer.send_plain_email(notice, message_id=email.message_id)
    await _record_sent(ctx, job, application, email, provider_id)


async def _record_sent(
    ctx: PipelineContext,
    job: Job,
    application: ApplicationRecord,
    email: OutboxEmail,
    provider_id: str,
    *,
    found: bool = False,
) -> None:
    """The outbox row `sent` (the notice period counts from now) and the activity entry, together."""
    async with ctx.engine.begin() as conn:
        marked = await mark_email_sent(
            conn, email_id=email.id, message_id=email.message_id, provider_message_id=provider_id, sent_at=ctx.now()
        )
        if marked is None:
            raise StatusConflictError(f"The notice for application {application.id} was recorded by another job.")
        details = NoticeSent(
            message_id=provider_id, wording_version=email.text_version, attempt=email.attempts, found_sent=found
        )
        await record(conn, job, application, details)
    log.info("notice_sent", message_id=provider_id, text_version=email.text_version, found_sent=found)
