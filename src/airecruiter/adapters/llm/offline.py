"""The offline LLM provider: a deterministic rules scorer behind the LLM port, no model involved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pydantic import BaseModel

from airecruiter.adapters.llm.offline_interview import evaluate_offline, next_turn
from airecruiter.adapters.llm.offline_resume import analyze_resume_offline
from airecruiter.adapters.llm.prompting import format_transcript, input_digest
from airecruiter.ports.llm import (
    OFFLINE_PROVIDER,
    AIRun,
    InterviewEvaluation,
    InterviewMessage,
    InterviewTurn,
    ResumeAnalysis,
)

OFFLINE_MODEL = "offline-rules-v1"


class OfflineLLM:
    """Résumé matching, tenure and gap checks, a scripted interviewer and a rubric; no network."""

    provider = OFFLINE_PROVIDER
    model = OFFLINE_MODEL

    def __init__(self, *, today: Callable[[], date] = date.today) -> None:
        # "Present" in a résumé means today; injectable so results can be pinned in tests.
        self._today = today

    async def aclose(self) -> None:
        """Nothing to release."""

    def _run(self, prompt_version: int, content: BaseModel, *inputs: str) -> AIRun:
        # The prompt text is not used by the rules, but its version is recorded like any other run.
        return AIRun(
            provider=OFFLINE_PROVIDER,
            model=OFFLINE_MODEL,
            prompt_version=prompt_version,
            input_sha256=input_digest(*inputs),
            raw_response=content.model_dump_json(),
        )

    async def analyze_resume(
        self, *, prompt: str, prompt_version: int, resume_text: str, job_title: str, job_description: str
    ) -> ResumeAnalysis:
        """Score a résumé against a job, with quoted evidence and suggested interview questions."""
        content = analyze_resume_offline(resume_text, job_title, job_description, self._today())
        run = self._run(prompt_version, content, prompt, job_title, job_description, resume_text)
        return ResumeAnalysis(**content.model_dump(), run=run)

    async def interview_turn(
        self,
        *,
        prompt: str,
        prompt_version: int,
        job_title: str,
        job_description: str,
        suggested_questions: list[str],
        transcript: list[InterviewMessage],
    ) -> InterviewTurn:
        """The interviewer's next message given the transcript so far, or that the interview is over."""
        content = next_turn(job_title, suggested_questions, transcript)
        run = self._run(
            prompt_version, content, prompt, job_title, "\n".join(suggested_questions), format_transcript(transcript)
        )
        return InterviewTurn(**content.model_dump(), run=run)

    async def evaluate_interview(
        self,
        *,
        prompt: str,
        prompt_version: int,
        job_title: str,
        job_description: str,
        transcript: list[InterviewMessage],
    ) -> InterviewEvaluation:
        """Score a finished interview on six 0–10 scales, with transcript quotes as evidence."""
        content = evaluate_offline(job_title, job_description, transcript)
        run = self._run(prompt_version, content, prompt, job_title, job_description, format_transcript(transcript))
        return InterviewEvaluation(**content.model_dump(), run=run)
