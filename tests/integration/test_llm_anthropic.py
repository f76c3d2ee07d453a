"""AnthropicLLM through the real `anthropic` SDK against a fake Messages API on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from airecruiter.adapters.llm import DEFAULT_MODEL, AnthropicLLM
from airecruiter.errors import ConfigurationError, LLMError, ParseError, PermanentError, policy_for
from airecruiter.ports.llm import ResumeAnalysis
from tests.integration.fake_llm_server import (
    ANALYSIS,
    EVALUATION,
    JOB_DESCRIPTION,
    JOB_TITLE,
    PROMPT,
    RESUME,
    TRANSCRIPT,
    TURN,
    FakeLLMServer,
    Reply,
)

API_KEY = "sk-ant-test-DO-NOT-LEAK"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer.running() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeLLMServer) -> FakeLLMServer:
    server.reset()
    return server


@pytest.fixture
async def claude(fake: FakeLLMServer) -> AsyncIterator[AnthropicLLM]:
    llm = AnthropicLLM(api_key=API_KEY, model=DEFAULT_MODEL, base_url=fake.base_url, timeout=5)
    yield llm
    await llm.aclose()


async def analyze(llm: AnthropicLLM) -> ResumeAnalysis:
    return await llm.analyze_resume(
        prompt=PROMPT, prompt_version=7, resume_text=RESUME, job_title=JOB_TITLE, job_description=JOB_DESCRIPTION
    )


async def test_analysis_uses_structured_output_and_keeps_only_real_quotes(
    fake: FakeLLMServer, claude: AnthropicLLM
) -> None:
    fake.queue(Reply.answer(ANALYSIS))

    analysis = await analyze(claude)

    assert analysis.risk_score == 0.18
    assert analysis.pros[0].evidence[0].quote == "Run 40 Kubernetes clusters"
    assert analysis.pros[1].evidence == []  # the invented quote is gone
    assert (analysis.run.provider, analysis.run.model, analysis.run.prompt_version) == ("anthropic", DEFAULT_MODEL, 7)
    assert analysis.run.input_tokens > 0 and analysis.run.output_tokens == 321
    sent = fake.requests[0]
    assert sent["output_config"]["format"]["type"] == "json_schema"
    assert "tools" not in sent
    assert sent["system"][0]["text"] == PROMPT
    assert JOB_DESCRIPTION in sent["system"][1]["text"] and sent["system"][1]["cache_control"]
    assert "Run 40 Kubernetes clusters" in sent["messages"][0]["content"]


async def test_the_job_prefix_is_cached_across_candidates(fake: FakeLLMServer, claude: AnthropicLLM) -> None:
    fake.queue(Reply.answer(ANALYSIS), Reply.answer(ANALYSIS))

    first, second = await analyze(claude), await analyze(claude)

    assert first.run.cached_input_tokens == 0
    assert second.run.cached_input_tokens > 0


async def test_the_specifications_older_model_is_answered_through_a_forced_tool(fake: FakeLLMServer) -> None:
    llm = AnthropicLLM(api_key=API_KEY, model="claude-3-opus-20240229", base_url=fake.base_url, timeout=5)
    fake.queue(Reply.answer(ANALYSIS))
    try:
        analysis = await analyze(llm)
    finally:
        await llm.aclose()

    assert analysis.run.model == "claude-3-opus-20240229"
    sent = fake.requests[0]
    assert sent["tool_choice"] == {"type": "tool", "name": "record_resume_analysis"}
    assert "output_config" not in sent


async def test_a_server_without_structured_outputs_falls_back_to_tool_use_once(
    fake: FakeLLMServer, claude: AnthropicLLM
) -> None:
    fake.structured_outputs = False
    fake.queue(Reply.answer(ANALYSIS), Reply.answer(ANALYSIS))

    await analyze(claude)
    await analyze(claude)

    assert ["output_config" in r for r in fake.requests] == [True, False, False]


async def test_interview_turn_and_evaluation(fake: FakeLLMServer, claude: AnthropicLLM) -> None:
    fake.queue(Reply.answer(TURN), Reply.answer(EVALUATION))
    common: dict[str, Any] = {
        "prompt": PROMPT,
        "prompt_version": 2,
        "job_title": JOB_TITLE,
        "job_description": JOB_DESCRIPTION,
        "transcript": TRANSCRIPT,
    }

    turn = await claude.interview_turn(**common, suggested_questions=["What did you learn?"])
    evaluation = await claude.evaluate_interview(**common)

    assert turn.message == TURN["message"] and not turn.complete
    assert evaluation.technical == 8 and evaluation.recommendation == "hire"
    assert evaluation.strengths[0].evidence[0].quote == "roll back first"
    assert "CANDIDATE: I page the owner" in fake.requests[0]["messages"][0]["content"]


@pytest.mark.parametrize(
    ("reply", "kind", "retry_after", "words"),
    [
        (
            Reply.error(
                429,
                "rate_limit_error",
                "Number of request tokens has exceeded your per-minute rate limit",
                headers={"retry-after": "17"},
            ),
            LLMError,
            17.0,
            "rate limiting",
        ),
        (Reply.error(529, "overloaded_error", "Overloaded"), LLMError, None, "overloaded"),
        (Reply.error(500, "api_error", "Internal server error"), LLMError, None, "HTTP 500"),
        (
            Reply.error(
                429,
                "rate_limit_error",
                "Your credit balance is too low to access the Anthropic API. "
                "Please go to Plans & Billing to upgrade or purchase credits.",
            ),
            PermanentError,
            None,
            "credit",
        ),
        (Reply.error(401, "authentication_error", "invalid x-api-key"), ConfigurationError, None, "ANTHROPIC_API_KEY"),
        (Reply.answer({**ANALYSIS, "risk_score": 7}), ParseError, None, "risk_score"),
        (Reply(text="Sure! Here is my analysis: the candidate is great."), ParseError, None, "expected format"),
    ],
    ids=["retry-after", "overloaded", "server-error", "spend-limit", "authentication", "out-of-range", "not-json"],
)
async def test_failures_become_errors_the_queue_understands(
    fake: FakeLLMServer,
    claude: AnthropicLLM,
    reply: Reply,
    kind: type[Exception],
    retry_after: float | None,
    words: str,
) -> None:
    fake.queue(reply)

    with pytest.raises(kind) as caught:
        await analyze(claude)

    error = caught.value
    assert words in str(error)
    assert API_KEY not in str(error) and "DO-NOT-LEAK" not in str(error)
    assert getattr(error, "retry_after", None) == retry_after
    assert policy_for(error).retries is (kind is LLMError)
    assert len(fake.requests) == 1  # the SDK did not retry on its own; the queue decides


async def test_a_server_slower_than_the_timeout_is_a_retryable_error(fake: FakeLLMServer) -> None:
    llm = AnthropicLLM(api_key=API_KEY, base_url=fake.base_url, timeout=0.5)
    fake.queue(Reply(payload=ANALYSIS, delay=3))
    try:
        with pytest.raises(LLMError, match="did not answer in time") as caught:
            await analyze(llm)
    finally:
        await llm.aclose()
    assert policy_for(caught.value).retries
