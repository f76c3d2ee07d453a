"""Fairness checks of a prompt version: request one (with its queued job), run the requested ones.

A check runs every pair of the built-in counterfactual suite (`domain.fairness_suite`) through
the real redaction and, where the two redacted inputs still differ, through the configured LLM
with the prompt version under test (the active prompts of the other types for the rest), and
stores per attribute family how far the résumé risk and the interview overall score moved
(`domain.fairness_stats`). Pairs whose input is identical are not sent: the model cannot tell
them apart. With the offline scorer the scores say nothing about a prompt, so only input identity
decides the verdict, and the check is stored as offline. Scores are the résumé risk (from the
`resume_analysis` prompt) and the interview overall score (from the `evaluation` prompt); checking an
`interview` (interviewer) prompt measures the same inputs and scores, since the interviewer itself
scores nothing. Pairs are scored against the suite's own job families; `--requisition` chooses the
prompt scope and that requisition's "blind education" setting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import asdict, dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.fairness_checks import (
    CheckResult,
    FairnessCheck,
    checks_for_prompt,
    complete_check,
    get_check,
    request_check,
    requested_checks,
)
from airecruiter.db.prompts import Prompt, active_prompt, prompt_versions
from airecruiter.db.requisitions import requisition_by_id
from airecruiter.domain.fairness_activity import FairnessCheckCompleted, FairnessCheckRequested
from airecruiter.domain.fairness_stats import Thresholds, family_results, verdict
from airecruiter.domain.fairness_suite import JOBS, CounterfactualPair, Side, suite
from airecruiter.domain.jobs import JobType
from airecruiter.domain.scoring import SCORE_WEIGHTS, overall_score
from airecruiter.errors import ValidationError
from airecruiter.ports.llm import LLM, OFFLINE_PROVIDER, InterviewMessage
from airecruiter.ports.redaction import TextRedactor
from airecruiter.queue.jobs import Priority
from airecruiter.queue.manager import QueueManager
from airecruiter.services.transcript_redaction import redacted_transcript

log = structlog.get_logger(__name__)

SCORED_CONCURRENCY = 4  # model calls of one check at once: quick enough, gentle on rate limits


@dataclass(frozen=True)
class FairnessRunner:
    """What running a check needs: the database, the model, the redaction, the thresholds."""

    engine: AsyncEngine
    llm: LLM
    redactor: TextRedactor
    thresholds: Thresholds
    provider: str  # the configured LLM provider ("offline" for the rules scorer)
    model: str


async def _prompt_for(engine: AsyncEngine, prompt_type: str, version: int | None, requisition_id: int | None) -> Prompt:
    """The version to check: `version` of the scope (the requisition's own prompt, else global), else the active one."""
    async with engine.connect() as conn:
        if version is None:
            prompt = await active_prompt(conn, prompt_type=prompt_type, requisition_id=requisition_id)
            if prompt is None:
                raise ValidationError(f"There is no active {prompt_type} prompt to check.")
            return prompt
        for scope in (requisition_id, None) if requisition_id is not None else (None,):
            for p in await prompt_versions(conn, prompt_type=prompt_type, requisition_id=scope):
                if p.version == version:
                    return p
    raise ValidationError(f"There is no version {version} of the {prompt_type} prompt to check.")


async def request_fairness_check(
    engine: AsyncEngine,
    queue: QueueManager,
    *,
    prompt_type: str,
    version: int | None,
    requisition_id: int | None,
    actor: str,
) -> int:
    """Record a check of one prompt version and enqueue the job that runs it; returns the check's id."""
    if requisition_id is not None:
        async with engine.connect() as conn:
            if await requisition_by_id(conn, requisition_id=requisition_id) is None:
                raise ValidationError(f"There is no requisition {requisition_id}.")
    prompt = await _prompt_for(engine, prompt_type, version, requisition_id)
    return await request_prompt_check(engine, queue, prompt=prompt, requisition_id=requisition_id, actor=actor)


async def request_prompt_check(
    engine: AsyncEngine, queue: QueueManager, *, prompt: Prompt, requisition_id: int | None, actor: str
) -> int:
    """Record a check of `prompt` for a scope and enqueue its job, in one transaction."""
    scope = prompt.requisition_id if prompt.requisition_id is not None else requisition_id
    async with engine.begin() as conn:
        check_id = await request_check(conn, prompt_id=prompt.id, requisition_id=scope, requested_by=actor)
        await queue.enqueue(
            JobType.FAIRNESS_CHECK, requisition_id=scope, priority=Priority.MANUAL, enqueued_by=actor, conn=conn
        )
        details = FairnessCheckRequested(
            check_id=check_id, type=prompt.type, version=prompt.version, requisition_id=scope
        )
        await record_activity(conn, actor=actor, requisition_id=scope, details=details)
    return check_id


async def prompt_checks(engine: AsyncEngine, *, prompt_id: int) -> list[FairnessCheck]:
    """A prompt version's checks, newest first (the prompt's page)."""
    async with engine.connect() as conn:
        return await checks_for_prompt(conn, prompt_id=prompt_id)


async def fairness_check(engine: AsyncEngine, check_id: int) -> FairnessCheck | None:
    """One check as stored now."""
    async with engine.connect() as conn:
        return await get_check(conn, check_id)


async def run_requested_checks(runner: FairnessRunner, *, requisition_id: int | None, actor: str) -> int:
    """Run every requested check of a scope (global when None) until none is left; returns how many ran."""
    ran = 0
    while True:
        async with runner.engine.connect() as conn:
            waiting = await requested_checks(conn, requisition_id=requisition_id)
        if not waiting:
            return ran
        for check in waiting:
            await _run_one(runner, check, actor)
            ran += 1


async def _run_one(runner: FairnessRunner, check: FairnessCheck, actor: str) -> None:
    result = await evaluate_suite(runner, check)
    async with runner.engine.begin() as conn:
        if not await complete_check(conn, check_id=check.id, result=result):
            return
        details = FairnessCheckCompleted(
            check_id=check.id,
            type=check.prompt_type,
            version=check.prompt_version,
            requisition_id=check.requisition_id,
            passed=result.passed,
            offline=result.offline,
            identity_rate=round(result.identity_rate, 4),
        )
        await record_activity(conn, actor=actor, requisition_id=check.requisition_id, details=details)
    log.info("fairness_check_done", check_id=check.id, passed=result.passed, identity_rate=result.identity_rate)


@dataclass(frozen=True)
class _Prompts:
    resume: Prompt
    evaluation: Prompt


async def _prompts(engine: AsyncEngine, check: FairnessCheck) -> _Prompts:
    """The prompt under test for its type; the scope's active prompt for the other scorer."""
    async with engine.connect() as conn:
        chosen = {}
        for kind in ("resume_analysis", "evaluation"):
            if kind == check.prompt_type:
                versions = await prompt_versions(conn, prompt_type=kind, requisition_id=None)
                if check.requisition_id is not None:
                    versions += await prompt_versions(conn, prompt_type=kind, requisition_id=check.requisition_id)
                chosen[kind] = next(p for p in versions if p.id == check.prompt_id)
            else:
                active = await active_prompt(conn, prompt_type=kind, requisition_id=check.requisition_id)
                if active is None:
                    raise ValidationError(f"There is no active {kind} prompt to score the suite with.")
                chosen[kind] = active
    return _Prompts(resume=chosen["resume_analysis"], evaluation=chosen["evaluation"])


async def evaluate_suite(runner: FairnessRunner, check: FairnessCheck) -> CheckResult:
    """Every pair of the suite through the redaction and, where inputs differ, the model; the stored result."""
    prompts = await _prompts(runner.engine, check)
    blind = True
    if check.requisition_id is not None:
        async with runner.engine.connect() as conn:
            requisition = await requisition_by_id(conn, requisition_id=check.requisition_id)
        blind = True if requisition is None else requisition.blind_education
    pairs = suite()
    limit = asyncio.Semaphore(SCORED_CONCURRENCY)

    async def outcome(pair: CounterfactualPair) -> tuple[str, bool, str, float | None]:
        inputs = [await _model_input(runner.redactor, pair, side, blind) for side in (pair.a, pair.b)]
        if inputs[0] == inputs[1]:
            return pair.family, True, pair.kind, None
        async with limit:
            a, b = [await _score(runner.llm, prompts, pair, text) for text in inputs]
        return pair.family, False, pair.kind, b - a

    outcomes = await asyncio.gather(*(outcome(p) for p in pairs))
    offline = runner.provider == OFFLINE_PROVIDER
    families = family_results(outcomes)
    return CheckResult(
        provider=runner.provider,
        model=runner.model,
        offline=offline,
        pairs=len(pairs),
        identity_rate=_rate(outcomes, lambda kind: True),
        resume_identity_rate=_rate(outcomes, lambda kind: kind == "resume"),
        interview_identity_rate=_rate(outcomes, lambda kind: kind == "interview"),
        families=tuple(families),
        thresholds=asdict(runner.thresholds),
        reasons=tuple(verdict(families, runner.thresholds, scores_meaningful=not offline)),
    )


def _rate(outcomes: list[tuple[str, bool, str, float | None]], kinds: Callable[[str], bool]) -> float:
    chosen = [identical for _, identical, kind, _ in outcomes if kinds(kind)]
    return 1.0 if not chosen else sum(chosen) / len(chosen)


async def _model_input(redactor: TextRedactor, pair: CounterfactualPair, side: Side, blind: bool) -> str:
    """The text the model would read for this side: the redacted résumé, or the redacted answer."""
    if pair.kind == "interview":
        sent = await redacted_transcript(
            redactor,
            [
                InterviewMessage(role="interviewer", content=pair.question),
                InterviewMessage(role="candidate", content=side.text),
            ],
            candidate_name=side.name,
            email=side.email,
            blind_education=blind,
        )
        return sent[-1].content
    redaction = await redactor.redact(side.text, candidate_name=side.name, email=side.email, blind_education=blind)
    return redaction.text


async def _score(llm: LLM, prompts: _Prompts, pair: CounterfactualPair, text: str) -> float:
    """The résumé risk (0–1) or the interview overall score (0–10) the model gives this input."""
    job = JOBS[pair.job]
    if pair.kind == "resume":
        analysis = await llm.analyze_resume(
            prompt=prompts.resume.template_content,
            prompt_version=prompts.resume.version,
            resume_text=text,
            job_title=job.title,
            job_description=job.description,
        )
        return analysis.risk_score
    evaluation = await llm.evaluate_interview(
        prompt=prompts.evaluation.template_content,
        prompt_version=prompts.evaluation.version,
        job_title=job.title,
        job_description=job.description,
        transcript=[
            InterviewMessage(role="interviewer", content=pair.question),
            InterviewMessage(role="candidate", content=text),
        ],
    )
    return overall_score({name: getattr(evaluation, name) for name in SCORE_WEIGHTS})
