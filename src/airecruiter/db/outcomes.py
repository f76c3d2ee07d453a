"""The de-identified outcome record of each application, the only table the bias audit reads.

`refresh_outcome` rebuilds an application's row from the live tables (latest analysis, latest
evaluation, interview state, exclusion, Workday's human decision, the latest console decision,
the self-identified demographic category). Call it in the same transaction as any change to
those; it does nothing once the application is gone, so the row outlives it unchanged
(DATA-LIFECYCLE.md). `forget_demographics` is erasure's step: the category becomes unknown.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_REFRESH_OUTCOME = text("""
    INSERT INTO outcomes (application_id, requisition_id, applied_month, scored_on, resume_risk,
                          analysis_model, analysis_prompt_version, overall_score, ai_recommendation,
                          evaluation_model, evaluation_prompt_version, interview_state, exclusion,
                          workday_decision, console_decision, sex, race_ethnicity, updated_at)
    SELECT a.id, a.requisition_id, date_trunc('month', a.created_at)::date, an.created_at::date, an.risk_score,
           an.model, an.prompt_version, ev.overall_score, ev.recommendation,
           ev.model, ev.prompt_version,
           CASE WHEN ev.id IS NOT NULL THEN 'completed'
                WHEN EXISTS (SELECT 1 FROM interviews i WHERE i.application_id = a.id) THEN 'unfinished'
                ELSE 'none' END,
           CASE WHEN a.status = 'human_review' THEN 'human_review'
                WHEN an.id IS NULL AND EXISTS (SELECT 1 FROM activities act
                                                WHERE act.application_id = a.id
                                                  AND act.action = 'resume_unreadable') THEN 'refused_resume'
           END,
           a.human_decision, d.decision,
           COALESCE(dm.sex, 'unknown'), COALESCE(dm.race_ethnicity, 'unknown'), now()
      FROM applications a
      LEFT JOIN LATERAL (SELECT id, risk_score, model, prompt_version, created_at FROM analyses
                          WHERE application_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1) an ON true
      LEFT JOIN LATERAL (SELECT id, overall_score, recommendation, model, prompt_version FROM evaluations
                          WHERE application_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1) ev ON true
      LEFT JOIN LATERAL (SELECT decision FROM decisions
                          WHERE application_id = a.id ORDER BY decided_at DESC, id DESC LIMIT 1) d ON true
      LEFT JOIN demographics dm ON dm.application_id = a.id
     WHERE a.id = :application_id
    ON CONFLICT (application_id) DO UPDATE SET
           requisition_id = EXCLUDED.requisition_id, applied_month = EXCLUDED.applied_month,
           scored_on = EXCLUDED.scored_on, resume_risk = EXCLUDED.resume_risk,
           analysis_model = EXCLUDED.analysis_model, analysis_prompt_version = EXCLUDED.analysis_prompt_version,
           overall_score = EXCLUDED.overall_score, ai_recommendation = EXCLUDED.ai_recommendation,
           evaluation_model = EXCLUDED.evaluation_model,
           evaluation_prompt_version = EXCLUDED.evaluation_prompt_version,
           interview_state = EXCLUDED.interview_state, exclusion = EXCLUDED.exclusion,
           workday_decision = EXCLUDED.workday_decision, console_decision = EXCLUDED.console_decision,
           sex = EXCLUDED.sex, race_ethnicity = EXCLUDED.race_ethnicity, updated_at = now()
""")

_FORGET_DEMOGRAPHICS = text("""
    UPDATE outcomes SET sex = 'unknown', race_ethnicity = 'unknown', updated_at = now()
     WHERE application_id = ANY(:application_ids)
""")


async def refresh_outcome(conn: AsyncConnection, application_id: int) -> None:
    """Rebuild the application's outcome row from the live tables (no-op if the application is gone)."""
    await conn.execute(_REFRESH_OUTCOME, {"application_id": application_id})


async def forget_demographics(conn: AsyncConnection, application_ids: list[int]) -> None:
    """Erasure: the erased candidate's outcome rows keep their scores but lose the category."""
    await conn.execute(_FORGET_DEMOGRAPHICS, {"application_ids": application_ids})
