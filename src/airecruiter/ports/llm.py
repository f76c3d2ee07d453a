"""The language-model port: résumé analysis, the interviewer's next turn, interview evaluation.

The `*Content` models are exactly what a model is asked to write (their JSON schema is sent as the
structured-output format), so bounds here (0–1, 0–10) make bad model output fail validation. Only
verbosity is forgiven: over-long texts and lists are clipped and blank quotes dropped, since a
quote of 600 characters is no reason to lose a whole analysis. The result models add `run`: which
provider and model answered, with which prompt version and tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

Recommendation = Literal["strong_hire", "hire", "maybe", "no_hire"]
Role = Literal["interviewer", "candidate"]

OFFLINE_PROVIDER = "offline"


def _clip(limit: int) -> Callable[[Any], Any]:
    """A before-validator that shortens strings and lists to `limit` and leaves other values alone."""

    def clip(value: Any) -> Any:
        if isinstance(value, str):
            return value.strip()[:limit]
        return value[:limit] if isinstance(value, list) else value

    return clip


class Evidence(BaseModel):
    """A short verbatim quote from the résumé or the transcript that backs a finding."""

    quote: Annotated[str, BeforeValidator(_clip(500)), Field(min_length=1)]


class Finding(BaseModel):
    """One pro, con, strength, weakness or red flag, with the quotes that support it."""

    text: Annotated[str, BeforeValidator(_clip(1000)), Field(min_length=1)]
    evidence: Annotated[list[Evidence], BeforeValidator(_clip(5))]

    @field_validator("evidence", mode="before")
    @classmethod
    def _drop_blank_quotes(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [e for e in value if not (isinstance(e, dict) and not str(e.get("quote") or "").strip())]
        return value


Findings = Annotated[list[Finding], BeforeValidator(_clip(12))]


class AIRun(BaseModel):
    """Who produced a result: provider, model id, prompt version, token usage and an input hash."""

    model_config = ConfigDict(frozen=True)

    provider: str
    model: str
    prompt_version: int
    input_tokens: int = Field(default=0, ge=0)
    output_tokens: int = Field(default=0, ge=0)
    cached_input_tokens: int = Field(default=0, ge=0)
    input_sha256: str = ""
    raw_response: str = ""

    @property
    def language_model_used(self) -> bool:
        """False for the offline rules scorer, whose results a report must label as such."""
        return self.provider != OFFLINE_PROVIDER


class ResumeAnalysisContent(BaseModel):
    """What the model writes about a résumé against a job."""

    risk_score: float = Field(ge=0.0, le=1.0, description="0 = strong fit, 1 = poor fit or high risk")
    relevance_summary: Annotated[str, BeforeValidator(_clip(4000)), Field(min_length=1)]
    pros: Findings
    cons: Findings
    red_flags: Findings
    suggested_questions: Annotated[list[str], BeforeValidator(_clip(10))]


class ResumeAnalysis(ResumeAnalysisContent):
    """A résumé analysis and the run that produced it."""

    run: AIRun


class InterviewMessage(BaseModel):
    """One message of an interview transcript."""

    role: Role
    content: str


class InterviewTurnContent(BaseModel):
    """The interviewer's next message, or that the interview is complete."""

    message: Annotated[str | None, BeforeValidator(_clip(4000))] = None
    complete: bool

    @model_validator(mode="after")
    def _message_unless_complete(self) -> InterviewTurnContent:
        if not self.complete and not (self.message or "").strip():
            raise ValueError("an interview that is not complete needs the interviewer's next message")
        return self


class InterviewTurn(InterviewTurnContent):
    """The next interview turn and the run that produced it."""

    run: AIRun


Score = Annotated[int, Field(ge=0, le=10)]


class InterviewEvaluationContent(BaseModel):
    """What the model writes about a finished interview; scores are integers 0–10."""

    reliability: Score
    accountability: Score
    professionalism: Score
    communication: Score
    technical: Score
    growth_potential: Score
    summary: Annotated[str, BeforeValidator(_clip(4000)), Field(min_length=1)]
    strengths: Findings
    weaknesses: Findings
    red_flags: Findings
    recommendation: Recommendation


class InterviewEvaluation(InterviewEvaluationContent):
    """An interview evaluation and the run that produced it."""

    run: AIRun


class LLM(Protocol):
    """A language model (or the offline rules scorer) behind the three AI steps of the pipeline.

    `prompt` is the active prompt template's text (the system instructions). Errors: `LLMError`
    (retry later, `retry_after` set when the server said how long), `ParseError` (output failed
    validation), `PermanentError`/`ConfigurationError` (credit exhausted, key refused).
    """

    async def analyze_resume(
        self, *, prompt: str, prompt_version: int, resume_text: str, job_title: str, job_description: str
    ) -> ResumeAnalysis:
        """Score a résumé against a job, with quoted evidence and suggested interview questions."""
        ...

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
        ...

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
        ...

    async def aclose(self) -> None:
        """Release the HTTP client, if any."""
        ...
