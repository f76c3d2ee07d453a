"""The `send_request_emails` job: a candidate request's emails go out even when the mail server refused at first.

A candidate asking for a person instead of the AI, or for an accommodation, gets a confirmation and
the recruiter a notification (services/candidate_choices.py). The request queues this job in its
own transaction; the job sends every request email of the application still `pending` through the
service's exactly-once path (`deliver_request_emails`: outbox row locked, the mailer asked whether
its Message-ID went out, marked sent in the same transaction) and fails with a transient error
while any stays pending, so the queue tries again with backoff. Two runs send nothing twice. It is
queued without delay: an email the request's own send is sending is waited for, then found sent.
The job runs for an application under human review: these emails serve the person, not the AI.
"""

from __future__ import annotations

import structlog

from airecruiter.db.candidate_request_flow import pending_request_emails
from airecruiter.errors import AIRecruiterError, MailDeferredError, PermanentError
from airecruiter.processors.common import load_subject
from airecruiter.processors.context import PipelineContext
from airecruiter.queue.jobs import Job
from airecruiter.services.candidate_choices import RequestDesk, deliver_request_emails

log = structlog.get_logger(__name__)


def request_desk(ctx: PipelineContext) -> RequestDesk:
    """The request flows' dependencies from the processors' context."""
    return RequestDesk(
        engine=ctx.engine,
        queue=ctx.queue,
        mailer=ctx.mailer,
        frontend_url=ctx.frontend_url,
        company_name=ctx.company_name,
        contact_name=ctx.recruiter_name,
        contact_email=ctx.recruiter_email,
    )


async def send_request_emails(ctx: PipelineContext, job: Job) -> None:
    """Send the application's pending request emails, each once; fail (to be retried) while any is pending."""
    subject = await load_subject(ctx, job)
    if subject is None:
        return
    application_id = subject.application.id
    try:
        # Waiting for a sender that holds an email (the request's own send after its commit) rather
        # than skipping it: the job then finds it sent instead of failing and retrying for nothing.
        sent = await deliver_request_emails(request_desk(ctx), application_id=application_id, wait_for_senders=True)
    except PermanentError:
        raise
    except (AIRecruiterError, OSError) as exc:
        raise MailDeferredError(
            f"The mail server refused a request email of application {application_id} "
            f"({type(exc).__name__}); it stays pending and is tried again."
        ) from exc
    async with ctx.engine.connect() as conn:
        waiting = await pending_request_emails(conn, application_id)
    if waiting:
        raise MailDeferredError(
            f"{waiting} request email(s) of application {application_id} are still unsent "
            "(being sent by another process, or the recruiter contact is missing); tried again later."
        )
    log.info("request_emails_delivered", sent=sent)
