"""The port's three operations for any adapter that asks a model through one `_complete` call."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from pydantic import BaseModel

from airecruiter.adapters.llm.prompting import (
    candidate_words,
    evaluation_request,
    input_digest,
    job_context,
    keep_verbatim_evidence,
    resume_request,
    turn_request,
)
from airecruiter.ports.llm import (
    AIRun,
    InterviewEvaluation,
    InterviewEvaluationContent,
    InterviewMessage,
    InterviewTurn,
    InterviewTurnContent,
    ResumeAnalysis,
    ResumeAnalysisContent,
)

ContentT = TypeVar("ContentT", bound=BaseModel)


@dataclass(frozen=True)
class Completion(Generic[ContentT]):
    """A validated model answer with the facts about the call that produced it."""

    content: ContentT
    model: str
    input_tokens: int
    output_tokens: int
    cached_input_tokens: int
    raw: str


@dataclass(frozen=True)
class Request:
    """One call: system instructions, the cacheable job block, the per-call text, the output type."""

    name: str
    prompt: str
    context: str
    text: str
    max_tokens: int


class ModelBackedLLM(ABC):
    """Builds requests for the three operations and turns completions into port results."""

    provider: str = ""
    answer_tokens: ClassVar[dict[str, int]] = {
        "resume_analysis": 4096,
        "interview_turn": 1024,
        "interview_evaluation": 4096,
    }

    @abstractmethod
    async def _complete(self, request: Request, content_type: type[ContentT]) -> Completion[ContentT]:
        """Send one request and return the validated answer; raise the product's errors."""

    def _run(self, completion: Completion[ContentT], request: Request, prompt_version: int) -> AIRun:
        return AIRun(
            provider=self.provider,
            model=completion.model,
            prompt_version=prompt_version,
            input_tokens=completion.input_tokens,
            output_tokens=completion.output_tokens,
            cached_input_tokens=completion.cached_input_tokens,
            input_sha256=input_digest(request.prompt, request.context, request.text),
            raw_response=completion.raw,
        )

    def _request(self, name: str, prompt: str, job_title: str, job_description: str, text: str) -> Request:
        return Request(name, prompt, job_context(job_title, job_description), text, self.answer_tokens[name])

    async def analyze_resume(
        self, *, prompt: str, prompt_version: int, resume_text: str, job_title: str, job_description: str
    ) -> ResumeAnalysis:
        """Score a résumé against a job, with quoted evidence and suggested interview questions."""
        request = self._request("resume_analysis", prompt, job_title, job_description, resume_request(resume_text))
        done = await self._complete(request, ResumeAnalysisContent)
        content = keep_verbatim_evidence(done.content, resume_text)
        return ResumeAnalysis(**content.model_dump(), run=self._run(done, request, prompt_version))

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
        text = turn_request(suggested_questions, transcript)
        request = self._request("interview_turn", prompt, job_title, job_description, text)
        done = await self._complete(request, InterviewTurnContent)
        return InterviewTurn(**done.content.model_dump(), run=self._run(done, request, prompt_version))

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
        text = evaluation_request(transcript)
        request = self._request("interview_evaluation", prompt, job_title, job_description, text)
        done = await self._complete(request, InterviewEvaluationContent)
        content = keep_verbatim_evidence(done.content, candidate_words(transcript))
        return InterviewEvaluation(**content.model_dump(), run=self._run(done, request, prompt_version))
