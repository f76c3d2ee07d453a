"""Applications as the console shows them: a console whose storage the test can see, and seeded stories.

`storage_console` serves the same web app as admin_fixtures' `console`, with its local storage in
the test's temporary directory, handed to the test as `console.storage`, so the résumés and
reports a test stores are the ones the console serves. `seed_application` writes one application at a chosen
stage through the repositories; `seed_many` inserts thousands in a few statements (list and
benchmark data).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.storage.local import LocalStorage
from airecruiter.bootstrap import Database, Wiring, assemble, build_adapters
from airecruiter.config import load_settings
from airecruiter.db.analyses import insert_analysis
from airecruiter.db.applications import change_status, merge_artifacts, upsert_application
from airecruiter.db.evaluations import insert_evaluation
from airecruiter.db.interviews import append_message, create_interview, mark_interview_completed
from airecruiter.db.reports import insert_report, mark_report_uploaded
from airecruiter.db.requisitions import upsert_requisition
from airecruiter.domain.artifacts import ResumeArtifacts, StoredResume
from airecruiter.domain.interview_tokens import new_interview_token
from airecruiter.domain.records import HiddenText, findings_from_json, hidden_text_from_json
from airecruiter.ports.storage import report_key, resume_key
from airecruiter.web.app import create_app
from tests.integration.admin_fixtures import AdminClient, Console, sign_in
from tests.integration.interview_fixtures import CONTACT_EMAIL, serving

PATH_TO = {
    "new": [],
    "analyzed": ["analyzed"],
    "interview_pending": ["analyzed", "interview_pending"],
    "interview_complete": ["analyzed", "interview_pending", "interview_complete"],
    "report_pending": ["analyzed", "interview_pending", "interview_complete", "report_pending"],
    "complete": ["analyzed", "interview_pending", "interview_complete", "report_pending", "complete"],
}
_INTERVIEWED = ("interview_complete", "report_pending", "complete")
RESUME_BYTES = b"%PDF-1.4\n% the candidate's own resume\n"
REPORT_BYTES = b"%PDF-1.7\n% the candidate report\n"
SCORES = {
    "reliability": 8,
    "accountability": 7,
    "professionalism": 9,
    "communication": 6,
    "technical": 8,
    "growth_potential": 5,
}


@dataclass
class StorageConsole(Console):
    """The running console and the storage it reads artifacts from."""

    storage: LocalStorage


@asynccontextmanager
async def storage_console(db: AsyncEngine, database_url: str, data_dir: Path) -> AsyncIterator[StorageConsole]:
    """The web app on loopback over the test database, its data dir (so its storage) in `data_dir`.

    The `console`, `admin` and `recruiter` fixtures below wrap it; a test module imports them to
    use them instead of admin_fixtures' console (whose storage the test cannot see).
    """
    settings = load_settings(
        DATABASE_URL=database_url,
        COMPANY_NAME="Acme Logistics",
        RECRUITING_CONTACT_EMAIL=CONTACT_EMAIL,
        AIRECRUITER_DATA_DIR=data_dir,
    )
    adapters = build_adapters(settings)
    runtime = assemble(
        settings, Database(database_url, db), adapters, Wiring(workday=False, pipeline=False, run_pipeline=False)
    )
    assert isinstance(adapters.storage, LocalStorage)
    async with serving(create_app(runtime)) as url:
        yield StorageConsole(url, db, adapters.storage)


@pytest.fixture
async def console(db: AsyncEngine, database_url: str, tmp_path: Path) -> AsyncIterator[StorageConsole]:
    """The console, its storage in this test's temp dir."""
    async with storage_console(db, database_url, tmp_path / "data") as running:
        yield running


@pytest.fixture
async def admin(console: StorageConsole) -> AsyncIterator[AdminClient]:
    """A signed-in admin."""
    client = await sign_in(console, "admin")
    yield client
    await client.aclose()


@pytest.fixture
async def recruiter(console: StorageConsole) -> AsyncIterator[AdminClient]:
    """A signed-in recruiter."""
    client = await sign_in(console, "recruiter")
    yield client
    await client.aclose()


@dataclass(frozen=True)
class Seeded:
    """Ids of what `seed_application` stored."""

    application_id: int
    requisition_id: int
    interview_id: int | None = None
    report_key: str | None = None


