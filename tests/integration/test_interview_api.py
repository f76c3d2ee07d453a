"""The interview's JSON endpoints over real HTTP (uvicorn on loopback): every answer a page or client can get."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.prompts import seed_default_prompts
from airecruiter.domain import interview_rules as rules
from airecruiter.domain.interview_rules import RateLimit
from airecruiter.services.interview_transcript import THINKING_NOTICE
from airecruiter.services.interviews import InterviewEngine
from airecruiter.web.app import create_app
from airecruiter.web.interview_api import MAX_BODY_BYTES
from tests.integration.interview_fixtures import (
    CONTACT_EMAIL,
    FULL_ANSWERS,
    RECRUITER_EMAIL,
    FlakyLLM,
    SlowLLM,
    interview_engine,
    rows,
    runtime_for,
    seed_interview,
    serving,
)

STATE_KEYS = {
    "status",
    "position",
    "company",
    "candidate_first_name",
    "messages",
    "progress",
    "complete",
    "waiting_for",
    "notice",
    "retry_after_seconds",
    "expires_at",
    "contact",
    "limits",
}


@pytest.fixture
async def prompts(db: AsyncEngine) -> AsyncEngine:
    await seed_default_prompts(db)
    return db


async def _client(
    database_url: str, db: AsyncEngine, engine: InterviewEngine | None
) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        serving(create_app(runtime_for(database_url, db, interview_engine=engine))) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as client,
    ):
        yield client


@pytest.fixture
async def client(prompts: AsyncEngine, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app as `create_app` wires it from the runtime (the offline LLM)."""
    async for c in _client(database_url, prompts, None):
        yield c


def _url(token: str, action: str = "") -> str:
    return f"/api/interview/{token}" + (f"/{action}" if action else "")


def _assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert isinstance(body["error"], str) and body["error"].endswith(".")
    return body


async def test_a_candidate_takes_the_whole_interview_over_http(client: httpx.AsyncClient, prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts)
    welcome = await client.get(_url(seeded.token))
    assert welcome.status_code == 200 and welcome.headers["cache-control"] == "no-store"
    body = welcome.json()
    assert set(body) == STATE_KEYS
    assert body | {"expires_at": None} == {
        "status": "scheduled",
        "position": "Backend Engineer",
        "company": "Acme Logistics",
        "candidate_first_name": "Jane",
        "messages": [],
        "progress": {"question": 0, "of_about": 4},
        "complete": False,
        "waiting_for": "candidate",
        "notice": None,
        "retry_after_seconds": None,
        "expires_at": None,
        "contact": {"name": "Riley Recruiter", "email": RECRUITER_EMAIL},
        "limits": {"max_answer_chars": rules.MAX_ANSWER_CHARS},
    }

    state = (await client.post(_url(seeded.token, "start"))).json()
    assert (state["status"], state["waiting_for"], state["progress"]["question"]) == ("in_progress", "candidate", 1)
    [opening] = state["messages"]
    assert set(opening) == {"seq", "role", "content", "sent_at"}
    assert (opening["seq"], opening["role"]) == (1, "interviewer")
    for answer in FULL_ANSWERS:
        response = await client.post(_url(seeded.token, "answers"), json={"text": answer})
        assert response.status_code == 200, response.text
        state = response.json()
    assert (state["status"], state["complete"], state["waiting_for"]) == ("completed", True, None)
    assert [m["seq"] for m in state["messages"]] == list(range(1, len(FULL_ANSWERS) * 2 + 2))

    closed = _assert_error(await client.get(_url(seeded.token)), 410)
    assert closed["reason"] == "completed"
    assert closed["contact"] == {"name": "Riley Recruiter", "email": RECRUITER_EMAIL}
    _assert_error(await client.post(_url(seeded.token, "answers"), json={"text": "And one more thing."}), 410)
    evaluations = await rows(prompts, "SELECT application_id FROM queue_items WHERE job_type = 'evaluate'")
    assert [r.application_id for r in evaluations] == [seeded.application_id]


async def test_unknown_links_get_404(client: httpx.AsyncClient, prompts: AsyncEngine) -> None:
    await seed_interview(prompts)
    for token in ("B" * 43, "nope"):
        _assert_error(await client.get(_url(token)), 404)
        _assert_error(await client.post(_url(token, "start")), 404)
        _assert_error(await client.post(_url(token, "answers"), json={"text": "Hello there."}), 404)


