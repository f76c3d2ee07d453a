"""The pipeline's processors over real peers: PostgreSQL, the sandbox tenant over HTTP, the local twins.

`pipeline` is a `Pipeline`: a `PipelineContext` over a fresh sandbox tenant, local storage and an
outbox in a temporary directory, the real résumé reader and report renderer, and the offline LLM
wrapped in `RecordingLLM` — a real implementation of the LLM port that remembers what it was sent,
so a test can prove that no personal or hidden text reached the model. The helpers drive an
application to a given stage through the real processors.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.documents.reader import ResumeReader
from airecruiter.adapters.documents.report import TypstReportRenderer
from airecruiter.adapters.email.outbox import OutboxMailer
from airecruiter.adapters.llm.offline import OfflineLLM
from airecruiter.adapters.redactor import IsolatedRedactor
from airecruiter.adapters.storage.local import LocalStorage
from airecruiter.config import id_list
from airecruiter.db.analyses import latest_analysis
from airecruiter.db.applications import ApplicationRecord, application_by_external_id
from airecruiter.db.interviews import append_message, live_interview, mark_interview_completed, mark_interview_started
from airecruiter.db.prompts import seed_default_prompts
from airecruiter.ports.llm import InterviewEvaluation, InterviewMessage, InterviewTurn, ResumeAnalysis
from airecruiter.processors.context import PipelineContext
from airecruiter.processors.registry import pipeline_processors
from airecruiter.queue.jobs import Job, Priority
from airecruiter.queue.manager import QueueManager
from airecruiter.sandbox.server import SandboxServer
from tests.integration.sandbox_fixtures import running_sandbox
from tests.integration.workday_helpers import client_for

FRONTEND_URL = "https://jobs.example.test"
RECRUITING_CONTACT = "recruiting@example.test"
SENDER = "interviews@example.test"
LINK = re.compile(re.escape(FRONTEND_URL) + r"/interview/([A-Za-z0-9_-]{20,})")

# What a candidate types into the interview page: concrete, first person, about the work.
ANSWERS = (
    "At my last job I owned the move of our orders service to PostgreSQL 15. I planned the cut-over, "
    "rehearsed the rollback twice and we switched with ten minutes of read-only time.",
    "When a release of mine broke checkout for some customers, I rolled it back within minutes, wrote the "
    "post-mortem that evening and added the test that would have caught it.",
    "I review pull requests every morning and pair with the two junior engineers once a week; one of them "
    "now leads our deployment tooling.",
    "I keep a written list of what I promised to whom, and I say early when a date slips and why.",
    "I am learning Kubernetes operators at the moment, because our team will own the cluster next year.",
    "I would start by reading the incident history and talking to the people on call before changing anything.",
)


@dataclass
class LLMCall:
    """One call the pipeline made to the LLM port, with every argument it passed."""

    method: str
    inputs: dict[str, Any]

    def text(self) -> str:
        """Everything sent, as one string (transcripts included)."""
        parts: list[str] = []
        for value in self.inputs.values():
            if isinstance(value, str):
                parts.append(value)
            elif isinstance(value, list):
                parts += [m.content if isinstance(m, InterviewMessage) else str(m) for m in value]
        return "\n".join(parts)


class RecordingLLM:
    """The offline LLM, remembering each call's inputs (a twin of the port, not a mock)."""

    def __init__(self, inner: Any | None = None) -> None:
        self.inner = inner or OfflineLLM()
        self.calls: list[LLMCall] = []

    def sent(self, method: str) -> list[LLMCall]:
        """The calls of one method, oldest first."""
        return [c for c in self.calls if c.method == method]

    async def analyze_resume(self, **inputs: Any) -> ResumeAnalysis:
        self.calls.append(LLMCall("analyze_resume", inputs))
        result: ResumeAnalysis = await self.inner.analyze_resume(**inputs)
        return result

    async def interview_turn(self, **inputs: Any) -> InterviewTurn:
        self.calls.append(LLMCall("interview_turn", inputs))
        result: InterviewTurn = await self.inner.interview_turn(**inputs)
        return result

    async def evaluate_interview(self, **inputs: Any) -> InterviewEvaluation:
        self.calls.append(LLMCall("evaluate_interview", inputs))
        result: InterviewEvaluation = await self.inner.evaluate_interview(**inputs)
        return result

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class Pipeline:
    """A context over real peers, and handles on those peers for the test to look at."""

    ctx: PipelineContext
    db: AsyncEngine
    sandbox: SandboxServer
    llm: RecordingLLM
    storage: LocalStorage
    outbox: Path
    job_ids: list[int] = field(default_factory=lambda: [0])

    def job(
        self, job_type: str, *, application_id: int | None = None, requisition_id: int | None = None, attempts: int = 1
    ) -> Job:
        """A claimed job as the worker would hand it over."""
        self.job_ids[0] += 1
        now = datetime.now(UTC)
        return Job(
            id=self.job_ids[0],
            job_type=job_type,
            application_id=application_id,
            requisition_id=requisition_id,
            priority=int(Priority.SCHEDULED),
            attempts=attempts,
            max_attempts=3,
            created_at=now,
            scheduled_for=now,
        )

    async def run(self, job_type: str, *, application_id: int | None = None, requisition_id: int | None = None) -> None:
        """Run one job through the registered processor (the same callable the worker calls)."""
        processor = pipeline_processors(self.ctx)[job_type]
        await processor(self.job(job_type, application_id=application_id, requisition_id=requisition_id))

    def with_context(self, **changes: Any) -> Pipeline:
        """The same peers with some of the context replaced (another mailer, LLM, clock...)."""
        return replace(self, ctx=replace(self.ctx, **changes))

    def emails(self) -> list[EmailMessage]:
        """Every message in the outbox, oldest first."""
        paths = sorted(self.outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if self.outbox.is_dir() else []
        return [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
            for p in paths
        ]


@pytest.fixture(scope="session")
async def resume_reader() -> AsyncIterator[ResumeReader]:
    """One reader (and its worker processes) for the session."""
    reader = ResumeReader()
    yield reader
    await reader.aclose()


@pytest.fixture(scope="session")
async def text_redactor() -> AsyncIterator[IsolatedRedactor]:
    """One redactor (and its worker process) for the session."""
    redactor = IsolatedRedactor()
    yield redactor
    await redactor.aclose()


@pytest.fixture(scope="session")
async def report_renderer() -> AsyncIterator[TypstReportRenderer]:
    """One renderer (and its worker process; font discovery is its slow part) for the session."""
    renderer = TypstReportRenderer()
    yield renderer
    await renderer.aclose()


@pytest.fixture
async def pipeline_sandbox() -> AsyncIterator[SandboxServer]:
    """A freshly seeded sandbox tenant for each test."""
    async with running_sandbox() as server:
        yield server


def tenant_conventions(sandbox: SandboxServer) -> dict[str, Any]:
    """The context values a tenant with other ID conventions announces (as bootstrap gives them)."""
    env = sandbox.settings_env()
    conventions: dict[str, Any] = {}
    if "WORKDAY_OPEN_STATUS" in env:
        conventions["open_status"] = env["WORKDAY_OPEN_STATUS"]
    if "WORKDAY_REJECTED_DISPOSITIONS" in env:
        conventions["rejected_dispositions"] = id_list(env["WORKDAY_REJECTED_DISPOSITIONS"])
    if "WORKDAY_ADVANCED_STAGES" in env:
        conventions["advanced_stages"] = id_list(env["WORKDAY_ADVANCED_STAGES"])
    return conventions


@pytest.fixture
async def pipeline(
    db: AsyncEngine,
    pipeline_sandbox: SandboxServer,
    tmp_path: Path,
    resume_reader: ResumeReader,
    report_renderer: TypstReportRenderer,
    text_redactor: IsolatedRedactor,
) -> AsyncIterator[Pipeline]:
    """The pipeline over an emptied database with the default prompts, a fresh tenant and temp dirs."""
    await seed_default_prompts(db)
    sandbox = pipeline_sandbox
    workday = client_for(sandbox)
    llm = RecordingLLM()
    storage = LocalStorage(tmp_path / "artifacts")
    outbox = tmp_path / "outbox"
    ctx = PipelineContext(
        engine=db,
        queue=QueueManager(db),
        workday=workday,
        llm=llm,
        storage=storage,
        mailer=OutboxMailer(outbox, from_email=SENDER, from_name="Acme Recruiting"),
        documents=resume_reader,
        reports=report_renderer,
        redactor=text_redactor,
        frontend_url=FRONTEND_URL,
        recruiter_email=RECRUITING_CONTACT,
        company_name="Acme Logistics",
        **tenant_conventions(sandbox),
    )
    try:
        yield Pipeline(ctx, db, sandbox, llm, storage, outbox)
    finally:
        await workday.aclose()


# --- reading what a recruiter would see ----------------------------------------------------------------


async def rows(db: AsyncEngine, statement: str, **params: Any) -> list[Any]:
    """All rows of one query."""
    async with db.connect() as conn:
        return list(await conn.execute(text(statement), params))


async def value(db: AsyncEngine, statement: str, **params: Any) -> Any:
    """The single value of one query."""
    async with db.connect() as conn:
        return await conn.scalar(text(statement), params)


async def application(db: AsyncEngine, external_application_id: str) -> ApplicationRecord:
    """The stored application with this Workday id."""
    async with db.connect() as conn:
        found = await application_by_external_id(conn, external_application_id=external_application_id)
    assert found is not None, f"{external_application_id} was not synced"
    return found


async def requisition_id(db: AsyncEngine, external_id: str) -> int:
    """Our id of a requisition synced from Workday."""
    found = await value(db, "SELECT id FROM requisitions WHERE external_id = :e", e=external_id)
    assert found is not None, f"{external_id} was not synced"
    return int(found)


async def live_jobs(db: AsyncEngine) -> set[tuple[str, int | None, int | None]]:
    """(job_type, application_id, requisition_id) of every live queue item."""
    found = await rows(
        db,
        "SELECT job_type, application_id, requisition_id FROM queue_items"
        " WHERE status IN ('pending', 'running', 'failed')",
    )
    return {(r[0], r[1], r[2]) for r in found}


async def actions(db: AsyncEngine, application_id: int) -> list[str]:
    """The application's activity log, oldest first, as action names."""
    found = await rows(db, "SELECT action FROM activities WHERE application_id = :a ORDER BY id", a=application_id)
    return [r[0] for r in found]


async def activity(db: AsyncEngine, application_id: int, action: str) -> list[dict[str, Any]]:
    """The details of each activity entry of one action for the application."""
    found = await rows(
        db,
        "SELECT details FROM activities WHERE application_id = :a AND action = :x ORDER BY id",
        a=application_id,
        x=action,
    )
    return [r[0] if isinstance(r[0], dict) else json.loads(r[0]) for r in found]


# --- driving an application through the stages --------------------------------------------------------


async def synced(pipeline: Pipeline, external_requisition_id: str) -> int:
    """Refresh the requisition list, then sync one requisition; its id."""
    await pipeline.run("sync")
    rid = await requisition_id(pipeline.db, external_requisition_id)
    await pipeline.run("sync", requisition_id=rid)
    return rid


async def analyzed(pipeline: Pipeline, external_requisition_id: str, external_application_id: str) -> int:
    """Sync the requisition and analyse one application; the application's id."""
    await synced(pipeline, external_requisition_id)
    app = await application(pipeline.db, external_application_id)
    await pipeline.run("analyze", application_id=app.id)
    return app.id


def interview_links(messages: Iterable[EmailMessage]) -> list[str]:
    """The interview tokens in the plain-text part of each message."""
    tokens = []
    for message in messages:
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        found = LINK.search(body.get_content())
        assert found, body.get_content()
        tokens.append(found.group(1))
    return tokens


async def invited(pipeline: Pipeline, external_requisition_id: str, external_application_id: str) -> int:
    """Analyse and invite one application; its id."""
    app_id = await analyzed(pipeline, external_requisition_id, external_application_id)
    await pipeline.run("send_interview", application_id=app_id)
    return app_id


async def take_interview(pipeline: Pipeline, application_id: int, answers: Iterable[str] = ANSWERS) -> None:
    """The candidate answers the interviewer's questions until it says the interview is complete.

    This stands in for the interview engine (a later issue) using the same repositories and LLM port.
    """
    async with pipeline.db.connect() as conn:
        interview = await live_interview(conn, application_id=application_id)
        analysis = await latest_analysis(conn, application_id=application_id)
        job = (
            await conn.execute(
                text(
                    "SELECT r.name, r.detailed_description FROM requisitions r JOIN applications a"
                    " ON a.requisition_id = r.id WHERE a.id = :a"
                ),
                {"a": application_id},
            )
        ).one()
    assert interview is not None and analysis is not None
    transcript: list[InterviewMessage] = []
    replies = iter(answers)
    async with pipeline.db.begin() as conn:
        await mark_interview_started(conn, interview_id=interview.id, at=datetime.now(UTC))
    for _ in range(20):
        turn = await pipeline.ctx.llm.interview_turn(
            prompt="interview",
            prompt_version=1,
            job_title=job.name,
            job_description=job.detailed_description,
            suggested_questions=analysis.suggested_questions,
            transcript=transcript,
        )
        async with pipeline.db.begin() as conn:
            if turn.message:
                await append_message(conn, interview_id=interview.id, role="interviewer", content=turn.message)
                transcript.append(InterviewMessage(role="interviewer", content=turn.message))
            if turn.complete:
                await mark_interview_completed(conn, interview_id=interview.id, at=datetime.now(UTC))
                return
            answer = next(replies, "I have nothing to add, thank you.")
            await append_message(conn, interview_id=interview.id, role="candidate", content=answer)
            transcript.append(InterviewMessage(role="candidate", content=answer))
    raise AssertionError("the interviewer never finished the interview")


async def interviewed(pipeline: Pipeline, external_requisition_id: str, external_application_id: str) -> int:
    """Invite one application and let the candidate finish the interview; its id."""
    app_id = await invited(pipeline, external_requisition_id, external_application_id)
    await take_interview(pipeline, app_id)
    return app_id


async def evaluated(pipeline: Pipeline, external_requisition_id: str, external_application_id: str) -> int:
    """Interview one application and evaluate it; its id."""
    app_id = await interviewed(pipeline, external_requisition_id, external_application_id)
    await pipeline.run("evaluate", application_id=app_id)
    return app_id
