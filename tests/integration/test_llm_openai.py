"""OpenAICompatibleLLM through the real `openai` SDK against a fake Chat Completions API on loopback."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import pytest

from airecruiter.adapters.llm import OpenAICompatibleLLM
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
    FakeLLMServer,
    Reply,
)
from tests.integration.processes import free_port

API_KEY = "sk-local-DO-NOT-LEAK"
MODEL = "qwen2.5:7b-instruct"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer.running() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeLLMServer) -> FakeLLMServer:
    server.reset()
    return server


@pytest.fixture
async def local(fake: FakeLLMServer) -> AsyncIterator[OpenAICompatibleLLM]:
    llm = OpenAICompatibleLLM(base_url=f"{fake.base_url}/v1", model=MODEL, api_key=API_KEY, timeout=5)
    yield llm
    await llm.aclose()


async def analyze(llm: OpenAICompatibleLLM) -> ResumeAnalysis:
    return await llm.analyze_resume(
        prompt=PROMPT, prompt_version=5, resume_text=RESUME, job_title=JOB_TITLE, job_description=JOB_DESCRIPTION
    )


async def test_analysis_asks_for_the_schema_and_reports_the_run(
    fake: FakeLLMServer, local: OpenAICompatibleLLM
) -> None:
    fake.queue(Reply.answer(ANALYSIS))

    analysis = await analyze(local)

    assert analysis.risk_score == 0.18 and analysis.pros[1].evidence == []
    assert (analysis.run.provider, analysis.run.model, analysis.run.prompt_version) == ("openai-compatible", MODEL, 5)
    assert (analysis.run.input_tokens, analysis.run.output_tokens) == (900, 210)
    assert len(analysis.run.input_sha256) == 64
    sent = fake.requests[0]
    assert sent["response_format"]["type"] == "json_schema"
    assert "risk_score" in sent["response_format"]["json_schema"]["schema"]["properties"]
    assert sent["messages"][0]["role"] == "system" and JOB_DESCRIPTION in sent["messages"][0]["content"]
    assert "Run 40 Kubernetes clusters" in sent["messages"][1]["content"]


async def test_json_in_a_markdown_fence_is_accepted(fake: FakeLLMServer, local: OpenAICompatibleLLM) -> None:
    fake.queue(Reply(text=f"```json\n{json.dumps(EVALUATION)}\n```"))

    evaluation = await local.evaluate_interview(
        prompt=PROMPT, prompt_version=1, job_title=JOB_TITLE, job_description=JOB_DESCRIPTION, transcript=TRANSCRIPT
    )

    assert evaluation.reliability == 8 and evaluation.strengths[0].evidence[0].quote == "roll back first"


async def test_a_turn_that_is_neither_a_question_nor_complete_is_refused(
    fake: FakeLLMServer, local: OpenAICompatibleLLM
) -> None:
    fake.queue(Reply.answer({"message": "", "complete": False}))

    with pytest.raises(ParseError):
        await local.interview_turn(
            prompt=PROMPT,
            prompt_version=1,
            job_title=JOB_TITLE,
            job_description=JOB_DESCRIPTION,
            suggested_questions=[],
            transcript=TRANSCRIPT,
        )


@pytest.mark.parametrize(
    ("reply", "kind", "retry_after", "words"),
    [
        (
            Reply.error(
                429,
                "requests",
                "Rate limit reached for requests",
                code="rate_limit_exceeded",
                headers={"retry-after": "12"},
            ),
            LLMError,
            12.0,
            "rate limiting",
        ),
        (Reply.error(503, "server_error", "model is loading"), LLMError, None, "HTTP 503"),
        (
            Reply.error(
                429,
                "insufficient_quota",
                "You exceeded your current quota, please check your plan and billing details.",
                code="insufficient_quota",
            ),
            PermanentError,
            None,
            "credit",
        ),
        (
            Reply.error(401, "invalid_request_error", f"Incorrect API key provided: {API_KEY}", code="invalid_api_key"),
            ConfigurationError,
            None,
            "API key",
        ),
        (Reply.answer({**EVALUATION, "risk_score": 2, "pros": "many"}), ParseError, None, "expected format"),
    ],
    ids=["retry-after", "unavailable", "spend-limit", "authentication", "invalid-output"],
)
async def test_failures_become_errors_the_queue_understands(
    fake: FakeLLMServer,
    local: OpenAICompatibleLLM,
    reply: Reply,
    kind: type[Exception],
    retry_after: float | None,
    words: str,
) -> None:
    fake.queue(reply)

    with pytest.raises(kind) as caught:
        await analyze(local)

    error = caught.value
    assert words in str(error)
    assert "DO-NOT-LEAK" not in str(error)
    assert getattr(error, "retry_after", None) == retry_after
    assert policy_for(error).retries is (kind is LLMError)
    assert len(fake.requests) == 1


async def test_a_server_slower_than_the_timeout_is_a_retryable_error(fake: FakeLLMServer) -> None:
    llm = OpenAICompatibleLLM(base_url=f"{fake.base_url}/v1", model=MODEL, timeout=0.5)
    fake.queue(Reply(payload=ANALYSIS, delay=3))
    try:
        with pytest.raises(LLMError, match="did not answer in time"):
            await analyze(llm)
    finally:
        await llm.aclose()


async def test_a_server_that_is_not_running_is_a_retryable_error() -> None:
    llm = OpenAICompatibleLLM(base_url=f"http://127.0.0.1:{free_port()}/v1", model=MODEL, timeout=2)
    try:
        with pytest.raises(LLMError, match="could not be reached"):
            await analyze(llm)
    finally:
        await llm.aclose()
