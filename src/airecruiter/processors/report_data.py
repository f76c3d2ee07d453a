"""What a candidate report shows, mapped from the stored rows onto the report port's own models.

A quote the model gave that does not occur in its source stays visible, marked as unverified, so
the recruiter can judge it instead of mistaking it for evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

from airecruiter.db.analyses import AnalysisRecord
from airecruiter.db.applications import ApplicationRecord
from airecruiter.db.decisions import DecisionRecord
from airecruiter.db.evaluations import EvaluationRecord
from airecruiter.db.interviews import InterviewMessageRecord
from airecruiter.db.requisitions import RequisitionRecord
from airecruiter.domain import records
from airecruiter.domain.decisions import DECISION_LABELS, Decision, reason_label
from airecruiter.ports.reports import (
    AnalysisSection,
    EvaluationSection,
    Finding,
    HiddenText,
    InterviewScores,
    PersonDecision,
    ReportData,
    TranscriptMessage,
)

RECOMMENDATIONS = {"strong_hire": "Strong hire", "hire": "Hire", "maybe": "Maybe", "no_hire": "No hire"}
UNVERIFIED_NOTE = "(unverified: this quote does not occur in the {source})"


def _evidence(evidence: Iterable[records.Evidence], source: str) -> str:
    quotes = []
    for item in evidence:
        quote = item.quote.strip()
        if quote:
            quotes.append(quote if item.verified else f"{quote} {UNVERIFIED_NOTE.format(source=source)}")
    return " … ".join(quotes)


def report_findings(findings: Iterable[records.Finding], *, source: str) -> tuple[Finding, ...]:
    """Stored findings as report findings, each with its quotes in one line."""
    return tuple(Finding(text=f.text, evidence=_evidence(f.evidence, source)) for f in findings if f.text.strip())


def analysis_section(analysis: AnalysisRecord) -> AnalysisSection:
    """The résumé-analysis part of the report."""
    return AnalysisSection(
        risk_score=analysis.risk_score,
        relevance_summary=analysis.relevance_summary,
        pros=report_findings(analysis.pros, source="résumé"),
        cons=report_findings(analysis.cons, source="résumé"),
        red_flags=report_findings(analysis.red_flags, source="résumé"),
        suggested_questions=tuple(analysis.suggested_questions),
        provider=analysis.provider,
        model=analysis.model,
        prompt_version=str(analysis.prompt_version),
        hidden_text=tuple(HiddenText(text=h.text, reason=h.reason) for h in analysis.hidden_text),
    )


def evaluation_section(evaluation: EvaluationRecord) -> EvaluationSection:
    """The interview-evaluation part of the report."""
    source = "candidate's answers"
    return EvaluationSection(
        scores=InterviewScores(**{name: float(value) for name, value in evaluation.scores.items()}),
        overall_score=evaluation.overall_score,
        recommendation=RECOMMENDATIONS.get(evaluation.recommendation, evaluation.recommendation),
        summary=evaluation.summary,
        strengths=report_findings(evaluation.strengths, source=source),
        weaknesses=report_findings(evaluation.weaknesses, source=source),
        red_flags=report_findings(evaluation.red_flags, source=source),
        provider=evaluation.provider,
        model=evaluation.model,
        prompt_version=str(evaluation.prompt_version),
    )


def decision_section(decision: DecisionRecord) -> PersonDecision:
    """The person's current decision as the report shows it."""
    return PersonDecision(
        decision=DECISION_LABELS[Decision(decision.decision)],
        reason=reason_label(decision.reason_code),
        note=decision.note or "",
        decided_by=decision.decided_by,
        decided_at=decision.decided_at,
    )


def _role(role: str) -> Literal["interviewer", "candidate"]:
    return "candidate" if role == "candidate" else "interviewer"


def report_data(
    *,
    application: ApplicationRecord,
    requisition: RequisitionRecord,
    analysis: AnalysisRecord,
    evaluation: EvaluationRecord | None,
    transcript: Sequence[InterviewMessageRecord],
    generated_at: datetime,
    decision: DecisionRecord | None = None,
) -> ReportData:
    """Everything the report shows; analysis-only without an evaluation; the person's current decision if any."""
    return ReportData(
        candidate_name=application.candidate_name,
        candidate_email=application.candidate_email or "",
        position=requisition.name,
        requisition_id=requisition.external_id,
        recruiter_name=requisition.recruiter_name or "",
        generated_at=generated_at,
        analysis=analysis_section(analysis),
        evaluation=None if evaluation is None else evaluation_section(evaluation),
        transcript=()
        if evaluation is None
        else tuple(TranscriptMessage(role=_role(m.role), content=m.content) for m in transcript),
        decision=None if decision is None else decision_section(decision),
    )
