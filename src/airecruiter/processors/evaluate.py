"""The `evaluate` job: the finished interview's transcript scored by the LLM.

Steps: the transcript → the active `evaluation` prompt → the LLM → the evaluation with its six
scores, the overall score computed by `domain.scoring` (never by the model), summary, findings
(quotes checked against the candidate's own words), recommendation and the transcript text →
status `interview_complete` → `generate_report` queued. One evaluation per interview (UNIQUE):
a retry after success does nothing.
"""

from __future__ import annotations

import structlog

from airecruiter.db.applications import change_status
from airecruiter.db.evaluations import evaluation_for_interview, insert_evaluation
from airecruiter.db.interviews import InterviewMessageRecord, InterviewRecord, live_interview, messages
from airecruiter.db.outcomes import refresh_outcome
from airecruiter.domain.activity_details import EvaluationStored
from airecruiter.domain.evidence import EvidenceSource
from airecruiter.domain.jobs import JobType
from airecruiter.domain.records import unverified_quotes
from airecruiter.domain.scoring import SCORE_WEIGHTS, overall_score
from airecruiter.domain.statuses import ApplicationStatus, InterviewStatus
from airecruiter.errors import ParseError, ValidationError
from airecruiter.ports.llm import InterviewMessage
from airecruiter.processors.common import (
    Subject,
    actor,
    checked_findings,
    input_hash,
    load_subject,
    raw_response,
    record,
    required_prompt,
)
from airecruiter.processors.context import PipelineContext
from airecruiter.queue.jobs import Job
from airecruiter.services.transcript_redaction import redacted_transcript

log = structlog.get_logger(__name__)

ROLE_LABELS = {"interviewer": "Interviewer", "candidate": "Candidate"}
_DONE = frozenset({ApplicationStatus.INTERVIEW_COMPLETE, ApplicationStatus.REPORT_PENDING, ApplicationStatus.COMPLETE})


def transcript_text(transcript: list[InterviewMessageRecord]) -> str:
    """The transcript as stored with the evaluation: one labelled paragraph per message."""
    return "\n\n".join(f"{ROLE_LABELS.get(m.role, m.role)}: {m.content}" for m in transcript)


async def evaluate_interview(ctx: PipelineContext, job: Job) -> None:
    """Evaluate the application's completed interview and queue its report."""
    subject = await load_subject(ctx, job)
    if subject is None:
        return
    application = subject.application
    if application.status in _DONE:
        log.info("evaluation_skipped", reason=f"the application is already {application.status}")
        return
    interview, transcript = await _finished_interview(ctx, subject)
    async with ctx.engine.connect() as conn:
        if await evaluation_for_interview(conn, interview_id=interview.id) is not None:
            log.info("evaluation_skipped", reason="the interview was evaluated already", interview_id=interview.id)
            return
    await _evaluate(ctx, job, subject, interview, transcript)


async def _finished_interview(
    ctx: PipelineContext,
    subject: Subject,
) -> tuple[InterviewRecord, list[InterviewMessageRecord]]:
    application = subject.application
    reference = application.external_application_id
    async with ctx.engine.connect() as conn:
        interview = await live_interview(conn, application_id=application.id)
        transcript = [] if interview is None else await messages(conn, interview_id=interview.id)
    if interview is None or interview.status != InterviewStatus.COMPLETED:
        state = "has no interview" if interview is None else f"has an interview that is {interview.status}"
        raise ValidationError(
            f"Application {reference} {state}; an evaluation needs a completed interview. "
            "It is queued again by itself when the candidate finishes."
        )
    if not any(m.role == "candidate" and m.content.strip() for m in transcript):
        raise ValidationError(
            f"The interview of application {reference} has no answers from the candidate, so there is "
            "nothing to evaluate. Invite the candidate again, or generate an analysis-only report."
        )
    return interview, transcript


async def _redacted(
    ctx: PipelineContext, subject: Subject, transcript: list[InterviewMessageRecord]
) -> list[InterviewMessage]:
    """The transcript as the evaluator may read it; fails for good when an answer cannot be redacted."""
    application = subject.application
    try:
        return await redacted_transcript(
            ctx.redactor,
            transcript,
            candidate_name=application.candidate_name,
            email=application.candidate_email,
            blind_education=subject.requisition.blind_education,
        )
    except ParseError as exc:
        raise ParseError(
            f"An interview answer of application {application.external_application_id} could not be "
            "cleared of personal details, so the transcript was not sent to the AI for evaluation. "
            "Read the transcript in the console and assess the interview yourself."
        ) from exc


async def _evaluate(
    ctx: PipelineContext,
    job: Job,
    subject: Subject,
    interview: InterviewRecord,
    transcript: list[InterviewMessageRecord],
) -> None:
    application, requisition = subject.application, subject.requisition
    prompt = await required_prompt(ctx, "evaluation", requisition)
    messages_sent = await _redacted(ctx, subject, transcript)
    result = await ctx.llm.evaluate_interview(
        prompt=prompt.template_content,
        prompt_version=prompt.version,
        job_title=requisition.name,
        job_description=requisition.detailed_description,
        transcript=messages_sent,
    )
    scores = {name: int(getattr(result, name)) for name in SCORE_WEIGHTS}
    overall = overall_score(scores)
    # The model quotes the answers it read: the redacted ones.
    source = EvidenceSource("\n".join(m.content for m in messages_sent if m.role == "candidate"))
    strengths, weaknesses, red_flags = (
        checked_findings(f, source) for f in (result.strengths, result.weaknesses, result.red_flags)
    )
    text = transcript_text(transcript)
    run = result.run
    async with ctx.engine.begin() as conn:
        evaluation_id = await insert_evaluation(
            conn,
            interview_id=interview.id,
            application_id=application.id,
            scores=scores,
            overall_score=overall,
            summary=result.summary,
            strengths=strengths,
            weaknesses=weaknesses,
            red_flags=red_flags,
            recommendation=result.recommendation,
            transcript=text,
            raw_response=raw_response(run),
            provider=run.provider,
            model=run.model,
            prompt_id=prompt.id,
            prompt_version=prompt.version,
            input_hash=input_hash(
                run,
                prompt.template_content,
                requisition.name,
                requisition.detailed_description,
                "\n\n".join(f"{ROLE_LABELS.get(m.role, m.role)}: {m.content}" for m in messages_sent),
            ),
        )
        if evaluation_id is None:
            log.info("evaluation_skipped", reason="another job evaluated the interview first")
            return
        await record(
            conn,
            job,
            application,
            EvaluationStored(
                evaluation_id=evaluation_id,
                interview_id=interview.id,
                overall_score=overall,
                recommendation=result.recommendation,
                provider=run.provider,
                model=run.model,
                prompt_version=prompt.version,
                unverified_quotes=unverified_quotes(strengths, weaknesses, red_flags),
            ),
        )
        await refresh_outcome(conn, application.id)
        await change_status(
            conn,
            application_id=application.id,
            expected=ApplicationStatus.INTERVIEW_PENDING,
            target=ApplicationStatus.INTERVIEW_COMPLETE,
            actor=actor(job),
            queue_item_id=job.id,
        )
        await ctx.queue.enqueue(
            JobType.GENERATE_REPORT, application_id=application.id, conn=conn, enqueued_by=actor(job)
        )
    log.info(
        "evaluation_stored",
        evaluation_id=evaluation_id,
        overall_score=overall,
        recommendation=result.recommendation,
        provider=run.provider,
        model=run.model,
    )
