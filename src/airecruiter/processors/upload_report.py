"""The `upload_report` job: the newest report into Workday as a candidate attachment, exactly once.

Steps: the application's newest report → its PDF from storage → Workday `Put_Candidate_Attachment`
as `CandidateReport_{id}.pdf` (a regenerated report, the n-th, as `CandidateReport_{id}_v{n}.pdf`, so
Workday keeps it as a new document) → the report marked `uploaded_to_workday` with Workday's document id
→ status `complete`. A report already marked uploaded is not sent again; a retry after a timeout
(Workday may have stored the file before the answer was lost) relies on the port, which looks for
an attachment of the same filename first and returns it instead of uploading a duplicate.
"""

from __future__ import annotations

import structlog

from airecruiter.db.applications import change_status
from airecruiter.db.reports import latest_report, mark_report_uploaded, report_position
from airecruiter.domain.activity_details import ReportUploaded
from airecruiter.domain.statuses import ApplicationStatus, check_transition
from airecruiter.errors import ValidationError
from airecruiter.processors.common import actor, load_subject, record, taken_to_a_person
from airecruiter.processors.context import PipelineContext
from airecruiter.queue.jobs import Job

log = structlog.get_logger(__name__)


def report_filename(application_id: int, version: int = 1) -> str:
    """The attachment's name in Workday: the specification's for the first report, versioned after it.

    The name is the same for every upload of one report, so a retried upload finds its earlier
    attempt; a regenerated report gets a new name, or Workday would keep the first one.
    """
    if version <= 1:
        return f"CandidateReport_{application_id}.pdf"
    return f"CandidateReport_{application_id}_v{version}.pdf"


async def upload_report(ctx: PipelineContext, job: Job) -> None:
    """Attach the newest report to the candidate in Workday and mark the application `complete`."""
    subject = await load_subject(ctx, job)
    if subject is None:
        return
    application, requisition = subject.application, subject.requisition
    async with ctx.engine.connect() as conn:
        report = await latest_report(conn, application_id=application.id)
        version = 0 if report is None else await report_position(conn, report_id=report.id)
    if report is None:
        raise ValidationError(
            f"Application {application.external_application_id} has no report to upload yet. "
            "Generate the report first, then retry this job."
        )
    if report.uploaded_to_workday:
        log.info("upload_skipped", reason="the newest report is in Workday already", report_id=report.id)
        return
    check_transition(application.status, ApplicationStatus.COMPLETE)  # only from report_pending
    pdf = await ctx.storage.get(report.s3_key)
    if await taken_to_a_person(ctx, application.id):
        return
    filename = report_filename(application.id, version)
    result = await ctx.workday.upload_report(
        candidate_id=application.external_candidate_id,
        filename=filename,
        content=pdf,
        comment=f"AIRecruiter candidate report for {requisition.name} ({requisition.external_id})",
    )
    async with ctx.engine.begin() as conn:
        await mark_report_uploaded(
            conn, report_id=report.id, workday_document_id=result.document_id, uploaded_at=ctx.now()
        )
        await record(
            conn,
            job,
            application,
            ReportUploaded(
                report_id=report.id,
                filename=filename,
                workday_document_id=result.document_id,
                already_in_workday=not result.created,
            ),
        )
        await change_status(
            conn,
            application_id=application.id,
            expected=ApplicationStatus.REPORT_PENDING,
            target=ApplicationStatus.COMPLETE,
            actor=actor(job),
            queue_item_id=job.id,
        )
    log.info(
        "report_uploaded",
        report_id=report.id,
        filename=filename,
        workday_document_id=result.document_id,
        already_in_workday=not result.created,
    )