_counter = iter(range(1, 1_000_000))


async def seed_application(
    db: AsyncEngine,
    *,
    name: str = "Jane Smith",
    status: str = "analyzed",
    risk: float | None = 0.3,
    storage: LocalStorage | None = None,
    hidden: list[dict[str, Any]] | None = None,
    requisition: str = "Backend Engineer",
    email: str | None = "jane@example.test",
    workday_inactive: bool = False,
    human_decision: str | None = None,
    uploaded: bool = True,
    interview_status: str | None = None,
) -> Seeded:
    """One application at `status` with what that stage implies (analysis, interview, evaluation, report)."""
    n = next(_counter)
    async with db.begin() as conn:
        req = (
            await upsert_requisition(
                conn,
                external_id=f"REQ-A{n}",
                name=requisition,
                detailed_description="Job",
                recruiter_name="Riley",
                workday_status="Open",
            )
        ).requisition
        app = (
            await upsert_application(
                conn,
                application_id=None,
                requisition_id=req.id,
                external_application_id=f"JA-A{n}",
                external_candidate_id=f"C-A{n}",
                candidate_name=name,
                candidate_email=email,
                workday_status="Screen",
                workday_status_changed=None,
                artifacts=None,
                workday_inactive=workday_inactive,
                human_decision=human_decision,
            )
        ).application
        if storage is not None:
            key = resume_key(app.id, "Jane Smith résumé.pdf")
            await storage.put(key, RESUME_BYTES, content_type="application/pdf")
            resume = StoredResume(key, "Jane Smith résumé.pdf", "application/pdf", size=len(RESUME_BYTES))
            await merge_artifacts(conn, application_id=app.id, artifacts=ResumeArtifacts(resume))
        previous = "new"
        for target in PATH_TO[status]:
            await change_status(conn, application_id=app.id, expected=previous, target=target, actor="test")
            previous = target
        if status != "new" and risk is not None:
            await _analysis(conn, app.id, risk, hidden_text_from_json(hidden))
        interview_id = None
        live = interview_status or ("completed" if status in _INTERVIEWED else None)
        if live:
            interview_id = await _interview(conn, app.id, live)
            if live == "completed" and status in _INTERVIEWED:
                await _evaluation(conn, app.id, interview_id)
        stored_key = None
        if status in ("report_pending", "complete"):
            stored_key = await _report(conn, app.id, storage, uploaded=uploaded and status == "complete")
    return Seeded(app.id, req.id, interview_id, stored_key)


async def _analysis(conn: Any, application_id: int, risk: float, hidden: tuple[HiddenText, ...]) -> None:
    await insert_analysis(
        conn,
        application_id=application_id,
        risk_score=risk,
        relevance_summary="Strong on Python and PostgreSQL.",
        pros=findings_from_json(
            [{"text": "Eight years of Python", "evidence": [{"quote": "Senior Python engineer", "verified": True}]}]
        ),
        cons=findings_from_json(
            [{"text": "No team lead role", "evidence": [{"quote": "led a team of forty", "verified": False}]}]
        ),
        red_flags=findings_from_json(
            [{"text": "Unexplained 14-month gap", "evidence": [{"quote": "2019 – 2020", "verified": True}]}]
        ),
        suggested_questions=["What did you do during 2019–2020?"],
        hidden_text=hidden,
        raw_response=None,
        provider="offline",
        model="offline-rules-v1",
        prompt_id=None,
        prompt_version=3,
        input_hash="a" * 64,
        input_tokens=None,
        output_tokens=None,
    )


async def _evaluation(conn: Any, application_id: int, interview_id: int) -> None:
    await insert_evaluation(
        conn,
        interview_id=interview_id,
        application_id=application_id,
        scores=SCORES,
        overall_score=7.4,
        summary="Clear, concrete answers.",
        strengths=findings_from_json(
            [{"text": "Owns outcomes", "evidence": [{"quote": "I rolled it back", "verified": True}]}]
        ),
        weaknesses=findings_from_json([{"text": "Little mentoring", "evidence": []}]),
        red_flags=findings_from_json([]),
        recommendation="Advance to on-site",
        transcript="...",
        raw_response=None,
        provider="offline",
        model="offline-rules-v1",
        prompt_id=None,
        prompt_version=2,
        input_hash="b" * 64,
    )


