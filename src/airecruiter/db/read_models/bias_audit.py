"""What the bias audit reads: the de-identified outcome rows of a date range, and the prompt versions
and models that produced them. Only `outcomes` is read (DATA-LIFECYCLE.md): it outlives erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.domain.bias_audit import SELECTED_RECOMMENDATIONS, AuditRow

# A row belongs to the range by the day the AI scored it; a refused résumé was never scored, so it
# belongs by its application's month (the only date an outcome row keeps of it).
_SELECT_ROWS = text("""
    WITH ranged AS (
        SELECT * FROM outcomes
         WHERE ((scored_on BETWEEN :start AND :end)
                OR (scored_on IS NULL
                    AND applied_month BETWEEN date_trunc('month', CAST(:start AS date)) AND :end))
           AND (CAST(:requisition_id AS bigint) IS NULL OR requisition_id = :requisition_id))
    SELECT application_id, requisition_id, sex, race_ethnicity, resume_risk, overall_score,
           ai_recommendation, workday_decision, console_decision, interview_state, exclusion
      FROM ranged ORDER BY application_id
""")
_SELECT_MODELS = text("""
    WITH ranged AS (
        SELECT * FROM outcomes
         WHERE ((scored_on BETWEEN :start AND :end)
                OR (scored_on IS NULL
                    AND applied_month BETWEEN date_trunc('month', CAST(:start AS date)) AND :end))
           AND (CAST(:requisition_id AS bigint) IS NULL OR requisition_id = :requisition_id))
    SELECT 'résumé analysis' AS step, analysis_model AS model, analysis_prompt_version AS version, count(*) AS n
      FROM ranged WHERE analysis_model IS NOT NULL
     GROUP BY analysis_model, analysis_prompt_version
    UNION ALL
    SELECT 'interview evaluation', evaluation_model, evaluation_prompt_version, count(*)
      FROM ranged WHERE evaluation_model IS NOT NULL
     GROUP BY evaluation_model, evaluation_prompt_version
     ORDER BY 1, 2, 3
""")


@dataclass(frozen=True)
class ModelInUse:
    """A model and prompt version that scored applications of the range, with how many."""

    step: str
    model: str
    prompt_version: int | None
    applications: int


async def outcome_rows(
    engine: AsyncEngine, *, start: date, end: date, requisition_id: int | None = None
) -> list[AuditRow]:
    """The outcome rows of applications scored from `start` to `end` (inclusive), optionally of one requisition."""
    params = {"start": start, "end": end, "requisition_id": requisition_id}
    async with engine.connect() as conn:
        result = await conn.execute(_SELECT_ROWS, params)
        return [
            AuditRow(
                application_id=int(r.application_id),
                requisition_id=int(r.requisition_id),
                sex=r.sex,
                race_ethnicity=r.race_ethnicity,
                resume_risk=r.resume_risk,
                overall_score=r.overall_score,
                ai_selected=None if r.ai_recommendation is None else r.ai_recommendation in SELECTED_RECOMMENDATIONS,
                workday_decision=r.workday_decision,
                console_decision=r.console_decision,
                interview_state=r.interview_state,
                exclusion=r.exclusion,
            )
            for r in result
        ]


async def models_in_use(
    engine: AsyncEngine, *, start: date, end: date, requisition_id: int | None = None
) -> list[ModelInUse]:
    """The models and prompt versions of the range's analyses and evaluations, with their counts."""
    params = {"start": start, "end": end, "requisition_id": requisition_id}
    async with engine.connect() as conn:
        result = await conn.execute(_SELECT_MODELS, params)
        return [ModelInUse(r.step, r.model, r.version, int(r.n)) for r in result]
