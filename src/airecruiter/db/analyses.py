"""Résumé analyses: the model's findings with each quote's verdict, and what produced them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.json_columns import from_json, to_json
from airecruiter.domain.records import (
    Finding,
    HiddenText,
    findings_from_json,
    findings_to_json,
    hidden_text_from_json,
    strings_from_json,
)

_FINDING_COLUMNS = ("pros", "cons", "red_flags")

_INSERT_ANALYSIS = text("""
    INSERT INTO analyses (application_id, risk_score, relevance_summary, pros, cons, red_flags,
                          suggested_questions, hidden_text, raw_response, provider, model, prompt_id,
                          prompt_version, input_hash, input_tokens, output_tokens)
    VALUES (:application_id, :risk_score, :relevance_summary, CAST(:pros AS jsonb), CAST(:cons AS jsonb),
            CAST(:red_flags AS jsonb), CAST(:suggested_questions AS jsonb), CAST(:hidden_text AS jsonb),
            CAST(:raw_response AS jsonb), :provider, :model, :prompt_id, :prompt_version, :input_hash,
            :input_tokens, :output_tokens)
    RETURNING id
""")
_SELECT_LATEST_ANALYSIS = text("""
    SELECT id, application_id, risk_score, relevance_summary, pros, cons, red_flags, suggested_questions,
           hidden_text, provider, model, prompt_id, prompt_version, input_hash, input_tokens, output_tokens, created_at
      FROM analyses WHERE application_id = :application_id ORDER BY created_at DESC, id DESC LIMIT 1
""")


@dataclass(frozen=True)
class AnalysisRecord:
    """One stored résumé analysis."""

    id: int
    application_id: int
    risk_score: float
    relevance_summary: str
    pros: tuple[Finding, ...]
    cons: tuple[Finding, ...]
    red_flags: tuple[Finding, ...]
    suggested_questions: tuple[str, ...]
    hidden_text: tuple[HiddenText, ...]  # found in the résumé, never sent on
    provider: str
    model: str
    prompt_id: int | None
    prompt_version: int
    input_hash: str
    input_tokens: int | None
    output_tokens: int | None
    created_at: datetime


def _record(row: Row[Any]) -> AnalysisRecord:
    values = dict(row._mapping)
    for name in _FINDING_COLUMNS:
        values[name] = findings_from_json(from_json(values[name]))
    values["suggested_questions"] = strings_from_json(from_json(values["suggested_questions"]), "suggested questions")
    values["hidden_text"] = hidden_text_from_json(from_json(values["hidden_text"]))
    return AnalysisRecord(**values)


async def insert_analysis(
    conn: AsyncConnection,
    *,
    application_id: int,
    risk_score: float,
    relevance_summary: str,
    pros: Sequence[Finding],
    cons: Sequence[Finding],
    red_flags: Sequence[Finding],
    suggested_questions: Sequence[str],
    hidden_text: Sequence[HiddenText],
    raw_response: Any,
    provider: str,
    model: str,
    prompt_id: int | None,
    prompt_version: int,
    input_hash: str,
    input_tokens: int | None,
    output_tokens: int | None,
) -> int:
    """Store one analysis; its id."""
    new_id = await conn.scalar(
        _INSERT_ANALYSIS,
        {
            "application_id": application_id,
            "risk_score": risk_score,
            "relevance_summary": relevance_summary,
            "pros": to_json(findings_to_json(pros)),
            "cons": to_json(findings_to_json(cons)),
            "red_flags": to_json(findings_to_json(red_flags)),
            "suggested_questions": to_json(list(suggested_questions)),
            "hidden_text": to_json([h.to_json() for h in hidden_text]),
            "raw_response": to_json(raw_response),
            "provider": provider,
            "model": model,
            "prompt_id": prompt_id,
            "prompt_version": prompt_version,
            "input_hash": input_hash,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
        },
    )
    assert new_id is not None
    return int(new_id)


async def latest_analysis(conn: AsyncConnection, *, application_id: int) -> AnalysisRecord | None:
    """The application's newest analysis, or None."""
    row = (await conn.execute(_SELECT_LATEST_ANALYSIS, {"application_id": application_id})).first()
    return None if row is None else _record(row)
