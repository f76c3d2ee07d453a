"""The `retention` job: once a day, delete the applications whose retention period has passed."""

from __future__ import annotations

from airecruiter.processors.common import actor
from airecruiter.processors.context import PipelineContext
from airecruiter.queue.jobs import Job
from airecruiter.services.retention import run_retention


async def apply_retention(ctx: PipelineContext, job: Job) -> None:
    """Delete what is due (legal holds excepted) and log one activity entry with the counts."""
    await run_retention(
        ctx.engine,
        ctx.deletion_stores,
        retention_days=ctx.retention_days,
        files_days=ctx.retention_days_files,
        now=ctx.now(),
        actor=actor(job),
    )
