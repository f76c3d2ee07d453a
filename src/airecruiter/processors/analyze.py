"""The `analyze` job: the résumé against the job, by the LLM, with nothing personal or hidden sent.

Steps (the specification's, plus the safeguards of the issue): the résumé from storage → its
visible text (text a reader would not see is recorded, never passed on) → the candidate's name,
email, phone, address, profile links, photos and birth date redacted → the active
`resume_analysis` prompt for the requisition → the LLM → the analysis stored with model, prompt
version and input hash, each evidence quote checked against the redacted text → status
`analyzed` → the auto-send check. While the requisition's advance notice holds the AI back (the
notice not sent yet, or its period still running) a new application is left alone.
An application past `new` is left alone, unless an admin
asked for a re-analysis after its latest analysis (a `reanalysis_requested` activity, see
services.applications): then a new analysis is stored and becomes the latest, and the
status stays where it is (nothing moves backwards, nothing is sent again).
"""

from __future__ import annotations

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.analyses import insert_analysis, latest_analysis
from airecruiter.db.applications import ApplicationRecord, change_status, merge_artifacts
from airecruiter.db.notices import notice_facts
from airecruiter.db.outcomes import refresh_outcome
from airecruiter.db.prompts import Prompt
from airecruiter.db.read_models.applications import requested_since
from airecruiter.db.requisitions import RequisitionRecord
from airecruiter.domain.activity_details import (
    AnalysisStored,
    HiddenTextFound,
    ResumeUnreadable,
    ResumeUnredactable,
    redacted_message,
)
from airecruiter.domain.artifacts import ExtractionArtifacts
from airecruiter.domain.candidate_wording import candidate_questions
from airecruiter.domain.console_activity import ReanalysisRequested
from airecruiter.domain.evidence import EvidenceSource
from airecruiter.domain.notice import AnalysisDeferred, NoticeState, notice_state
from airecruiter.domain.records import HiddenText, unverified_quotes
from airecruiter.domain.redaction import Redaction
from airecruiter.domain.statuses import ApplicationStatus
from airecruiter.errors import ParseError
from airecruiter.ports.documents import ExtractedDocument
from airecruiter.ports.llm import ResumeAnalysis
from airecruiter.processors.common import (
    actor,
    checked_findings,
    enqueue_interview_if_due,
    input_hash,
    load_subject,
    raw_response,
    record,
    required_prompt,
)
from airecruiter.processors.context import PipelineContext
from airecruiter.processors.resumes import fetch_resume, resume_details
from airecruiter.queue.jobs import Job

log = structlog.get_logger(__name__)


async def analyze_application(ctx: PipelineContext, job: Job) -> None:
    """Analyse a new application's résumé against its requisition and mark it `analyzed`."""
    subject = await load_subject(ctx, job)
    if subject is None:
        return
    application, requisition = subject.application, subject.requisition
    if application.status == ApplicationStatus.NEW and await _held_by_notice(ctx, job, application):
        return
    if application.status != ApplicationStatus.NEW and not await _reanalysis_requested(ctx, application.id):
        log.info("analysis_skipped", reason=f"the application is already {application.status}")
        return
    prompt = await required_prompt(ctx, "resume_analysis", requisition)
    application = await _ensure_resume(ctx, job, application)
    document = await _read_resume(ctx, job, application)
    redaction = await _redact(ctx, job, application, document, blind_education=requisition.blind_education)
    analysis = await ctx.llm.analyze_resume(
        prompt=prompt.template_content,
        prompt_version=prompt.version,
        resume_text=redaction.text,
        job_title=requisition.name,
        job_description=requisition.detailed_description,
    )
    await _store(ctx, job, application, requisition, prompt, document, redaction, analysis)


async def _held_by_notice(ctx: PipelineContext, job: Job, application: ApplicationRecord) -> bool:
    """True (logged) while the advance notice holds the AI back: a job queued earlier checks again here."""
    async with ctx.engine.begin() as conn:
        facts = await notice_facts(conn, application_id=application.id)
        state = notice_state(facts, now=ctx.now(), calendar=ctx.notice_calendar)
        if state is NoticeState.NOT_REQUIRED:
            return False
        ends = facts.ends_at(ctx.notice_calendar)
        until = None if ends is None else ends.isoformat()
        await record(conn, job, application, AnalysisDeferred(notice=state.value, until=until))
    log.info("analysis_deferred", notice=state.value, until=until)
    return True


async def _reanalysis_requested(ctx: PipelineContext, application_id: int) -> bool:
    async with ctx.engine.connect() as conn:
        latest = await latest_analysis(conn, application_id=application_id)
        return await requested_since(
            conn,
            application_id=application_id,
            action=ReanalysisRequested.ACTION,
            since=None if latest is None else latest.created_at,
        )


