"""The evaluator reads the interview answers redacted like a résumé, and nothing unredacted on failure."""

from __future__ import annotations

import pytest

from airecruiter.adapters.redactor import IsolatedRedactor
from airecruiter.domain.redaction import redact
from airecruiter.errors import ParseError, policy_for
from airecruiter.sandbox import seed
from tests.integration.pipeline_fixtures import ANSWERS, Pipeline, application, invited, take_interview, value

STRONG_ANALYST = "JA-000109"
MOTHER = "As a mother of three, I learned to plan every week; she who plans early rarely slips. I am 41."
FATHER = "As a father of two, I learned to plan every week; he who plans early rarely slips. I am 29."
# An answer that takes far longer than the time limit to redact (see test_redaction_isolation).
STALLING_ANSWER = "a.github.io" * 60 + "\n" + "| address: a " * 7615


async def _interviewed_with(pipeline: Pipeline, first_answer: str) -> int:
    app_id = await invited(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await take_interview(pipeline, app_id, (first_answer, *ANSWERS[1:]))
    return app_id


async def test_an_answer_differing_in_family_status_gender_or_age_does_not_change_the_evaluators_input(
    pipeline: Pipeline,
) -> None:
    app_id = await _interviewed_with(pipeline, MOTHER)
    await pipeline.run("evaluate", application_id=app_id)

    [call] = pipeline.llm.sent("evaluate_interview")
    sent = next(m.content for m in call.inputs["transcript"] if m.role == "candidate")
    candidate = (await application(pipeline.db, STRONG_ANALYST)).candidate_name
    assert sent == redact(FATHER, candidate_name=candidate).text
    assert "mother" not in sent and "she" not in sent.lower().split() and "41" not in sent
    # The recruiter's record keeps what the candidate said.
    assert MOTHER in await value(pipeline.db, "SELECT transcript FROM evaluations WHERE application_id = :a", a=app_id)


async def test_an_answer_that_cannot_be_redacted_is_never_sent_and_the_evaluation_fails_for_good(
    pipeline: Pipeline,
) -> None:
    app_id = await _interviewed_with(pipeline, STALLING_ANSWER)
    slow = IsolatedRedactor(time_limit_seconds=0.05)
    try:
        with pytest.raises(ParseError) as failure:
            await pipeline.with_context(redactor=slow).run("evaluate", application_id=app_id)
    finally:
        await slow.aclose()

    assert not policy_for(failure.value).retries
    assert "not sent to the AI" in failure.value.message and "assess the interview yourself" in failure.value.message
    assert pipeline.llm.sent("evaluate_interview") == []
    assert await value(pipeline.db, "SELECT count(*) FROM evaluations") == 0
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "interview_pending"
