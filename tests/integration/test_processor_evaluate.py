"""The `evaluate` processor: a finished interview scored, the overall score computed by our weighting."""

from __future__ import annotations

import pytest

from airecruiter.domain.scoring import overall_score
from airecruiter.errors import ConfigurationError, ValidationError, policy_for
from airecruiter.sandbox import seed
from tests.integration.conftest import execute
from tests.integration.pipeline_fixtures import (
    ANSWERS,
    Pipeline,
    activity,
    application,
    interviewed,
    invited,
    live_jobs,
    rows,
    value,
)

STRONG_ANALYST = "JA-000109"
SCORES = ("reliability", "accountability", "professionalism", "communication", "technical", "growth_potential")


async def test_a_finished_interview_is_scored_and_its_report_queued(pipeline: Pipeline) -> None:
    app_id = await interviewed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("evaluate", application_id=app_id)

    [evaluation] = await rows(pipeline.db, "SELECT * FROM evaluations WHERE application_id = :a", a=app_id)
    scores = {name: getattr(evaluation, f"{name}_score") for name in SCORES}
    assert all(0 <= s <= 10 for s in scores.values())
    assert evaluation.overall_score == overall_score(scores)  # our weighting, not the model's arithmetic
    assert evaluation.recommendation in ("strong_hire", "hire", "maybe", "no_hire")
    assert evaluation.summary
    assert ANSWERS[0] in evaluation.transcript and "Candidate: " in evaluation.transcript
    assert (evaluation.provider, evaluation.prompt_version) == ("offline", 1)
    assert all(e["verified"] for f in evaluation.strengths for e in f["evidence"])
    [call] = pipeline.llm.sent("evaluate_interview")
    assert next(m.content for m in call.inputs["transcript"] if m.role == "candidate") == ANSWERS[0]
    assert call.inputs["job_title"] == "Data Analyst"

    assert (await application(pipeline.db, STRONG_ANALYST)).status == "interview_complete"
    assert ("generate_report", app_id, None) in await live_jobs(pipeline.db)
    [stored] = await activity(pipeline.db, app_id, "evaluation_stored")
    assert stored["overall_score"] == evaluation.overall_score
    assert (await activity(pipeline.db, app_id, "status_changed"))[-1] == {
        "from": "interview_pending",
        "to": "interview_complete",
    }


async def test_evaluating_again_changes_nothing(pipeline: Pipeline) -> None:
    app_id = await interviewed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("evaluate", application_id=app_id)
    await pipeline.run("evaluate", application_id=app_id)
    assert await value(pipeline.db, "SELECT count(*) FROM evaluations") == 1
    assert len(pipeline.llm.sent("evaluate_interview")) == 1


async def test_an_interview_still_in_progress_is_not_evaluated(pipeline: Pipeline) -> None:
    app_id = await invited(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    with pytest.raises(ValidationError, match="interview that is scheduled") as failure:
        await pipeline.run("evaluate", application_id=app_id)
    assert not policy_for(failure.value).retries
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "interview_pending"
    assert pipeline.llm.sent("evaluate_interview") == []


async def test_without_an_active_evaluation_prompt_it_stops_with_a_clear_permanent_error(pipeline: Pipeline) -> None:
    app_id = await interviewed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await execute(pipeline.db, "DELETE FROM prompts WHERE type = 'evaluation'")
    with pytest.raises(ConfigurationError, match="No evaluation prompt is active"):
        await pipeline.run("evaluate", application_id=app_id)
    assert await value(pipeline.db, "SELECT count(*) FROM evaluations") == 0
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "interview_pending"