async def _ensure_resume(ctx: PipelineContext, job: Job, application: ApplicationRecord) -> ApplicationRecord:
    """The application with a stored résumé: Workday is asked again if it had none at sync time."""
    if application.artifacts.resume is not None:
        return application
    artifacts = await fetch_resume(
        ctx,
        application_id=application.id,
        external_candidate_id=application.external_candidate_id,
        external_application_id=application.external_application_id,
    )
    if artifacts.resume is None:
        raise ParseError(
            f"Workday holds no résumé for application {application.external_application_id}, so there is "
            "nothing to analyse. Ask the candidate to attach one in Workday, then retry this job."
        )
    async with ctx.engine.begin() as conn:
        application = await merge_artifacts(conn, application_id=application.id, artifacts=artifacts)
        await record(conn, job, application, resume_details(artifacts.resume))
    return application


async def _read_resume(ctx: PipelineContext, job: Job, application: ApplicationRecord) -> ExtractedDocument:
    resume = application.artifacts.resume
    if resume is None:
        raise ParseError(f"Application {application.external_application_id} has no stored résumé to read.")
    data = await ctx.storage.get(resume.key)
    filename = resume.filename
    try:
        return await ctx.documents.extract(data, filename=filename)
    except ParseError as exc:
        # Kept on the application's history: the dead letter says it too, but a recruiter looks here.
        async with ctx.engine.begin() as conn:
            reason = redacted_message(exc.message, filename, application.candidate_name, application.candidate_email)
            await record(conn, job, application, ResumeUnreadable(reason))
            await refresh_outcome(conn, application.id)
        raise


async def _redact(
    ctx: PipelineContext,
    job: Job,
    application: ApplicationRecord,
    document: ExtractedDocument,
    *,
    blind_education: bool,
) -> Redaction:
    try:
        return await ctx.redactor.redact(
            document.text,
            candidate_name=application.candidate_name,
            email=application.candidate_email,
            blind_education=blind_education,
        )
    except ParseError as exc:
        async with ctx.engine.begin() as conn:
            reason = redacted_message(exc.message, application.candidate_name, application.candidate_email)
            await record(conn, job, application, ResumeUnredactable(reason))
        raise


async def _store_extraction(
    conn: AsyncConnection,
    job: Job,
    application: ApplicationRecord,
    document: ExtractedDocument,
    redaction: Redaction,
    hidden: tuple[HiddenText, ...],
) -> None:
    """Keep what reading the résumé found on the application, and log any hidden text (by reason only)."""
    extraction = ExtractionArtifacts(
        hidden_text=hidden,
        redaction=redaction.counts,
        text_chars=len(document.text),
        pages=document.pages,
        warnings=tuple(document.warnings),
    )
    await merge_artifacts(conn, application_id=application.id, artifacts=extraction)
    if hidden:
        await record(conn, job, application, HiddenTextFound(len(hidden), tuple(sorted({h.reason for h in hidden}))))


async def _store(
    ctx: PipelineContext,
    job: Job,
    application: ApplicationRecord,
    requisition: RequisitionRecord,
    prompt: Prompt,
    document: ExtractedDocument,
    redaction: Redaction,
    analysis: ResumeAnalysis,
) -> None:
    source = EvidenceSource(redaction.text)
    pros, cons, red_flags = (checked_findings(f, source) for f in (analysis.pros, analysis.cons, analysis.red_flags))
    hidden = tuple(HiddenText(text=h.text, reason=h.reason, page=h.page) for h in document.hidden)
    run = analysis.run
    async with ctx.engine.begin() as conn:
        analysis_id = await insert_analysis(
            conn,
            application_id=application.id,
            risk_score=analysis.risk_score,
            relevance_summary=analysis.relevance_summary,
            pros=pros,
            cons=cons,
            red_flags=red_flags,
            # built from redacted text, asked of the candidate: no placeholder may reach them
            suggested_questions=candidate_questions(analysis.suggested_questions),
            hidden_text=hidden,
            raw_response=raw_response(run),
            provider=run.provider,
            model=run.model,
            prompt_id=prompt.id,
            prompt_version=prompt.version,
            input_hash=input_hash(
                run, prompt.template_content, requisition.name, requisition.detailed_description, redaction.text
            ),
            input_tokens=run.input_tokens,
            output_tokens=run.output_tokens,
        )
        await _store_extraction(conn, job, application, document, redaction, hidden)
        await record(
            conn,
            job,
            application,
            AnalysisStored(
                analysis_id=analysis_id,
                provider=run.provider,
                model=run.model,
                prompt_version=prompt.version,
                risk_score=analysis.risk_score,
                unverified_quotes=unverified_quotes(pros, cons, red_flags),
                redacted=redaction.counts,
                reanalysis=application.status != ApplicationStatus.NEW,
            ),
        )
        await refresh_outcome(conn, application.id)
        if application.status == ApplicationStatus.NEW:  # a re-analysis leaves the status where it is
            analyzed = await change_status(
                conn,
                application_id=application.id,
                expected=ApplicationStatus.NEW,
                target=ApplicationStatus.ANALYZED,
                actor=actor(job),
                queue_item_id=job.id,
            )
            await enqueue_interview_if_due(conn, ctx, job, application=analyzed, requisition=requisition)
    log.info(
        "analysis_stored",
        analysis_id=analysis_id,
        risk_score=analysis.risk_score,
        provider=run.provider,
        model=run.model,
        hidden_text=len(hidden),
    )