async def _interview(conn: Any, application_id: int, status: str) -> int:
    _, token_hash = new_interview_token()
    interview = await create_interview(
        conn, application_id=application_id, token_hash=token_hash, expires_at=datetime.now(UTC) + timedelta(days=7)
    )
    assert interview is not None
    await append_message(conn, interview_id=interview.id, role="interviewer", content="Tell me about a migration.")
    await append_message(conn, interview_id=interview.id, role="candidate", content="I moved orders to PostgreSQL.")
    if status == "completed":
        await mark_interview_completed(conn, interview_id=interview.id, at=datetime.now(UTC))
    elif status == "in_progress":
        await conn.execute(text("UPDATE interviews SET status = 'in_progress' WHERE id = :id"), {"id": interview.id})
    return interview.id


async def _report(conn: Any, application_id: int, storage: LocalStorage | None, *, uploaded: bool) -> str:
    key = report_key(application_id, f"CandidateReport_{application_id}_1")
    if storage is not None:
        await storage.put(key, REPORT_BYTES, content_type="application/pdf")
    report = await insert_report(
        conn, application_id=application_id, s3_key=key, includes_analysis=True, includes_interview=True
    )
    if uploaded:
        await mark_report_uploaded(
            conn, report_id=report.id, workday_document_id="WD-DOC-1", uploaded_at=datetime.now(UTC)
        )
    return key


async def seed_many(db: AsyncEngine, count: int, *, requisitions: int = 20) -> None:
    """`count` applications over `requisitions` requisitions; most analysed, a third evaluated, a sixth reported."""
    async with db.begin() as conn:
        await conn.execute(
            text("""
            INSERT INTO requisitions (external_id, name) SELECT 'REQ-M' || g, 'Requisition ' || g
              FROM generate_series(1, :r) AS g"""),
            {"r": requisitions},
        )
        await conn.execute(
            text("""
            INSERT INTO applications (requisition_id, external_application_id, external_candidate_id, candidate_name,
                                      candidate_email, workday_status, status, updated_at)
            SELECT (SELECT min(id) FROM requisitions) + g % :r, 'JA-M' || g, 'C-M' || g, 'Candidate ' || g,
                   'candidate' || g || '@example.test', 'Screen',
                   (ARRAY['new','analyzed','interview_pending','interview_complete','report_pending','complete'])
                       [1 + g % 6],
                   now() - make_interval(mins => g)
              FROM generate_series(1, :n) AS g"""),
            {"n": count, "r": requisitions},
        )
        await conn.execute(
            text("""
            INSERT INTO analyses (application_id, risk_score, relevance_summary, pros, cons, red_flags,
                                  suggested_questions, provider, model, prompt_version, input_hash)
            SELECT id, (id * 7919 % 1000) / 1000.0, 'summary', '[]', '[]', '[]', '[]', 'offline', 'm', 1, 'h'
              FROM applications WHERE status <> 'new'""")
        )
        await conn.execute(
            text("""
            INSERT INTO interviews (application_id, token_hash, expires_at, status)
            SELECT id, encode(sha256(id::text::bytea), 'hex'), now() + interval '7 days', 'completed'
              FROM applications WHERE status IN ('interview_complete', 'report_pending', 'complete')""")
        )
        await conn.execute(
            text("""
            INSERT INTO evaluations (interview_id, application_id, reliability_score, accountability_score,
                                     professionalism_score, communication_score, technical_score,
                                     growth_potential_score, overall_score, summary, strengths, weaknesses, red_flags,
                                     recommendation, transcript, provider, model, prompt_version, input_hash)
            SELECT i.id, i.application_id, 5, 5, 5, 5, 5, 5, (i.id * 31 % 100) / 10.0, 's', '[]', '[]', '[]', 'r',
                   't', 'offline', 'm', 1, 'h'
              FROM interviews i""")
        )
        await conn.execute(
            text("""
            INSERT INTO reports (application_id, s3_key, includes_analysis, includes_interview)
            SELECT id, 'applications/' || id || '/reports/r.pdf', true, true
              FROM applications WHERE status IN ('report_pending', 'complete')""")
        )
        await conn.execute(text("ANALYZE applications, analyses, evaluations, reports, interviews"))
