"""The `analyze` processor: what reaches the LLM, what is stored, and how failures are classified."""

from __future__ import annotations

import re
from typing import Any

import pytest

from airecruiter.db.prompts import active_prompt, create_prompt_version
from airecruiter.domain.activity_details import REDACTED
from airecruiter.errors import ConfigurationError, ParseError, policy_for
from airecruiter.ports.llm import Evidence, ResumeAnalysis
from airecruiter.sandbox import seed
from tests.integration.conftest import execute
from tests.integration.pipeline_fixtures import (
    Pipeline,
    RecordingLLM,
    actions,
    activity,
    analyzed,
    application,
    live_jobs,
    rows,
    synced,
    value,
)

STRONG_ANALYST = "JA-000109"  # Oliver Hughes, a strong match for the data analyst job


class InventingLLM:
    """The offline scorer, plus one quote that is in no résumé (as a careless model might write)."""

    INVENTED = "Led the data platform team at Google for nine years"

    def __init__(self) -> None:
        self.inner = RecordingLLM()

    async def analyze_resume(self, **inputs: Any) -> ResumeAnalysis:
        result = await self.inner.analyze_resume(**inputs)
        first = result.pros[0]
        pros = [
            first.model_copy(update={"evidence": [*first.evidence, Evidence(quote=self.INVENTED)]}),
            *result.pros[1:],
        ]
        return result.model_copy(update={"pros": pros})

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def test_the_analysis_is_stored_with_its_model_prompt_and_input_hash(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    app = await application(pipeline.db, STRONG_ANALYST)
    assert app.status == "analyzed"
    [stored] = await rows(pipeline.db, "SELECT * FROM analyses WHERE application_id = :a", a=app_id)
    prompt = await active_prompt(pipeline.db, prompt_type="resume_analysis")
    assert prompt is not None
    assert (stored.provider, stored.model) == ("offline", "offline-rules-v1")
    assert (stored.prompt_id, stored.prompt_version) == (prompt.id, prompt.version)
    assert re.fullmatch(r"[0-9a-f]{64}", stored.input_hash)
    assert 0 <= stored.risk_score <= 1
    assert stored.pros and all(e["verified"] for f in stored.pros for e in f["evidence"])
    assert stored.suggested_questions
    [call] = pipeline.llm.sent("analyze_resume")
    assert call.inputs["prompt"] == prompt.template_content
    assert call.inputs["job_title"] == "Data Analyst"
    assert await actions(pipeline.db, app_id) == [
        "application_created",
        "resume_stored",
        "analysis_stored",
        "status_changed",
    ]
    assert await activity(pipeline.db, app_id, "status_changed") == [{"from": "new", "to": "analyzed"}]


async def test_the_candidates_name_and_email_never_reach_the_llm(pipeline: Pipeline) -> None:
    await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    [call] = pipeline.llm.sent("analyze_resume")
    sent = call.text()
    for personal in ("Oliver", "Hughes", "oliver.hughes@example.org"):
        assert personal not in sent
    assert "[NAME]" in call.inputs["resume_text"]
    app = await application(pipeline.db, STRONG_ANALYST)
    assert app.artifacts.extraction is not None
    assert app.artifacts.extraction.redaction["name"] >= 1 and app.artifacts.extraction.redaction["email"] >= 1


async def test_the_hidden_prompt_injection_is_recorded_and_never_sent_to_the_llm(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.BACKEND_REQUISITION_ID, seed.INJECTION_APPLICATION_ID)
    [call] = pipeline.llm.sent("analyze_resume")
    assert seed.INJECTION_TEXT not in call.text()
    assert "Ignore previous instructions" not in call.text()
    hidden = await value(pipeline.db, "SELECT hidden_text FROM analyses WHERE application_id = :a", a=app_id)
    assert [(h["text"], h["reason"]) for h in hidden] == [(seed.INJECTION_TEXT, "white text")]
    app = await application(pipeline.db, seed.INJECTION_APPLICATION_ID)
    assert app.artifacts.hidden_text[0].text == seed.INJECTION_TEXT
    assert await activity(pipeline.db, app_id, "hidden_text_found") == [{"count": 1, "reasons": ["white text"]}]
    risk = await value(pipeline.db, "SELECT risk_score FROM analyses WHERE application_id = :a", a=app_id)
    assert risk > 0.5  # still the weak match it is


async def test_analysing_again_changes_nothing(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    before = await actions(pipeline.db, app_id)
    await pipeline.run("analyze", application_id=app_id)
    assert await value(pipeline.db, "SELECT count(*) FROM analyses") == 1
    assert len(pipeline.llm.sent("analyze_resume")) == 1
    assert await actions(pipeline.db, app_id) == before


@pytest.mark.parametrize(("trigger", "sent"), [(None, True), ("Interview", False), ("Review", True)])
async def test_the_auto_send_rule_is_applied_right_after_the_analysis(
    pipeline: Pipeline,
    trigger: str | None,
    sent: bool,
) -> None:
    rid = await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    await execute(
        pipeline.db,
        "UPDATE requisitions SET auto_send_interview = true, auto_send_on_status = :t WHERE id = :r",
        t=trigger,
        r=rid,
    )
    app = await application(pipeline.db, STRONG_ANALYST)  # in Review in Workday
    await pipeline.run("analyze", application_id=app.id)
    assert (("send_interview", app.id, None) in await live_jobs(pipeline.db)) is sent


async def test_auto_send_off_queues_no_invitation(pipeline: Pipeline) -> None:
    app_id = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    assert ("send_interview", app_id, None) not in await live_jobs(pipeline.db)


async def test_an_image_only_resume_fails_for_good_with_the_readers_reason(pipeline: Pipeline) -> None:
    await synced(pipeline, seed.SUPPORT_LEAD_REQUISITION_ID)
    app = await application(pipeline.db, seed.IMAGE_ONLY_APPLICATION_ID)
    with pytest.raises(ParseError) as failure:
        await pipeline.run("analyze", application_id=app.id)
    assert not policy_for(failure.value).retries
    assert "scan" in failure.value.message.lower()
    assert (await application(pipeline.db, seed.IMAGE_ONLY_APPLICATION_ID)).status == "new"
    # The activity log keeps the reason without the candidate's file name (personal data, DATA-LIFECYCLE).
    assert app.artifacts.resume is not None
    filename = app.artifacts.resume.filename
    assert filename in failure.value.message
    redacted = failure.value.message.replace(filename, REDACTED)
    assert await activity(pipeline.db, app.id, "resume_unreadable") == [{"reason": redacted}]
    assert pipeline.llm.sent("analyze_resume") == []


async def test_without_an_active_prompt_the_analysis_stops_with_a_clear_permanent_error(pipeline: Pipeline) -> None:
    await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    await execute(pipeline.db, "DELETE FROM prompts WHERE type = 'resume_analysis'")
    app = await application(pipeline.db, STRONG_ANALYST)
    with pytest.raises(ConfigurationError, match="No résumé analysis prompt is active") as failure:
        await pipeline.run("analyze", application_id=app.id)
    assert "prompts page" in failure.value.message
    assert not policy_for(failure.value).retries
    assert pipeline.llm.sent("analyze_resume") == []


async def test_a_requisitions_own_prompt_is_used_for_its_applications(pipeline: Pipeline) -> None:
    rid = await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    own = await create_prompt_version(
        pipeline.db,
        prompt_type="resume_analysis",
        requisition_id=rid,
        template_content="Screen analysts for SQL depth first.",
        created_by="test",
        activate=True,
    )
    app = await application(pipeline.db, STRONG_ANALYST)
    await pipeline.run("analyze", application_id=app.id)
    [call] = pipeline.llm.sent("analyze_resume")
    assert call.inputs["prompt"] == "Screen analysts for SQL depth first."
    assert await value(pipeline.db, "SELECT prompt_id FROM analyses WHERE application_id = :a", a=app.id) == own.id


async def test_a_quote_that_is_not_in_the_resume_is_kept_but_flagged_unverified(pipeline: Pipeline) -> None:
    inventing = pipeline.with_context(llm=InventingLLM())
    app_id = await analyzed(inventing, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    pros = await value(pipeline.db, "SELECT pros FROM analyses WHERE application_id = :a", a=app_id)
    verdicts = {e["quote"]: e["verified"] for e in pros[0]["evidence"]}
    assert verdicts.pop(InventingLLM.INVENTED) is False
    assert verdicts and all(verdicts.values())
    [stored] = await activity(pipeline.db, app_id, "analysis_stored")
    assert stored["unverified_quotes"] == 1
