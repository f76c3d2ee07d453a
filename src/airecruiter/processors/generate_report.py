"""The `generate_report` job: the PDF candidate report, stored, recorded, and queued for Workday.

Steps: the report data from the application, requisition, analysis and — when the candidate was
interviewed and evaluated — evaluation and transcript (otherwise an analysis-only report, which
a recruiter may ask for from `analyzed`) → the renderer → storage under
`applications/{id}/reports/CandidateReport_{id}_{n}.pdf` → the report row → status
`report_pending` → `upload_report` queued. An application already `report_pending` or
`complete` with a report is left alone, unless a recruiter asked for a new report after it was
made (a `report_requested` activity, see services.applications) or a person recorded a decision
after it (services.decisions): then the new report replaces it as the newest and is uploaded as the
pipeline does. Every report shows the current decision beside the AI's recommendation.
"""

from __future__ import annotations

from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.analyses import latest_analysis
from airecruiter.db.applications import change_status
from airecruiter.db.decisions import current_decision
from airecruiter.db.evaluations import evaluation_for_interview
from airecruiter.db.interviews import live_interview, messages
from airecruiter.db.read_models.applications import requested_since
from airecruiter.db.reports import insert_report, latest_report, report_count
from airecruiter.domain.activity_details import ReportGenerated
from airecruiter.domain.console_activity import DecisionRecorded, ReportRequested
from airecruiter.domain.jobs import JobType
from airecruiter.domain.statuses import ApplicationStatus, check_transition
from airecruiter.errors import ValidationError
from airecruiter.ports.reports import ReportData
from airecruiter.ports.storage import report_key
from airecruiter.processors.common import Subject, actor, load_subject, record
from airecruiter.processors.context import PipelineContext
from airecruiter.processors.report_data import report_data
from airecruiter.queue.jobs import Job

log = structlog.get_logger(__name__)

PDF = "application/pdf"
_REPORTED = frozenset({ApplicationStatus.REPORT_PENDING, ApplicationStatus.COMPLETE})


async def generate_report(ctx: PipelineContext, job: Job) -> None:
    """Render, store and record the application's report; mark it `report_pending`."""
    subject = await load_subject(ctx, job)
    if subject is None:
        return
    application = subject.application
    async with ctx.engine.connect() as conn:
        existing = await latest_report(conn, application_id=application.id)
        requested = existing is not None and await _requested_since(conn, application.id, existing.created_at)
    if application.status in _REPORTED and existing is not None and not requested:
        log.info("report_skipped", reason=f"the application is {application.status} with report {existing.id}")
        return
    check_transition(application.status, ApplicationStatus.REPORT_PENDING)  # refuses `new` with the reason
    data = await _report_data(ctx, subject)
    pdf = await ctx.reports.render(data)
    async with ctx.engine.connect() as conn:
        number = await report_count(conn, application_id=application.id) + 1
    key = report_key(application.id, f"CandidateReport_{application.id}_{number}")
    await ctx.storage.put(key, pdf, content_type=PDF)
    includes_interview = data.evaluation is not None
    async with ctx.engine.begin() as conn:
        report = await insert_report(
            conn,
            application_id=application.id,
            s3_key=key,
            includes_analysis=True,
            includes_interview=includes_interview,
        )
        await record(
            conn,
            job,
            application,
            ReportGenerated(report_id=report.id, key=key, includes_interview=includes_interview, size_bytes=len(pdf)),
        )
        await change_status(
            conn,
            application_id=application.id,
            expected=application.status,
            target=ApplicationStatus.REPORT_PENDING,
            actor=actor(job),
            queue_item_id=job.id,
        )
        await ctx.queue.enqueue(JobType.UPLOAD_REPORT, application_id=application.id, conn=conn, enqueued_by=actor(job))
    log.info("report_generated", report_id=report.id, key=key, includes_interview=includes_interview, bytes=len(pdf))


async def _requested_since(conn: AsyncConnection, application_id: int, since: datetime) -> bool:
    """Whether someone asked for a new report, or recorded a decision, after `since`."""
    for action in (ReportRequested.ACTION, DecisionRecorded.ACTION):
        if await requested_since(conn, application_id=application_id, action=action, since=since):
            return True
    return False


async def _report_data(ctx: PipelineContext, subject: Subject) -> ReportData:
    application = subject.application
    async with ctx.engine.connect() as conn:
        analysis = await latest_analysis(conn, application_id=application.id)
        interview = await live_interview(conn, application_id=application.id)
        evaluation = None if interview is None else await evaluation_for_interview(conn, interview_id=interview.id)
        transcript = [] if evaluation is None or interview is None else await messages(conn, interview_id=interview.id)
        decision = await current_decision(conn, application_id=application.id)
    if analysis is None:
        raise ValidationError(
            f"Application {application.external_application_id} has no résumé analysis, and every report "
            "starts with one. Let the analysis finish (or retry it), then retry this job."
        )
    return report_data(
        application=application,
        requisition=subject.requisition,
        analysis=analysis,
        evaluation=evaluation,
        transcript=transcript,
        decision=decision,
        generated_at=ctx.now(),
    )
