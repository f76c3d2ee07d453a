"""What several processors share: loading a job's subject, activity entries, the auto-send check."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.activities import record_activity
from airecruiter.db.applications import ApplicationRecord, application_by_id
from airecruiter.db.interviews import live_interview
from airecruiter.db.prompts import Prompt, active_prompt
from airecruiter.db.requisitions import RequisitionRecord, requisition_by_id
from airecruiter.domain.activity_details import ActivityDetails
from airecruiter.domain.evidence import EvidenceSource
from airecruiter.domain.jobs import JobType
from airecruiter.domain.records import Evidence, Finding
from airecruiter.domain.stages import should_auto_send
from airecruiter.domain.statuses import ApplicationStatus
from airecruiter.errors import ConfigurationError, ValidationError
from airecruiter.ports import llm
from airecruiter.processors.context import PipelineContext
from airecruiter.queue.jobs import Job

log = structlog.get_logger(__name__)

# Jobs that serve the person assessing an application, not the AI: they run under human review too.
# `send_request_emails` carries the candidate's confirmation and the recruiter's notification of
# the very request that put the application there; skipping it would lose them.
RUNS_UNDER_HUMAN_REVIEW = frozenset({JobType.SEND_REQUEST_EMAILS.value})

PROMPT_LABELS = {"resume_analysis": "résumé analysis", "interview": "interview", "evaluation": "evaluation"}


@dataclass(frozen=True)
class Subject:
    """The application a job is about, and its requisition."""

    application: ApplicationRecord
    requisition: RequisitionRecord


def actor(job: Job) -> str:
    """Who the activity log names for what this job does."""
    return f"processor:{job.job_type}"


async def load_subject(ctx: PipelineContext, job: Job) -> Subject | None:
    """The job's application and requisition; None (logged) when it was deleted since or a person assesses it."""
    if job.application_id is None:
        raise ValidationError(f"A {job.job_type} job needs an application, and this one names none.")
    async with ctx.engine.connect() as conn:
        application = await application_by_id(conn, application_id=job.application_id)
        requisition = (
            None if application is None else await requisition_by_id(conn, requisition_id=application.requisition_id)
        )
    if application is None or requisition is None:
        log.info("job_subject_gone", reason="the application no longer exists")
        return None
    if application.status == ApplicationStatus.HUMAN_REVIEW and job.job_type not in RUNS_UNDER_HUMAN_REVIEW:
        # A person assesses it: no AI step runs, a job queued before the request included.
        log.info("job_skipped_human_review", reason="the candidate is assessed by a person")
        return None
    return Subject(application, requisition)


async def taken_to_a_person(ctx: PipelineContext, application_id: int) -> bool:
    """Whether the application moved to human review since the job loaded it (checked before a side effect)."""
    async with ctx.engine.connect() as conn:
        application = await application_by_id(conn, application_id=application_id)
    if application is not None and application.status == ApplicationStatus.HUMAN_REVIEW:
        log.info("job_stopped_human_review", reason="the candidate asked for a person while the job ran")
        return True
    return False


async def record(conn: AsyncConnection, job: Job, application: ApplicationRecord, details: ActivityDetails) -> None:
    """One activity entry about `application`, by this job's processor."""
    await record_activity(
        conn,
        actor=actor(job),
        requisition_id=application.requisition_id,
        application_id=application.id,
        queue_item_id=job.id,
        details=details,
    )


async def required_prompt(ctx: PipelineContext, prompt_type: str, requisition: RequisitionRecord) -> Prompt:
    """The active prompt for the requisition (its own, else the global one); a clear permanent error if none."""
    prompt = await active_prompt(ctx.engine, prompt_type=prompt_type, requisition_id=requisition.id)
    if prompt is None:
        raise ConfigurationError(
            f"No {PROMPT_LABELS[prompt_type]} prompt is active, neither for requisition "
            f"{requisition.external_id} nor globally. Activate a version on the admin console's prompts "
            "page, then retry this job."
        )
    return prompt


async def enqueue_interview_if_due(
    conn: AsyncConnection,
    ctx: PipelineContext,
    job: Job,
    *,
    application: ApplicationRecord,
    requisition: RequisitionRecord,
) -> bool:
    """Queue `send_interview` (in the caller's transaction) when the auto-send rule says so, once only."""
    if application.status != ApplicationStatus.ANALYZED:
        return False
    if not should_auto_send(
        auto_send_interview=requisition.auto_send_interview,
        auto_send_on_status=requisition.auto_send_on_status,
        workday_status=application.workday_status,
        workday_inactive=application.workday_inactive,
    ):
        return False
    if await live_interview(conn, application_id=application.id) is not None:
        return False  # never a second interview
    await ctx.queue.enqueue(JobType.SEND_INTERVIEW, application_id=application.id, conn=conn, enqueued_by=actor(job))
    log.info("interview_auto_send_queued", application_id=application.id, workday_status=application.workday_status)
    return True


def checked_findings(findings: Sequence[llm.Finding], source: EvidenceSource) -> tuple[Finding, ...]:
    """Findings as stored: each quote kept, with whether it occurs in the source text."""
    return tuple(
        Finding(
            text=finding.text,
            evidence=tuple(
                Evidence(quote=c.quote, verified=c.verified) for c in source.check(e.quote for e in finding.evidence)
            ),
        )
        for finding in findings
    )


def raw_response(run: llm.AIRun) -> Any:
    """The model's raw answer as JSON data when it is JSON, else wrapped as text; None when empty."""
    if not run.raw_response:
        return None
    try:
        return json.loads(run.raw_response)
    except ValueError:
        return {"text": run.raw_response}


def input_hash(run: llm.AIRun, *inputs: str) -> str:
    """The run's input hash; computed here over the inputs we sent if the provider gave none."""
    if run.input_sha256:
        return run.input_sha256
    digest = hashlib.sha256()
    for part in inputs:
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()
