"""Redaction runs in a worker process under a hard time limit: no résumé can stall the service."""

from __future__ import annotations

import asyncio

import pytest

from airecruiter.adapters.redactor import IsolatedRedactor
from airecruiter.errors import ParseError, policy_for
from airecruiter.sandbox import seed
from tests.integration.pipeline_fixtures import Pipeline, activity, application, rows, synced

STRONG_ANALYST = "JA-000109"
# The résumé that froze a worker for three minutes: 60 glued links, then 7,615 labelled addresses.
STALLING_RESUME = "a.github.io" * 60 + "\n" + "| address: a " * 7615


async def _with_stored_resume(pipeline: Pipeline, text: str) -> int:
    await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    app = await application(pipeline.db, STRONG_ANALYST)
    assert app.artifacts.resume is not None
    key = app.artifacts.resume.key
    await pipeline.storage.put(key, text.encode(), content_type="text/plain")
    return app.id


async def test_the_event_loop_keeps_running_while_a_long_text_is_redacted(text_redactor: IsolatedRedactor) -> None:
    ticks = 0
    redaction = asyncio.create_task(
        text_redactor.redact(STALLING_RESUME + "\n" + STALLING_RESUME, candidate_name="Jane Doe")
    )
    while not redaction.done():
        await asyncio.sleep(0.005)
        ticks += 1
    result = redaction.result()
    assert ticks >= 3  # redaction on the loop would have finished before the first tick
    assert result.counts["address"] == 2 * 7615
    assert "address: a" not in result.text


async def test_a_redaction_over_its_time_limit_is_stopped_with_a_sentence_for_the_recruiter() -> None:
    redactor = IsolatedRedactor(time_limit_seconds=0.05)
    try:
        with pytest.raises(ParseError, match=r"took longer than 0\.05 s and was stopped") as failure:
            await redactor.redact(STALLING_RESUME * 4, candidate_name="Jane Doe")
        assert "not sent to the AI" in failure.value.message
        # The killed worker is replaced: the next redaction works.
        redactor.time_limit_seconds = 30
        assert (await redactor.redact("Jane Doe, jane@doe.example", candidate_name="Jane Doe")).text == (
            "[NAME], [EMAIL]"
        )
    finally:
        await redactor.aclose()


async def test_the_stalling_resume_is_analysed_with_its_personal_details_redacted(pipeline: Pipeline) -> None:
    app_id = await _with_stored_resume(pipeline, STALLING_RESUME)
    await pipeline.run("analyze", application_id=app_id)
    [call] = pipeline.llm.sent("analyze_resume")
    sent = call.inputs["resume_text"]
    assert "github.io" not in sent
    # The reader trims the line's trailing blank, so the last value is the single letter "a": no address.
    assert sent.count("[ADDRESS]") == 7614 and sent.endswith("[ADDRESS]| address: a")
    [stored] = await rows(pipeline.db, "SELECT artifacts FROM applications WHERE id = :a", a=app_id)
    assert stored.artifacts["redaction"]["address"] == 7614


async def test_on_a_redaction_time_out_nothing_reaches_the_model_and_the_job_fails_for_good(
    pipeline: Pipeline,
) -> None:
    app_id = await _with_stored_resume(pipeline, STALLING_RESUME)
    slow = IsolatedRedactor(time_limit_seconds=0.05)
    try:
        with pytest.raises(ParseError) as failure:
            await pipeline.with_context(redactor=slow).run("analyze", application_id=app_id)
    finally:
        await slow.aclose()
    assert not policy_for(failure.value).retries
    assert "assess it yourself" in failure.value.message
    assert pipeline.llm.sent("analyze_resume") == []
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "new"
    assert await activity(pipeline.db, app_id, "resume_unredactable") == [{"reason": failure.value.message}]
