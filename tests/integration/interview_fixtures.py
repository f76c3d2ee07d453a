"""Interviews ready to take, LLM twins for the interviewer, and the web app served on loopback.

`seed_interview` stores a requisition, an application, its analysis and a scheduled interview
through the repositories and returns the clear token a candidate's link would carry. The LLM twins
are real implementations of the port around the offline interviewer: one that fails its first calls,
one that answers slowly (so concurrent requests overlap), one that never ends the interview.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
from collections.abc import AsyncIterator, Generator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.llm.offline import OfflineLLM
from airecruiter.adapters.redactor import IsolatedRedactor
from airecruiter.bootstrap import Application, Database, Wiring, WorkdayConnection, assemble, build_adapters
from airecruiter.config import load_settings
from airecruiter.db.analyses import insert_analysis
from airecruiter.db.applications import change_status, upsert_application
from airecruiter.db.interviews import create_interview
from airecruiter.db.requisitions import upsert_requisition
from airecruiter.domain.interview_tokens import new_interview_token
from airecruiter.errors import LLMError
from airecruiter.ports.llm import InterviewEvaluation, InterviewTurn, ResumeAnalysis
from airecruiter.queue.manager import QueueManager
from airecruiter.services.interviews import InterviewEngine

QUESTIONS = [
    "Walk me through a recent piece of work where you used PostgreSQL: what was your part, and what was the result?",
    "Tell me about a time something went wrong at work because of a decision you made. What did you do about it?",
    "How do you keep your commitments when priorities change or a deadline moves?",
    "What would you want to learn or get better at in your first year as Backend Engineer?",
]
JOB_DESCRIPTION = "We need a backend engineer with Python and PostgreSQL experience to own our orders service."
RECRUITER_EMAIL = "riley.recruiter@example.test"
CONTACT_EMAIL = "recruiting@example.test"
FULL_ANSWERS = (
    "At my last job I owned the move of our orders service to PostgreSQL 15. I planned the cut-over, rehearsed "
    "the rollback twice and we switched with ten minutes of read-only time.",
    "When a release of mine broke checkout for 200 customers, I rolled it back within minutes, wrote the "
    "post-mortem that evening and added the test that would have caught it.",
    "I keep a written list of what I promised to whom, and I say early when a date slips and why; last year "
    "that let us move 2 launches without surprising anyone.",
    "I am learning Kubernetes operators at the moment, because our team will own the cluster next year, and "
    "I want to get better at capacity planning for 3 regions.",
)


@dataclass(frozen=True)
class SeededInterview:
    """A scheduled interview and the clear token of its link."""

    token: str
    token_hash: str
    interview_id: int
    application_id: int
    requisition_id: int


_counter = iter(range(1, 1_000_000))


async def seed_interview(
    db: AsyncEngine,
    *,
    candidate_name: str = "Jane Smith",
    questions: list[str] | None = None,
    expires_at: datetime | None = None,
    recruiter_email: str | None = RECRUITER_EMAIL,
) -> SeededInterview:
    """A requisition, an `interview_pending` application with its analysis, and its `scheduled` interview."""
    n = next(_counter)
    token, token_hash = new_interview_token()
    async with db.begin() as conn:
        requisition = (
            await upsert_requisition(
                conn,
                external_id=f"REQ-I{n}",
                name="Backend Engineer",
                detailed_description=JOB_DESCRIPTION,
                recruiter_name="Riley Recruiter",
                workday_status="Open",
            )
        ).requisition
        await conn.execute(
            text("UPDATE requisitions SET recruiter_email = :e WHERE id = :id"),
            {"e": recruiter_email, "id": requisition.id},
        )
        application = (
            await upsert_application(
                conn,
                application_id=None,
                requisition_id=requisition.id,
                external_application_id=f"JA-I{n}",
                external_candidate_id=f"C-I{n}",
                candidate_name=candidate_name,
                candidate_email=f"candidate{n}@example.test",
                workday_status="Screen",
                workday_status_changed=None,
                artifacts=None,
            )
        ).application
        for expected, target in (("new", "analyzed"), ("analyzed", "interview_pending")):
            await change_status(conn, application_id=application.id, expected=expected, target=target, actor="test")
        await insert_analysis(
            conn,
            application_id=application.id,
            risk_score=0.3,
            relevance_summary="A good fit.",
            pros=[],
            cons=[],
            red_flags=[],
            suggested_questions=QUESTIONS if questions is None else questions,
            hidden_text=[],
            raw_response=None,
            provider="offline",
            model="offline-rules-v1",
            prompt_id=None,
            prompt_version=1,
            input_hash="0" * 64,
            input_tokens=None,
            output_tokens=None,
        )
        interview = await create_interview(
            conn,
            application_id=application.id,
            token_hash=token_hash,
            expires_at=expires_at or datetime.now(UTC) + timedelta(days=7),
        )
    assert interview is not None
    return SeededInterview(token, token_hash, interview.id, application.id, requisition.id)


class FlakyLLM:
    """The offline interviewer, except that its first `failures` interview turns raise LLMError."""

    def __init__(self, failures: int = 1, inner: Any | None = None) -> None:
        self.failures = failures
        self.inner = inner or OfflineLLM()
        self.turns = 0

    async def interview_turn(self, **inputs: Any) -> InterviewTurn:
        self.turns += 1
        if self.turns <= self.failures:
            raise LLMError("The model is overloaded (HTTP 529); try again later.")
        result: InterviewTurn = await self.inner.interview_turn(**inputs)
        return result

    async def analyze_resume(self, **inputs: Any) -> ResumeAnalysis:
        result: ResumeAnalysis = await self.inner.analyze_resume(**inputs)
        return result

    async def evaluate_interview(self, **inputs: Any) -> InterviewEvaluation:
        result: InterviewEvaluation = await self.inner.evaluate_interview(**inputs)
        return result

    async def aclose(self) -> None:
        await self.inner.aclose()


class SlowLLM(FlakyLLM):
    """The offline interviewer thinking for `delay` seconds before each turn, so requests overlap."""

    def __init__(self, delay: float = 0.05) -> None:
        super().__init__(failures=0)
        self.delay = delay

    async def interview_turn(self, **inputs: Any) -> InterviewTurn:
        await asyncio.sleep(self.delay)
        return await super().interview_turn(**inputs)


class EndlessLLM(FlakyLLM):
    """An interviewer that never says the interview is complete."""

    def __init__(self) -> None:
        super().__init__(failures=0)

    async def interview_turn(self, **inputs: Any) -> InterviewTurn:
        turn = await super().interview_turn(**inputs)
        return turn.model_copy(update={"complete": False, "message": f"Question {self.turns}: tell me more?"})


# One redactor (one worker process) for every engine the tests build; closed when the session ends.
TEST_REDACTOR = IsolatedRedactor()


@pytest.fixture(scope="session", autouse=True)
async def shared_redactor_closed() -> AsyncIterator[None]:
    """Stops the shared redactor's worker at the end of the session."""
    yield
    await TEST_REDACTOR.aclose()


