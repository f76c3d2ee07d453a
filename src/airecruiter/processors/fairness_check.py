"""The `fairness_check` job: run the requested fairness checks of its scope (a requisition, or global).

The check rows are written with the job (services.fairness); the job completes every requested row
of its scope, so a check requested while the job for that scope is already waiting rides along.
"""

from __future__ import annotations

import structlog

from airecruiter.processors.common import actor
from airecruiter.queue.jobs import Job, Processor
from airecruiter.services.fairness import FairnessRunner, run_requested_checks

log = structlog.get_logger(__name__)


def fairness_processor(runner: FairnessRunner) -> Processor:
    """The processor of `fairness_check` jobs, bound to what running a check needs."""

    async def fairness_check(job: Job) -> None:
        with structlog.contextvars.bound_contextvars(job_id=job.id, job_type=job.job_type):
            ran = await run_requested_checks(runner, requisition_id=job.requisition_id, actor=actor(job))
            log.info("fairness_checks_run", checks=ran, requisition_id=job.requisition_id)

    return fairness_check
