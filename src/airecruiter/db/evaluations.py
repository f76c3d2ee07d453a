"""Interview evaluations: six scores, the weighted overall score, findings and the transcript judged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.json_columns import from_json, to_json
from airecruiter.domain.records import Finding, findings_from_json, findings_to_json

SCORE_COLUMNS = {
    "reliability": "reliability_score",
    "accountability": "accountability_score",
    "professionalism": "professionalism_score",
    "communication": "communication_score",
    "technical": "technical_score",
    "growth_potential": "growth_potential_score",
}
_FINDING_COLUMNS = ("strengths", "weaknesses", "red_flags")

# One evaluation per interview (UNIQUE): a retried job that lost the race inserts nothing.
_INSERT_EVALUATION = text("""
    INSERT INTO evaluations (interview_id, application_id, reliability_score, accountability_score,
                             professionalism_score, communication_score, technical_score, growth_potential_score,
                             overall_score, summary, strengths, weaknesses, red_flags, recommendation, transcript,
                             raw_response, provider, model, prompt_id, prompt_version, input_hash)
    VALUES (:interview_id, :application_id, :reliability_score, :accountability_score, :professionalism_score,
            :communication_score, :technical_score, :growth_potential_score, :overall_score, :summary,
            CAST(:strengths AS jsonb), CAST(:weaknesses AS jsonb), CAST(:red_flags AS jsonb), :recommendation,
            :transcript, CAST(:raw_response AS jsonb), :provider, :model, :prompt_id, :prompt_version, :input_hash)
    ON CONFLICT (interview_id) DO NOTHING
    RETURNING id
""")
_SELECT_EVALUATION_OF_INTERVIEW = text("""
    SELECT id, interview_id, application_id, reliability_score, accountability_score, professionalism_score,
           communication_score, technical_score, growth_potential_score, overall_score, summary,
           strengths, weaknesses, red_flags, recommendation, transcript, provider, model, prompt_id, prompt_version,
           input_hash, created_at
      FROM evaluations WHERE interview_id = :interview_id
""")
_SELECT_LATEST_EVALUATION = text("""
    SELECT id, interview_id, application_id, reliability_score, accountability_score, professionalism_score,
           communication_score, technical_score, growth_potential_score, overall_score, summary,
           strengths, weaknesses, red_flags, recommendation, transcript, provider, model, prompt_id, prompt_version,
           input_hash, created_at
      FROM evaluations WHERE application_id = :application_id
     ORDER BY created_at DESC, id DESC LIMIT 1
""")


@dataclass(frozen=True)
class EvaluationRecord:
    """One stored evaluation; `scores` maps the six score names (as in domain.scoring) to 0–10."""

    id: int
    interview_id: int
    application_id: int
    scores: dict[str, int]
    overall_score: float
    summary: str
    strengths: tuple[Finding, ...]
    weaknesses: tuple[Finding, ...]
    red_flags: tuple[Finding, ...]
    recommendation: str
    transcript: str
    provider: str
    model: str
    prompt_id: int | None
    prompt_version: int
    input_hash: str
    created_at: datetime


def _record(row: Row[Any] | None) -> EvaluationRecord | None:
    if row is None:
        return None
    values = dict(row._mapping)
    scores = {name: int(values.pop(column)) for name, column in SCORE_COLUMNS.items()}
    for name in _FINDING_COLUMNS:
        values[name] = findings_from_json(from_json(values[name]))
    return EvaluationRecord(scores=scores, **values)


async def insert_evaluation(
    conn: AsyncConnection,
    *,
    interview_id: int,
    application_id: int,
    scores: Mapping[str, int],
    overall_score: float,
    summary: str,
    strengths: Sequence[Finding],
    weaknesses: Sequence[Finding],
    red_flags: Sequence[Finding],
    recommendation: str,
    transcript: str,
    raw_response: Any,
    provider: str,
    model: str,
    prompt_id: int | None,
    prompt_version: int,
    input_hash: str,
) -> int | None:
    """Store the interview's evaluation; its id, or None when the interview already has one."""
    params: dict[str, Any] = {column: scores[name] for name, column in SCORE_COLUMNS.items()}
    params.update(
        {
            "interview_id": interview_id,
            "application_id": application_id,
            "overall_score": overall_score,
            "summary": summary,
            "strengths": to_json(findings_to_json(strengths)),
            "weaknesses": to_json(findings_to_json(weaknesses)),
            "red_flags": to_json(findings_to_json(red_flags)),
            "recommendation": recommendation,
            "transcript": transcript,
            "raw_response": to_json(raw_response),
            "provider": provider,
            "model": model,
            "prompt_id": prompt_id,
            "prompt_version": prompt_version,
            "input_hash": input_hash,
        }
    )
    new_id = await conn.scalar(_INSERT_EVALUATION, params)
    return None if new_id is None else int(new_id)


async def evaluation_for_interview(conn: AsyncConnection, *, interview_id: int) -> EvaluationRecord | None:
    """The interview's evaluation, or None."""
    return _record((await conn.execute(_SELECT_EVALUATION_OF_INTERVIEW, {"interview_id": interview_id})).first())


async def latest_evaluation(conn: AsyncConnection, *, application_id: int) -> EvaluationRecord | None:
    """The application's newest evaluation, or None."""
    return _record((await conn.execute(_SELECT_LATEST_EVALUATION, {"application_id": application_id})).first())
