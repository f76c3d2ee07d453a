"""The pipeline's scheduling rules: which requisitions are due a sync, which applications their next job.

The generic scheduler (`queue.scheduler`) calls `plan_pipeline` every tick while it leads; this
module knows the recruiting side, the scheduler only the queue.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.retention import last_retention_run
from airecruiter.db.stages import due_requisition_ids, waiting_applications
from airecruiter.domain.jobs import JobType
from airecruiter.domain.stages import next_job
from airecruiter.queue.jobs import NewJob, Priority
from airecruiter.queue.scheduler import DueJobs, SchedulerConfig


async def plan_pipeline(conn: AsyncConnection, *, job_types: frozenset[str], config: SchedulerConfig) -> DueJobs:
    """Due syncs (the requisition list, then each due requisition) and each waiting application's next job."""
    syncs: list[NewJob] = []
    if JobType.SYNC in job_types:
        # A sync without a requisition refreshes the requisition list from Workday.
        syncs.append(NewJob(JobType.SYNC))
        due = await due_requisition_ids(conn, default_lookback_hours=config.lookback_hours_default)
        syncs += [NewJob(JobType.SYNC, requisition_id=r) for r in due]
    if JobType.RETENTION in job_types and await _retention_due(conn):
        syncs.append(NewJob(JobType.RETENTION))
    stages: list[NewJob] = []
    for app in await waiting_applications(conn):
        job_type = next_job(app.facts)
        if job_type and job_type in job_types and job_type not in app.ended_jobs:
            stages.append(NewJob(job_type, application_id=app.id, priority=Priority.SCHEDULED))
    return DueJobs(periodic=syncs, follow_ups=stages)


RETENTION_EVERY = timedelta(days=1)


async def _retention_due(conn: AsyncConnection) -> bool:
    """Retention runs once a day: due when no retention job completed in the last 24 hours."""
    # A live retention item is not enqueued twice (dedupe); this keeps a finished one from running again.
    last = await last_retention_run(conn)
    return last is None or datetime.now(UTC) - last >= RETENTION_EVERY