def interview_engine(db: AsyncEngine, llm: Any | None = None, **options: Any) -> InterviewEngine:
    """An engine over the test database with the offline interviewer (or `llm`) and the shared redactor."""
    options.setdefault("redactor", TEST_REDACTOR)
    return InterviewEngine(
        db, QueueManager(db), llm or OfflineLLM(), company_name="Acme Logistics", contact_email=CONTACT_EMAIL, **options
    )


def runtime_for(
    database_url: str,
    db: AsyncEngine,
    *,
    interview_engine: InterviewEngine | None = None,
    workday: WorkdayConnection | None = None,
    **settings: Any,
) -> Application:
    """An application over the test database with the local twins (the offline LLM among them).

    `interview_engine` replaces the one built from the settings (one with other limits, say);
    `workday` is a connection the test opened (and closes), none by default.
    """
    loaded = load_settings(
        DATABASE_URL=database_url, COMPANY_NAME="Acme Logistics", RECRUITING_CONTACT_EMAIL=CONTACT_EMAIL, **settings
    )
    wiring = Wiring(workday=workday is not None, pipeline=False, run_pipeline=False)
    application = assemble(loaded, Database(database_url, db), build_adapters(loaded), wiring, workday=workday)
    return (
        application if interview_engine is None else dataclasses.replace(application, interview_engine=interview_engine)
    )


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


@contextlib.contextmanager
def _listening() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        sock.setblocking(False)
        yield sock
    finally:
        sock.close()


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """The app served by uvicorn on a free loopback port; its base URL."""
    with _listening() as sock:
        server = _Server(uvicorn.Config(app, log_config=None, access_log=False, lifespan="off"))
        task = asyncio.create_task(server.serve(sockets=[sock]))
        for _ in range(2000):
            if server.started:
                break
            if task.done():
                await task
                raise RuntimeError("the web server stopped while starting")
            await asyncio.sleep(0.005)
        else:
            raise RuntimeError("the web server did not start")
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            await asyncio.wait_for(task, timeout=10)


async def rows(db: AsyncEngine, statement: str, **params: Any) -> list[Any]:
    """All rows of one query."""
    async with db.connect() as conn:
        return list(await conn.execute(text(statement), params))