async def test_an_expired_link_gets_410_with_whom_to_contact(client: httpx.AsyncClient, prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts, recruiter_email=None)
    async with prompts.begin() as conn:
        await conn.execute(
            text("UPDATE interviews SET expires_at = now() - interval '1 day' WHERE id = :i"),
            {"i": seeded.interview_id},
        )
    for response in (await client.get(_url(seeded.token)), await client.post(_url(seeded.token, "start"))):
        body = _assert_error(response, 410)
        assert body["reason"] == "expired"
        assert body["contact"] == {"name": "Riley Recruiter", "email": CONTACT_EMAIL}
        assert CONTACT_EMAIL in body["error"] and "expired" in body["error"]


async def test_a_body_over_the_cap_gets_413_before_it_is_parsed(
    client: httpx.AsyncClient,
    prompts: AsyncEngine,
) -> None:
    seeded = await seed_interview(prompts)
    await client.post(_url(seeded.token, "start"))
    huge = b'{"text": "' + b"a" * MAX_BODY_BYTES + b'"}'
    _assert_error(
        await client.post(_url(seeded.token, "answers"), content=huge, headers={"content-type": "application/json"}),
        413,
    )

    async def chunked() -> AsyncIterator[bytes]:  # no Content-Length: the cap applies while it streams
        yield b'{"text": "'
        for _ in range(MAX_BODY_BYTES // 1024 + 1):
            yield b"b" * 1024
        yield b'"}'

    _assert_error(await client.post(_url(seeded.token, "answers"), content=chunked()), 413)
    _assert_error(await client.post(_url(seeded.token, "start"), content=huge), 413)
    stored = await rows(prompts, "SELECT role FROM interview_messages WHERE interview_id = :i", i=seeded.interview_id)
    assert [r.role for r in stored] == ["interviewer"]


async def test_the_largest_allowed_answer_fits_the_body_cap_even_fully_escaped(
    client: httpx.AsyncClient,
    prompts: AsyncEngine,
) -> None:
    seeded = await seed_interview(prompts)
    await client.post(_url(seeded.token, "start"))
    answer = "é" * rules.MAX_ANSWER_CHARS
    escaped = ('{"text": "' + "\\u00e9" * rules.MAX_ANSWER_CHARS + '"}').encode()
    response = await client.post(
        _url(seeded.token, "answers"), content=escaped, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["messages"][1]["content"] == answer


@pytest.mark.parametrize(
    "payload",
    [
        {"text": ""},
        {"text": "   "},
        {"text": "a" * (rules.MAX_ANSWER_CHARS + 1)},
        {"text": 42},
        {"answer": "hi"},
        ["text"],
        "not json at all",
    ],
)
async def test_empty_too_long_or_malformed_answers_get_422(
    client: httpx.AsyncClient,
    prompts: AsyncEngine,
    payload: Any,
) -> None:
    seeded = await seed_interview(prompts)
    await client.post(_url(seeded.token, "start"))
    if isinstance(payload, str):
        response = await client.post(_url(seeded.token, "answers"), content=payload.encode())
    else:
        response = await client.post(_url(seeded.token, "answers"), json=payload)
    _assert_error(response, 422)
    stored = await rows(prompts, "SELECT role FROM interview_messages WHERE interview_id = :i", i=seeded.interview_id)
    assert len(stored) == 1


async def test_answering_before_starting_gets_409(client: httpx.AsyncClient, prompts: AsyncEngine) -> None:
    seeded = await seed_interview(prompts)
    body = _assert_error(await client.post(_url(seeded.token, "answers"), json={"text": FULL_ANSWERS[0]}), 409)
    assert "Start" in body["error"]


async def test_answers_over_the_rate_limit_get_429_with_retry_after(prompts: AsyncEngine, database_url: str) -> None:
    seeded = await seed_interview(prompts)
    engine = interview_engine(prompts, rate_limit=RateLimit(answers=2, window_seconds=60))
    async for client in _client(database_url, prompts, engine):
        await client.post(_url(seeded.token, "start"))
        for answer in FULL_ANSWERS[:2]:
            assert (await client.post(_url(seeded.token, "answers"), json={"text": answer})).status_code == 200
        limited = await client.post(_url(seeded.token, "answers"), json={"text": FULL_ANSWERS[2]})
        body = _assert_error(limited, 429)
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert body["retry_after_seconds"] == int(limited.headers["retry-after"])


async def test_an_interviewer_failure_answers_thinking_and_the_next_get_recovers(
    prompts: AsyncEngine,
    database_url: str,
) -> None:
    seeded = await seed_interview(prompts)
    llm = FlakyLLM(failures=0)
    async for client in _client(database_url, prompts, interview_engine(prompts, llm)):
        await client.post(_url(seeded.token, "start"))
        llm.failures = llm.turns + 1
        thinking = await client.post(_url(seeded.token, "answers"), json={"text": FULL_ANSWERS[0]})
        assert thinking.status_code == 200
        body = thinking.json()
        assert (body["waiting_for"], body["notice"]) == ("interviewer", THINKING_NOTICE)
        assert body["messages"][-1] == {**body["messages"][-1], "role": "candidate", "content": FULL_ANSWERS[0]}
        recovered = (await client.get(_url(seeded.token))).json()
        assert (recovered["waiting_for"], recovered["notice"]) == ("candidate", None)
        assert [m["role"] for m in recovered["messages"]] == ["interviewer", "candidate", "interviewer"]


async def test_markup_in_an_answer_comes_back_verbatim_in_the_json(
    client: httpx.AsyncClient,
    prompts: AsyncEngine,
) -> None:
    seeded = await seed_interview(prompts, candidate_name="<script>x()</script> Doe")
    await client.post(_url(seeded.token, "start"))
    answer = '<script>alert("pwned")</script> I led 3 launches & wrote the </textarea> runbook.'
    response = await client.post(_url(seeded.token, "answers"), json={"text": answer})
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["messages"][1]["content"] == answer
    assert body["candidate_first_name"] == "<script>x()</script>"
    stored = await rows(
        prompts, "SELECT content FROM interview_messages WHERE seq = 2 AND interview_id = :i", i=seeded.interview_id
    )
    assert stored[0].content == answer


async def test_tokens_never_reach_the_logs(
    client: httpx.AsyncClient,
    prompts: AsyncEngine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    seeded = await seed_interview(prompts)
    caplog.set_level(logging.DEBUG)
    with structlog.testing.capture_logs() as events:
        await client.post(_url(seeded.token, "start"))
        await client.post(_url(seeded.token, "answers"), json={"text": FULL_ANSWERS[0]})
        await client.get(_url("C" * 43))
    # Not counted: httpx's request lines are this test client's own, and uvicorn's access log is off
    # (access_log=False, as the service runs it) though pytest attaches its capture handler to it anyway.
    records = [r.getMessage() for r in caplog.records if r.name not in ("httpx", "uvicorn.access")]
    logged = repr(events) + "\n".join(records)
    assert events and seeded.token not in logged and seeded.token_hash not in logged
    assert any(e.get("token_ref") == seeded.token_hash[:6] for e in events)
    assert FULL_ANSWERS[0] not in logged


async def test_twelve_answers_posted_at_once_are_taken_only_in_turn(prompts: AsyncEngine, database_url: str) -> None:
    # Twelve concurrent posts once completed an interview after its first question.
    seeded = await seed_interview(prompts)
    engine = interview_engine(prompts, SlowLLM(delay=0.3), rate_limit=RateLimit(100, 60))
    async for client in _client(database_url, prompts, engine):
        await client.post(_url(seeded.token, "start"))
        responses = await asyncio.gather(
            *(client.post(_url(seeded.token, "answers"), json={"text": answer}) for answer in FULL_ANSWERS * 3)
        )
        accepted = [r for r in responses if r.status_code == 200]
        refused = [r for r in responses if r.status_code != 200]
        for response in refused:
            assert "wait for the next question" in _assert_error(response, 409)["error"]
        state = (await client.get(_url(seeded.token))).json()
        roles = [m["role"] for m in state["messages"]]
        # Question, answer, question, answer...: never two answers to one question.
        assert roles == ["interviewer", "candidate"] * len(accepted) + ["interviewer"] * (not state["complete"])
        assert len(accepted) < len(FULL_ANSWERS)  # the interview is not over after a burst
