"""What a recruiter or admin asks of one application from the console: invite now, a new report, a re-analysis.

Each action checks that it makes sense in the application's current state, then queues the
pipeline job with manual priority and logs the request with the console user as actor, both in
one transaction. The job does the work, exactly as the pipeline would; the logged request is
what lets `generate_report` and `analyze` run again for an application they have already done.
A refusal is a ValidationError whose message says why and what to do instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.applications import ApplicationRecord, application_by_id
from airecruiter.db.interviews import InterviewRecord, live_interview
from airecruiter.domain.console_activity import (
    InterviewRequested,
    ManualJobRequest,
    ReanalysisRequested,
    ReportRequested,
)
from airecruiter.domain.jobs import JobType
from airecruiter.domain.statuses import ApplicationStatus, InterviewStatus
from airecruiter.errors import ValidationError
from airecruiter.queue.jobs import Priority
from airecruiter.queue.manager import QueueManager

_S = ApplicationStatus


class ApplicationNotFoundError(ValidationError):
    """The application the action names does not exist (any more)."""


@dataclass(frozen=True)
class ActionOutcome:
    """What the console tells the user: the queued item and a sentence."""

    queue_item_id: int | None
    queued: bool  # False when an item for the same job was waiting already (it was moved up instead)
    message: str


async def _application(conn: AsyncConnection, application_id: int) -> ApplicationRecord:
    application = await application_by_id(conn, application_id=application_id)
    if application is None:
        raise ApplicationNotFoundError(f"There is no application {application_id}; it may have been deleted.")
    return application


async def _queue_and_log(
    conn: AsyncConnection,
    queue: QueueManager,
    application: ApplicationRecord,
    *,
    job_type: str,
    request: type[ManualJobRequest],
    actor: str,
    done: str,
) -> ActionOutcome:
    """Queue `job_type` with manual priority and log the `request`, in the caller's transaction."""
    result = await queue.enqueue(
        job_type, application_id=application.id, priority=Priority.MANUAL, enqueued_by=actor, conn=conn
    )
    await record_activity(
        conn,
        actor=actor,
        requisition_id=application.requisition_id,
        application_id=application.id,
        queue_item_id=result.id,
        details=request(job_type=job_type, queue_item_id=result.id, queued=result.created, status=application.status),
    )
    if result.created:
        return ActionOutcome(result.id, True, f"{done} It is at the front of the queue.")
    return ActionOutcome(
        result.id, False, f"{done} A {job_type} job was already waiting; it was moved to the front of the queue."
    )


def _interview_refusal(application: ApplicationRecord, interview: InterviewRecord | None) -> str | None:
    """Why no invitation can be sent now, or None."""
    name = application.candidate_name
    if application.status == _S.NEW:
        return f"{name}'s résumé has not been analysed yet; the interview can be sent once the analysis is done."
    if interview is not None:
        state = {
            InterviewStatus.COMPLETED: "has completed the interview",
            InterviewStatus.IN_PROGRESS: "is taking the interview now",
        }.get(InterviewStatus(interview.status), "has been invited already")
        return f"{name} {state}; a candidate gets one interview."
    if application.status != _S.ANALYZED:
        return (
            f"The application is {application.status.replace('_', ' ')}, past the interview stage, "
            "so no interview can be sent."
        )
    if application.workday_inactive:
        return (
            f"Workday shows {name} as rejected, withdrawn or do-not-hire, so no interview is sent. "
            "Reactivate the candidate in Workday first."
        )
    if not application.candidate_email:
        return f"Workday has no email address for {name}. Add it in Workday; the next sync picks it up."
    return None


async def send_interview_now(
    engine: AsyncEngine,
    queue: QueueManager,
    *,
    application_id: int,
    actor: str,
) -> ActionOutcome:
    """Queue the interview invitation of an analysed application that has no interview yet."""
    async with engine.begin() as conn:
        application = await _application(conn, application_id)
        refusal = _interview_refusal(application, await live_interview(conn, application_id=application_id))
        if refusal:
            raise ValidationError(refusal)
        return await _queue_and_log(
            conn,
            queue,
            application,
            job_type=JobType.SEND_INTERVIEW,
            request=InterviewRequested,
            actor=actor,
            done=f"The interview invitation to {application.candidate_name} is queued.",
        )


def _report_refusal(application: ApplicationRecord, interview: InterviewRecord | None) -> str | None:
    """Why no report can be made now, or None."""
    if application.status == _S.NEW:
        return "The résumé has not been analysed yet, and every report starts with the analysis."
    if application.status == _S.INTERVIEW_PENDING and interview is not None:
        if interview.status == InterviewStatus.COMPLETED:
            return (
                "The interview is finished and being evaluated; the report follows by itself once the "
                "evaluation is stored."
            )
        return (
            "The candidate has an open interview invitation. The report is made by itself once the interview "
            "is finished and evaluated; a report now would leave the interview out for good."
        )
    return None


async def regenerate_report(
    engine: AsyncEngine,
    queue: QueueManager,
    *,
    application_id: int,
    actor: str,
) -> ActionOutcome:
    """Queue a new report (uploaded to Workday as a new document once made) from the latest findings."""
    async with engine.begin() as conn:
        application = await _application(conn, application_id)
        refusal = _report_refusal(application, await live_interview(conn, application_id=application_id))
        if refusal:
            raise ValidationError(refusal)
        scope = "analysis-only " if application.status in (_S.ANALYZED, _S.INTERVIEW_PENDING) else ""
        return await _queue_and_log(
            conn,
            queue,
            application,
            job_type=JobType.GENERATE_REPORT,
            request=ReportRequested,
            actor=actor,
            done=f"A new {scope}report is queued; it is uploaded to Workday when it is ready.",
        )


async def reanalyze(
    engine: AsyncEngine,
    queue: QueueManager,
    *,
    application_id: int,
    actor: str,
) -> ActionOutcome:
    """Queue a new résumé analysis; it becomes the latest, and the application's status stays where it is."""
    async with engine.begin() as conn:
        application = await _application(conn, application_id)
        return await _queue_and_log(
            conn,
            queue,
            application,
            job_type=JobType.ANALYZE,
            request=ReanalysisRequested,
            actor=actor,
            done="A new analysis of the résumé is queued; it replaces the current one as the latest when it is done.",
        )
