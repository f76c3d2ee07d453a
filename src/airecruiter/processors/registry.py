"""The job-type registry: which processor runs each job type.

`pipeline_processors(ctx)` gives the pipeline processors (docs/architecture.md: one application,
from sync to upload, and the advance notice before it) bound to their context; `build_registry`
joins them with any extra job types a caller registers (the engine's demo, tests) and refuses a
job type registered twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping

import structlog

from airecruiter.domain.jobs import JobType
from airecruiter.processors.analyze import analyze_application
from airecruiter.processors.context import PipelineContext
from airecruiter.processors.evaluate import evaluate_interview
from airecruiter.processors.fairness_check import fairness_processor
from airecruiter.processors.generate_report import generate_report
from airecruiter.processors.retention import apply_retention
from airecruiter.processors.send_interview import send_interview_invitation
from airecruiter.processors.send_notice import send_notice
from airecruiter.processors.send_request_emails import send_request_emails
from airecruiter.processors.sync import sync_workday
from airecruiter.processors.upload_report import upload_report
from airecruiter.queue.jobs import Job, Processor
from airecruiter.services.fairness import FairnessRunner

PipelineStep = Callable[[PipelineContext, Job], Awaitable[None]]

PIPELINE_STEPS: Mapping[str, PipelineStep] = {
    JobType.SYNC.value: sync_workday,
    JobType.ANALYZE.value: analyze_application,
    JobType.SEND_INTERVIEW.value: send_interview_invitation,
    JobType.EVALUATE.value: evaluate_interview,
    JobType.GENERATE_REPORT.value: generate_report,
    JobType.UPLOAD_REPORT.value: upload_report,
    JobType.RETENTION.value: apply_retention,
    JobType.SEND_NOTICE.value: send_notice,
    JobType.SEND_REQUEST_EMAILS.value: send_request_emails,
}

PIPELINE_JOB_TYPES: tuple[str, ...] = tuple(PIPELINE_STEPS)


def _bound(ctx: PipelineContext, step: PipelineStep) -> Processor:
    async def run(job: Job) -> None:
        # The worker logs each job's start and end; this puts the job on every line the step logs.
        with structlog.contextvars.bound_contextvars(
            job_id=job.id,
            job_type=job.job_type,
            application_id=job.application_id,
            requisition_id=job.requisition_id,
        ):
            await step(ctx, job)

    run.__name__ = run.__qualname__ = step.__name__
    return run


def pipeline_processors(ctx: PipelineContext) -> dict[str, Processor]:
    """The pipeline processors, each bound to `ctx`."""
    return {job_type: _bound(ctx, step) for job_type, step in PIPELINE_STEPS.items()}


def fairness_processors(runner: FairnessRunner) -> dict[str, Processor]:
    """The `fairness_check` processor: every process that runs a worker can run a check (it needs no Workday)."""
    return {JobType.FAIRNESS_CHECK.value: fairness_processor(runner)}


def add_processors(registry: MutableMapping[str, Processor], processors: Mapping[str, Processor]) -> None:
    """Register more job types; a job type registered twice is a programming error."""
    for job_type, processor in processors.items():
        if job_type in registry:
            raise ValueError(f"job type {job_type!r} is registered twice")
        registry[job_type] = processor


def build_registry(
    extra: Mapping[str, Processor] | None = None,
    *,
    pipeline: Mapping[str, Processor] | None = None,
) -> dict[str, Processor]:
    """The processors this deployment can run, keyed by job type."""
    registry: dict[str, Processor] = {}
    add_processors(registry, pipeline or {})
    add_processors(registry, extra or {})
    return registry
