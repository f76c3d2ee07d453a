"""The PDF candidate report port: what a report shows, and the renderer that turns it into a PDF.

These models are the report's own input, deliberately independent of the LLM port's types: the
`generate_report` processor maps the stored analysis, evaluation and transcript onto them, so a
change in how the LLM answers never silently changes what a recruiter reads.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

OFFLINE_PROVIDER = "offline"
"""Provider name of the deterministic scorer; the report says no language model was used."""

SCORE_NAMES: tuple[str, ...] = (
    "reliability",
    "accountability",
    "professionalism",
    "communication",
    "technical",
    "growth_potential",
)
"""The six interview scores, in the order the report charts them."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(_Frozen):
    """One pro, con, red flag, strength or weakness, with the quote that supports it."""

    text: str = Field(min_length=1)
    evidence: str = ""  # a verbatim quote from the résumé or transcript; empty when none was given


class HiddenText(_Frozen):
    """Text found in the résumé that a reader of the document would not see, and why it is hidden."""

    text: str
    reason: str


class AnalysisSection(_Frozen):
    """The résumé analysis against the requisition."""

    risk_score: float = Field(ge=0.0, le=1.0)
    relevance_summary: str
    pros: tuple[Finding, ...] = ()
    cons: tuple[Finding, ...] = ()
    red_flags: tuple[Finding, ...] = ()
    suggested_questions: tuple[str, ...] = ()
    provider: str
    model: str
    prompt_version: str
    hidden_text: tuple[HiddenText, ...] = ()


class InterviewScores(_Frozen):
    """The six rubric scores of an interview, each 0–10."""

    reliability: float = Field(ge=0.0, le=10.0)
    accountability: float = Field(ge=0.0, le=10.0)
    professionalism: float = Field(ge=0.0, le=10.0)
    communication: float = Field(ge=0.0, le=10.0)
    technical: float = Field(ge=0.0, le=10.0)
    growth_potential: float = Field(ge=0.0, le=10.0)


class EvaluationSection(_Frozen):
    """The evaluation of the candidate's interview transcript."""

    scores: InterviewScores
    overall_score: float = Field(ge=0.0, le=10.0)
    recommendation: str
    summary: str
    strengths: tuple[Finding, ...] = ()
    weaknesses: tuple[Finding, ...] = ()
    red_flags: tuple[Finding, ...] = ()
    provider: str
    model: str
    prompt_version: str


class TranscriptMessage(_Frozen):
    """One message of the interview, in the order it was sent."""

    role: Literal["interviewer", "candidate"]
    content: str


class PersonDecision(_Frozen):
    """The current decision a person recorded on the application, shown beside the AI's recommendation."""

    decision: str  # Advance, Reject or Hold
    reason: str  # the reason code in words
    note: str = ""
    decided_by: str
    decided_at: datetime


class ReportData(_Frozen):
    """Everything one candidate report shows; `evaluation` is None before an interview exists."""

    candidate_name: str
    candidate_email: str = ""
    position: str
    requisition_id: str  # the external (Workday) requisition id a recruiter recognises
    recruiter_name: str = ""
    generated_at: datetime
    analysis: AnalysisSection
    evaluation: EvaluationSection | None = None
    transcript: tuple[TranscriptMessage, ...] = ()
    decision: PersonDecision | None = None


class ReportRenderer(Protocol):
    """Turns report data into a PDF document."""

    async def render(self, data: ReportData) -> bytes:
        """The report as PDF bytes; CPU-bound work runs off the event loop."""
        ...
