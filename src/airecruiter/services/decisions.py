"""A person's decision on an application, on the record: advance, reject or hold, with a reason.

One transaction appends the decision (history is kept; the newest is the current one), refreshes
the application's de-identified outcome row, logs the decision (ids and codes, never the note),
and — when the application has a report already — queues a new report that shows the AI's
recommendation beside the decision; the pipeline uploads it to Workday as a new version.
Nothing is written to the candidate's stage in Workday: Workday stays the system of record for
the hiring decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.applications import ApplicationRecord, application_by_id
from airecruiter.db.decisions import DecisionRecord, insert_decision
from airecruiter.db.outcomes import refresh_outcome
from airecruiter.db.reports import latest_report
from airecruiter.domain.console_activity import DecisionRecorded
from airecruiter.domain.decisions import DECISION_LABELS, checked_decision, reason_label
from airecruiter.domain.jobs import JobType
from airecruiter.domain.statuses import ApplicationStatus
from airecruiter.queue.jobs import Priority
from airecruiter.queue.manager import QueueManager
from airecruiter.services.applications import ApplicationNotFoundError

# A new report only replaces one that exists and is past the pipeline's own report step; earlier,
# the pipeline's report (which reads the current decision) is still to come.
_REPORTED = frozenset({ApplicationStatus.REPORT_PENDING, ApplicationStatus.COMPLETE})


@dataclass(frozen=True)
class DecisionOutcome:
    """What the console tells the user: the stored decision, whether a report was queued, a sentence."""

    decision: DecisionRecord
    report_queued: bool
    message: str


async def _report_due(conn: AsyncConnection, application: ApplicationRecord) -> bool:
    if application.status not in _REPORTED:
        return False
    return await latest_report(conn, application_id=application.id) is not None


async def record_decision(
    engine: AsyncEngine,
    queue: QueueManager,
    *,
    application_id: int,
    decision: str,
    reason_code: str,
    note: str | None,
    actor: str,
    reason_codes: tuple[str, ...],
) -> DecisionOutcome:
    """Record a person's decision; queue a new report when there is one to replace. Refuses bad input."""
    kind, code, text = checked_decision(decision, reason_code, note, reason_codes)
    async with engine.begin() as conn:
        application = await application_by_id(conn, application_id=application_id)
        if application is None:
            raise ApplicationNotFoundError(f"There is no application {application_id}; it may have been deleted.")
        stored = await insert_decision(
            conn, application_id=application_id, decision=kind, reason_code=code, note=text, decided_by=actor
        )
        await refresh_outcome(conn, application_id)
        report_queued = await _report_due(conn, application)
        queue_item_id = None
        if report_queued:
            result = await queue.enqueue(
                JobType.GENERATE_REPORT,
                application_id=application_id,
                priority=Priority.MANUAL,
                enqueued_by=actor,
                conn=conn,
            )
            queue_item_id = result.id
        await record_activity(
            conn,
            actor=actor,
            requisition_id=application.requisition_id,
            application_id=application_id,
            queue_item_id=queue_item_id,
            details=DecisionRecorded(
                decision_id=stored.id,
                decision=kind,
                reason_code=code,
                annotated=text is not None,
                report_queued=report_queued,
            ),
        )
    said = f"Decision recorded: {DECISION_LABELS[kind]} ({reason_label(code).lower()})."
    follow = (
        " A new report showing it is queued; it is uploaded to Workday as a new version when it is ready."
        if report_queued
        else " The report will show it when it is made."
    )
    if application.status == ApplicationStatus.HUMAN_REVIEW:
        follow = " No AI report is made for an application in human review."
    return DecisionOutcome(stored, report_queued, said + follow + " Workday's candidate stage is not changed.")
