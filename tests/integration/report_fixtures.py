"""Sample report data for tests and the documents benchmark: what a real pipeline run would pass."""

from __future__ import annotations

from datetime import UTC, datetime

from airecruiter.ports.reports import (
    AnalysisSection,
    EvaluationSection,
    Finding,
    InterviewScores,
    ReportData,
    TranscriptMessage,
)


def analysis(**changes: object) -> AnalysisSection:
    """A résumé analysis with findings, quotes and questions, as a language model would return it."""
    base = AnalysisSection(
        risk_score=0.35,
        relevance_summary="Strong match on Python and PostgreSQL; limited people-management experience.",
        pros=(
            Finding(text="Eight years of Python", evidence="Senior Python engineer, 2016–2024"),
            Finding(text="Ran PostgreSQL at scale", evidence="Migrated 4 TB of orders to PostgreSQL 15"),
        ),
        cons=(Finding(text="No team-lead role yet", evidence=""),),
        red_flags=(Finding(text="Unexplained 14-month gap", evidence="2019 – 2020: sabbatical"),),
        suggested_questions=("What did you do during 2019–2020?", "How did you plan the 4 TB migration?"),
        provider="anthropic",
        model="claude-sonnet-4-5-20250929",
        prompt_version="analysis-v7",
    )
    return base.model_copy(update=changes)


def evaluation(**changes: object) -> EvaluationSection:
    """An interview evaluation with six distinct scores so the chart can be checked value by value."""
    base = EvaluationSection(
        scores=InterviewScores(
            reliability=8.5,
            accountability=7.0,
            professionalism=9.0,
            communication=6.5,
            technical=8.0,
            growth_potential=5.5,
        ),
        overall_score=7.4,
        recommendation="Advance to on-site",
        summary="Clear, concrete answers about the migration; vaguer on mentoring.",
        strengths=(Finding(text="Owns outcomes", evidence="I stayed until the rollback plan was tested"),),
        weaknesses=(Finding(text="Little mentoring", evidence="I mostly worked alone"),),
        red_flags=(),
        provider="anthropic",
        model="claude-sonnet-4-5-20250929",
        prompt_version="evaluation-v3",
    )
    return base.model_copy(update=changes)


def transcript(messages: int = 6) -> tuple[TranscriptMessage, ...]:
    """Alternating interviewer and candidate messages."""
    return tuple(
        TranscriptMessage(
            role="interviewer" if index % 2 == 0 else "candidate",
            content=(
                f"Question {index // 2 + 1}: tell me about a hard migration you ran."
                if index % 2 == 0
                else f"Answer {index // 2 + 1}: we moved the orders database over a weekend, "
                "with a rehearsed rollback plan and a read-only window of forty minutes."
            ),
        )
        for index in range(messages)
    )


def report(**changes: object) -> ReportData:
    """A full report: analysis, evaluation and a short transcript."""
    base = ReportData(
        candidate_name="Zoë Łukasiewicz-Muñoz",
        candidate_email="zoe@example.org",
        position="Senior Backend Engineer",
        requisition_id="REQ-2024-0042",
        recruiter_name="Søren Ødegård",
        generated_at=datetime(2025, 3, 4, 14, 5, tzinfo=UTC),
        analysis=analysis(),
        evaluation=evaluation(),
        transcript=transcript(),
    )
    return base.model_copy(update=changes)
