"""The whole pipeline end to end: the real service, the sandbox Workday tenant over HTTP, candidates over HTTP.

One run of the in-process service (scheduler, worker, web server and heartbeat, as `airecruiter run`
and the demo start them) over a sandbox tenant this module serves on a free port, with the offline
LLM wrapped in a recording twin of the LLM port. The run is driven the way people would drive it:
the scheduler lists the requisitions, a recruiter turns auto-send on and presses "sync now", moves a
candidate to Interview in Workday, and the candidate simulator answers each invitation in the outbox
through the interview's JSON endpoints. Four tests read that one run:

(a) every seeded application of the open requisitions ends `complete` with its PDF report in the
    candidate's Workday attachments (downloaded through the sandbox's control API and read back),
    except the scanned résumé, which ends in the dead letter with the reason; the activity log shows
    each stage;
(b) with `auto_send_on_status = 'Interview'` nothing is sent after the analysis; the sync that sees
    one application moved to Interview invites exactly that one, and later syncs never invite it
    again;
(c) an upload whose answer is lost after Workday stored the file (the sandbox drops the connection
    half-way through the Put_Candidate_Attachment response) is retried without a duplicate;
(e) the instruction hidden in the prompt-injection résumé reaches none of the LLM's inputs, while
    the recruiter is shown it.

(d) runs the pipeline in `airecruiter worker` processes instead and SIGKILLs one while its jobs run:
    another worker finishes the work, with one invitation per interview and one upload per report.
    It empties the database the shared run lives in, so it stays the last test of the module.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import re
import signal
import socket
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pypdfium2 as pdfium
import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.email.outbox import outbox_filename
from airecruiter.bootstrap import Application, build
from airecruiter.config import Settings, load_settings
from airecruiter.db.prompts import seed_default_prompts
from airecruiter.domain.interview_tokens import hash_interview_token
from airecruiter.queue.jobs import Priority
from airecruiter.queue.manager import QueueManager
from airecruiter.sandbox import SandboxServer, seed
from airecruiter.sandbox.candidate_simulator import CandidateSimulator, Invitation, find_invitations
from airecruiter.service import Pieces, run_service
from tests.conftest import TABLES
from tests.integration.pipeline_fixtures import RecordingLLM, activity, rows, value
from tests.integration.processes import eventually, free_port, start_process, stop_process
from tests.integration.sandbox_fixtures import running_sandbox

pytestmark = pytest.mark.slow

SEEDED = [a for a in seed.seeded_applications() if a.requisition_id in seed.OPEN_REQUISITION_IDS]
READABLE = sorted(a.application_id for a in SEEDED if a.application_id != seed.IMAGE_ONLY_APPLICATION_ID)
STATUS_TRIGGERED = seed.DATA_ANALYST_REQUISITION_ID  # its interviews go out when Workday says "Interview"
TRIGGERED_APPS = sorted(a.application_id for a in SEEDED if a.requisition_id == STATUS_TRIGGERED)
MOVED = "JA-000109"  # Oliver Hughes: the one the recruiter moves to Interview first
HELD_BACK = "JA-000101"  # Ana Silva: interviewed last, so her upload is the only Workday traffic then
HELD_BACK_CANDIDATE = "C000101"
PUT = "Put_Candidate_Attachment"
WORKER = ["-m", "airecruiter", "worker"]

# The stages every interviewed application passes, as the activity log records them.
STATUS_CHAIN = [
    ("new", "analyzed"),
    ("analyzed", "interview_pending"),
    ("interview_pending", "interview_complete"),
    ("interview_complete", "report_pending"),
    ("report_pending", "complete"),
]
STAGE_ACTIONS = {
    "application_created",
    "resume_stored",
    "analysis_stored",
    "interview_created",
    "interview_invited",
    "interview_started",
    "interview_completed",
    "evaluation_stored",
    "report_generated",
    "report_uploaded",
}


# --- the service, the candidates, what a recruiter would look at ---------------------------------------


def service_settings(database_url: str, data_dir: Path, sandbox: SandboxServer, **extra: Any) -> Settings:
    """Settings of a deployment whose processes all use `sandbox` (it serves on WORKDAY_SANDBOX_PORT)."""
    port = free_port()
    return load_settings(
        **{
            "DATABASE_URL": database_url,
            "AIRECRUITER_DATA_DIR": data_dir,
            "WORKDAY_SANDBOX_PORT": sandbox.port,
            "WEB_PORT": port,
            "FRONTEND_URL": f"http://127.0.0.1:{port}",
            "HEARTBEAT_FILE": data_dir / "heartbeat",
            "LLM_PROVIDER": "offline",
            "MAIL_BACKEND": "outbox",
            "STORAGE_BACKEND": "local",
            "QUEUE_POLL_INTERVAL": 0.2,
            **extra,
        }
    )


def _as_text(value: object) -> str:
    """A setting as its environment variable would spell it (a secret in clear: the process needs it)."""
    return value.get_secret_value() if isinstance(value, SecretStr) else str(value)


def process_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The same deployment's settings for an `airecruiter` process."""
    names = (
        "DATABASE_URL",
        "AIRECRUITER_DATA_DIR",
        "WORKDAY_SANDBOX_PORT",
        "FRONTEND_URL",
        "LLM_PROVIDER",
        "MAIL_BACKEND",
        "STORAGE_BACKEND",
        "QUEUE_POLL_INTERVAL",
    )
    env = {name: _as_text(getattr(settings, name)) for name in names}
    # A developer's own Workday tenant or Claude key must not leak into the test's processes.
    blank = (
        "WORKDAY_TENANT_URL",
        "WORKDAY_TENANT_ID",
        "WORKDAY_CLIENT_ID",
        "WORKDAY_CLIENT_SECRET",
        "WORKDAY_REFRESH_TOKEN",
        "ANTHROPIC_API_KEY",
    )
    return {
        **env,
        **dict.fromkeys(blank, ""),
        "HEARTBEAT_FILE": str(settings.AIRECRUITER_DATA_DIR / "worker-beat"),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        **extra,
    }


@asynccontextmanager
async def serving(settings: Settings, pieces: Pieces | None = None, *, llm: Any = None) -> AsyncIterator[Application]:
    """`run_service` in this process (every piece unless told otherwise) until the block ends."""
    pieces = pieces or Pieces()
    # A scripted `llm` replaces the configured one: the processors and the interview engine use it.
    runtime = await build(settings, dataclasses.replace(pieces.wiring(), llm=llm), migrate=False)
    stop = asyncio.Event()
    service = asyncio.create_task(run_service(runtime, pieces, stop))
    try:
        if pieces.web:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.WEB_PORT}", timeout=5) as http:

                async def web_answers() -> bool:
                    if service.done():
                        await service  # a crash at start shows here
                    with contextlib.suppress(httpx.TransportError):
                        return (await http.get("/health/processor")).status_code in (200, 503)
                    return False

                await eventually(web_answers, within=60)
        yield runtime
    finally:
        stop.set()
        try:
            await service
        finally:
            await runtime.aclose()


def web_url(settings: Settings) -> str:
    """Where the service's web server listens."""
    return f"http://127.0.0.1:{settings.WEB_PORT}"


async def take_interviews(settings: Settings, invitations: list[Invitation]) -> None:
    """The candidates answer these invitations over HTTP until each interviewer says it is complete."""
    summary = await CandidateSimulator(web_url(settings), pause=0.05, seed=5).take_all(invitations)
    assert summary.interviews_completed == len(invitations), summary.outcomes


async def invitations_by_application(engine: AsyncEngine, settings: Settings) -> dict[str, Invitation]:
    """The invitation each application's candidate received, found in the outbox, by Workday application id."""
    found = {
        hash_interview_token(i.token): i
        for i in find_invitations(settings.AIRECRUITER_DATA_DIR / "outbox", settings.FRONTEND_URL)
    }
    linked = await rows(
        engine,
        "SELECT i.token_hash, a.external_application_id FROM interviews i"
        " JOIN applications a ON a.id = i.application_id",
    )
    return {r.external_application_id: found[r.token_hash] for r in linked if r.token_hash in found}


async def interviews_by_application(engine: AsyncEngine, requisition: str | None = None) -> dict[str, int]:
    """How many interviews with a sent invitation each application has (of one requisition, or all)."""
    found = await rows(
        engine,
        """
        SELECT a.external_application_id, count(i.id) FILTER (WHERE i.invitation_message_id IS NOT NULL) AS n
          FROM applications a JOIN requisitions r ON r.id = a.requisition_id
          LEFT JOIN interviews i ON i.application_id = a.id
         WHERE CAST(:r AS text) IS NULL OR r.external_id = :r
         GROUP BY a.external_application_id""",
        r=requisition,
    )
    return {row.external_application_id: int(row.n) for row in found}


def outbox_files(settings: Settings) -> list[str]:
    """The .eml files in the outbox."""
    return sorted(p.name for p in (settings.AIRECRUITER_DATA_DIR / "outbox").glob("*.eml"))


async def recorded_invitation_files(engine: AsyncEngine) -> list[str]:
    """The outbox file each interview's recorded invitation was written to."""
    found = await rows(engine, "SELECT invitation_message_id FROM interviews WHERE invitation_message_id IS NOT NULL")
    return sorted(outbox_filename(r.invitation_message_id) for r in found)


async def statuses(engine: AsyncEngine) -> dict[str, str]:
    """Each application's status, by Workday application id."""
    found = await rows(engine, "SELECT external_application_id, status FROM applications")
    return {r.external_application_id: r.status for r in found}


async def live_items(engine: AsyncEngine) -> int:
    """Queue items still to run (pending, running, or failed and waiting for their retry)."""
    return int(await value(engine, "SELECT count(*) FROM queue_items WHERE status IN ('pending', 'running', 'failed')"))


async def settle(engine: AsyncEngine, *, within: float = 90) -> None:
    """Wait until the queue has nothing left to do."""

    async def queue_drained() -> bool:
        return await live_items(engine) == 0

    await eventually(queue_drained, within=within, every=0.1)


async def sync_now(runtime: Application, *requisitions: str) -> None:
    """What the console's "sync now" does: a manual-priority sync of each requisition; then wait for the work."""
    for requisition in requisitions:
        rid = await value(runtime.engine, "SELECT id FROM requisitions WHERE external_id = :e", e=requisition)
        await runtime.queue.enqueue(
            "sync", requisition_id=int(rid), priority=Priority.MANUAL, enqueued_by="test:recruiter"
        )
    await settle(runtime.engine)


def pdf_text(data: bytes) -> str:
    """The text of a PDF, whitespace collapsed and typographic apostrophes made plain."""
    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        document.close()
    return re.sub(r"\s+", " ", " ".join(pages)).replace("\u2019", "'")


def normalized(words: str) -> str:
    """Lower case, whitespace collapsed: how a hidden instruction is looked for in what the LLM got."""
    return re.sub(r"\s+", " ", words).strip().lower()


# --- one run shared by (a), (b), (c) and (e) ------------------------------------------------------------


@dataclass
class PipelineRun:
    """Handles on the finished run, and what was seen at the moments the tests ask about."""

    engine: AsyncEngine
    sandbox: SandboxServer
    settings: Settings
    llm: RecordingLLM
    # (b) interviews per application of the status-triggered requisition, and .eml files in the outbox
    triggered_after_analysis: dict[str, int] = field(default_factory=dict)
    emails_after_analysis: int = 0
    triggered_after_move: dict[str, int] = field(default_factory=dict)
    emails_after_move: int = 0
    triggered_after_more_syncs: dict[str, int] = field(default_factory=dict)
    emails_after_more_syncs: int = 0
    synced_at: list[datetime] = field(default_factory=list)
    # (c) the sandbox's counters around the upload whose answer was dropped
    puts_before_drop: int = 0
    dropped: int = 0


@pytest.fixture(scope="module")
async def run(
    engine: AsyncEngine, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[PipelineRun]:
    """The whole pipeline, once, over an emptied database with the default prompts."""
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    await seed_default_prompts(engine)
    llm = RecordingLLM()
    async with running_sandbox() as sandbox:
        # A scheduler pass at start lists the requisitions; the next one is an hour away, so from then
        # on every Workday call is one the test caused (which (c) relies on).
        settings = service_settings(
            database_url, tmp_path_factory.mktemp("pipeline"), sandbox, SCHEDULER_INTERVAL=3600, QUEUE_MAX_CONCURRENCY=6
        )
        result = PipelineRun(engine, sandbox, settings, llm)
        async with serving(settings, llm=llm) as runtime:
            await _drive(result, runtime)
        yield result  # the service has stopped; the sandbox still answers the control API


async def _drive(run: PipelineRun, runtime: Application) -> None:
    engine, sandbox, settings = run.engine, run.sandbox, run.settings

    async def requisitions_listed() -> bool:
        count = int(await value(engine, "SELECT count(*) FROM requisitions"))
        return count == len(seed.OPEN_REQUISITION_IDS) and await live_items(engine) == 0

    await eventually(requisitions_listed, within=60)

    # The recruiter's settings: two requisitions invite right after the analysis, one on Workday's "Interview".
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE requisitions SET auto_send_interview = true,"
                " auto_send_on_status = CASE WHEN external_id = :r THEN 'Interview' END"
            ),
            {"r": STATUS_TRIGGERED},
        )
    await sync_now(runtime, *seed.OPEN_REQUISITION_IDS)
    assert len(await statuses(engine)) == len(SEEDED)

    # (b) Analysed, still in Review or Screen in Workday: nobody of the triggered requisition is invited.
    run.triggered_after_analysis = await interviews_by_application(engine, STATUS_TRIGGERED)
    run.emails_after_analysis = len(outbox_files(settings))
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=10) as http:
        moved = await http.post(f"/_sandbox/applications/{MOVED}/stage", json={"stage": "Interview"})
    assert moved.status_code == 200, moved.text
    await sync_now(runtime, STATUS_TRIGGERED)
    run.triggered_after_move = await interviews_by_application(engine, STATUS_TRIGGERED)
    run.emails_after_move = len(outbox_files(settings))
    # Further syncs: one that sees nothing new, then the candidate moved away from Interview and back.
    await sync_now(runtime, STATUS_TRIGGERED)
    sandbox.tenant.advance_stage(MOVED, "Assessment")
    await sync_now(runtime, STATUS_TRIGGERED)
    sandbox.tenant.advance_stage(MOVED, "Interview")
    await sync_now(runtime, STATUS_TRIGGERED)
    run.triggered_after_more_syncs = await interviews_by_application(engine, STATUS_TRIGGERED)
    run.emails_after_more_syncs = len(outbox_files(settings))
    run.synced_at = [
        r.last_synced_at
        for r in await rows(
            engine, "SELECT last_synced_at FROM requisitions WHERE external_id = :e", e=STATUS_TRIGGERED
        )
    ]
    # The rest of that requisition moves to Interview too, so every application can finish.
    for application_id in TRIGGERED_APPS:
        if application_id != MOVED:
            sandbox.tenant.advance_stage(application_id, "Interview")
    await sync_now(runtime, STATUS_TRIGGERED)

    # Every candidate but one takes the interview; evaluations, reports and uploads follow.
    invitations = await invitations_by_application(engine, settings)
    assert sorted(invitations) == READABLE
    await take_interviews(settings, [i for a, i in sorted(invitations.items()) if a != HELD_BACK])
    await settle(engine)

    # (c) Only the held-back application's jobs run now, and its upload makes exactly two Workday calls:
    # Get_Candidate_Attachments (is the report there already?), then the Put, whose answer is dropped.
    run.puts_before_drop = sandbox.calls.operations[PUT]
    sandbox.chaos.update({"drop_connection_every": sandbox.calls.soap_requests + 2})
    await take_interviews(settings, [invitations[HELD_BACK]])

    async def answer_dropped() -> bool:
        return sandbox.calls.dropped > 0

    await eventually(answer_dropped, within=60)
    sandbox.chaos.reset()
    run.dropped = sandbox.calls.dropped
    await settle(engine)


async def test_every_application_ends_complete_with_its_report_in_workday_and_the_scan_in_the_dead_letter(
    run: PipelineRun,
) -> None:
    engine = run.engine
    final = await statuses(engine)
    assert {a: final[a] for a in READABLE} == dict.fromkeys(READABLE, "complete")
    assert final[seed.IMAGE_ONLY_APPLICATION_ID] == "new"
    [dead] = await rows(
        engine,
        "SELECT q.job_type, q.attempts, q.last_error, a.external_application_id"
        " FROM queue_items q JOIN applications a ON a.id = q.application_id"
        " WHERE q.status = 'dead'",
    )
    assert (dead.external_application_id, dead.job_type, dead.attempts) == (
        seed.IMAGE_ONLY_APPLICATION_ID,
        "analyze",
        1,
    )
    assert dead.last_error.startswith("ParseError: ") and "no extractable text" in dead.last_error
    assert await live_items(engine) == 0

    reports = await rows(
        engine,
        """
        SELECT a.id, a.external_application_id, a.external_candidate_id, a.candidate_name, q.name AS position,
               r.uploaded_to_workday, r.workday_document_id
          FROM applications a JOIN requisitions q ON q.id = a.requisition_id JOIN reports r ON r.application_id = a.id
         ORDER BY a.external_application_id""",
    )
    assert [r.external_application_id for r in reports] == READABLE  # one report each
    async with httpx.AsyncClient(base_url=f"{run.sandbox.base_url}/_sandbox", timeout=30) as http:
        for report in reports:
            listed = (
                await http.get("/attachments", params={"candidate": report.external_candidate_id, "origin": "upload"})
            ).json()["attachments"]
            [attachment] = [a for a in listed if a["filename"] == f"CandidateReport_{report.id}.pdf"]
            assert report.uploaded_to_workday and report.workday_document_id == attachment["wid"]
            assert attachment["application_id"] is None  # a candidate-level attachment
            content = await http.get(f"/attachments/{attachment['wid']}/content")
            words = pdf_text(content.content)
            assert report.candidate_name in words and report.position in words, report.external_application_id

    for report in reports:
        actions = [
            r.action
            for r in await rows(
                engine, "SELECT action FROM activities WHERE application_id = :a ORDER BY id", a=report.id
            )
        ]
        assert set(actions) >= STAGE_ACTIONS, (report.external_application_id, actions)
        changes = await activity(engine, report.id, "status_changed")
        assert [(c["from"], c["to"]) for c in changes] == STATUS_CHAIN, report.external_application_id
    scan = await value(
        engine, "SELECT id FROM applications WHERE external_application_id = :e", e=seed.IMAGE_ONLY_APPLICATION_ID
    )
    [unreadable] = await activity(engine, scan, "resume_unreadable")
    assert "no extractable text" in unreadable["reason"]


async def test_an_interview_goes_out_when_workday_moves_the_candidate_to_the_trigger_status_and_only_once(
    run: PipelineRun,
) -> None:
    assert run.triggered_after_analysis == dict.fromkeys(TRIGGERED_APPS, 0)
    # The other two requisitions invited everyone right after the analysis.
    assert run.emails_after_analysis == len(READABLE) - len(TRIGGERED_APPS)
    assert run.triggered_after_move == {a: int(a == MOVED) for a in TRIGGERED_APPS}
    assert run.emails_after_move == run.emails_after_analysis + 1
    assert run.triggered_after_more_syncs == run.triggered_after_move
    assert run.emails_after_more_syncs == run.emails_after_move
    moved = await value(run.engine, "SELECT id FROM applications WHERE external_application_id = :e", e=MOVED)
    changes = await activity(run.engine, moved, "workday_status_changed")
    assert changes[:3] == [
        {"from": "Review", "to": "Interview"},
        {"from": "Interview", "to": "Assessment"},
        {"from": "Assessment", "to": "Interview"},
    ]
    assert len(await activity(run.engine, moved, "interview_invited")) == 1
    # In the end each application was invited once, and each invitation is one file in the outbox.
    assert await interviews_by_application(run.engine) == {
        a.application_id: int(a.application_id in READABLE) for a in SEEDED
    }
    assert outbox_files(run.settings) == await recorded_invitation_files(run.engine)


async def test_an_upload_whose_answer_was_lost_is_retried_without_a_duplicate_attachment(run: PipelineRun) -> None:
    engine = run.engine
    app_id = await value(engine, "SELECT id FROM applications WHERE external_application_id = :e", e=HELD_BACK)
    attempts = await rows(
        engine,
        "SELECT attempt, outcome, error FROM job_runs"
        " WHERE job_type = 'upload_report' AND application_id = :a ORDER BY id",
        a=app_id,
    )
    assert [(r.attempt, r.outcome) for r in attempts] == [(1, "failed"), (2, "completed")]
    assert attempts[0].error.startswith("NetworkError: ") and PUT in attempts[0].error
    assert run.dropped == 1
    assert run.sandbox.calls.operations[PUT] == run.puts_before_drop + 1  # the retry found the file, sent none
    filename = f"CandidateReport_{app_id}.pdf"
    [stored] = [a for a in run.sandbox.tenant.attachments(HELD_BACK_CANDIDATE) if a.filename == filename]
    [report] = await rows(engine, "SELECT * FROM reports WHERE application_id = :a", a=app_id)
    assert report.uploaded_to_workday and report.workday_document_id == stored.wid
    [uploaded] = await activity(engine, app_id, "report_uploaded")
    assert uploaded["already_in_workday"] is True and uploaded["workday_document_id"] == stored.wid
    assert (await statuses(engine))[HELD_BACK] == "complete"


async def test_the_hidden_instruction_never_reaches_the_llm_and_the_recruiter_is_told(run: PipelineRun) -> None:
    calls = run.llm.calls
    assert {c.method for c in calls} == {"analyze_resume", "interview_turn", "evaluate_interview"}
    assert len(run.llm.sent("analyze_resume")) == len(READABLE)
    hidden = normalized(seed.INJECTION_TEXT)
    assert not [c.method for c in calls if hidden in normalized(c.text())]
    assert not [c.method for c in calls if "ignore previous instructions" in normalized(c.text())]
    # The résumé itself did reach the model (its visible text), so the check above is not vacuous.
    profile = seed.profile(seed.INJECTION_CANDIDATE_ID)
    assert [c for c in run.llm.sent("analyze_resume") if profile.experience[0].company in c.text()]

    engine = run.engine
    [app] = await rows(
        engine,
        "SELECT id, artifacts FROM applications WHERE external_application_id = :e",
        e=seed.INJECTION_APPLICATION_ID,
    )
    [analysis] = await rows(engine, "SELECT hidden_text FROM analyses WHERE application_id = :a", a=app.id)
    assert [h for h in analysis.hidden_text if hidden in normalized(h["text"])]
    assert [h for h in app.artifacts["hidden_text"] if hidden in normalized(h["text"])]
    assert await activity(engine, app.id, "hidden_text_found")
    [wid] = [
        r.workday_document_id
        for r in await rows(engine, "SELECT workday_document_id FROM reports WHERE application_id = :a", a=app.id)
    ]
    attachment = run.sandbox.tenant.attachment(wid)
    assert attachment is not None
    words = pdf_text(attachment.content)
    assert "hidden text found in the résumé" in words and seed.INJECTION_TEXT in words
    others = await rows(
        engine,
        "SELECT a.external_application_id FROM analyses n JOIN applications a"
        " ON a.id = n.application_id WHERE jsonb_array_length(n.hidden_text) > 0",
    )
    assert [r.external_application_id for r in others] == [seed.INJECTION_APPLICATION_ID]


# --- (d) a worker process killed mid-pipeline -------------------------------------------------------------


async def _running_in(engine: AsyncEngine, worker: str) -> list[Any]:
    return await rows(
        engine, "SELECT id, job_type FROM queue_items WHERE status = 'running' AND locked_by = :w ORDER BY id", w=worker
    )


async def _answer_invitations_as_they_arrive(settings: Settings) -> None:
    """The candidates: whoever finds an invitation in the outbox takes the interview, until cancelled."""
    taken: set[str] = set()
    simulator = CandidateSimulator(web_url(settings), pause=0.05, seed=9)
    while True:
        fresh = [
            i
            for i in find_invitations(settings.AIRECRUITER_DATA_DIR / "outbox", settings.FRONTEND_URL)
            if i.token not in taken
        ]
        if fresh:
            await simulator.take_all(fresh)
            taken.update(i.token for i in fresh)
        await asyncio.sleep(0.2)


async def test_a_worker_killed_mid_pipeline_loses_nothing_and_duplicates_no_email_and_no_upload(
    db: AsyncEngine,
    database_url: str,
    tmp_path: Path,
) -> None:
    await seed_default_prompts(db)
    # Every Workday call takes a while, as a real tenant's do, so jobs are caught running.
    async with running_sandbox(latency_ms=150) as sandbox:
        settings = service_settings(database_url, tmp_path, sandbox)
        env = process_env(settings, QUEUE_LEASE_SECONDS="3", QUEUE_MAX_CONCURRENCY="4")
        # The interview pages are served from this process; the pipeline runs in worker processes.
        async with serving(settings, Pieces(scheduler=False, worker=False, heartbeat=False)):
            doomed = start_process(WORKER, env=env, log_file=tmp_path / "doomed.log")
            candidates = asyncio.create_task(_answer_invitations_as_they_arrive(settings))
            try:
                held, rescuer = await _kill_while_uploading(db, doomed, env, tmp_path)
                try:

                    async def everything_done() -> bool:
                        final = await statuses(db)
                        return (
                            await live_items(db) == 0
                            and len(final) == len(SEEDED)
                            and all(final[a] == "complete" for a in READABLE)
                        )

                    await eventually(everything_done, within=150, every=0.2)
                finally:
                    assert stop_process(rescuer) == 0
            finally:
                candidates.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await candidates
                if doomed.poll() is None:
                    doomed.kill()
                    doomed.wait()

        # The killed worker's jobs came back when their leases ran out and finished in the other worker.
        rescuer_name = f"{socket.gethostname()}:{rescuer.pid}"
        for item in held:
            runs = await rows(
                db, "SELECT outcome, worker FROM job_runs WHERE queue_item_id = :i ORDER BY id", i=item.id
            )
            assert "lost" in [r.outcome for r in runs], (item.job_type, runs)
            assert (runs[-1].outcome, runs[-1].worker) == ("completed", rescuer_name), (item.job_type, runs)
        assert await value(db, "SELECT count(*) FROM queue_items WHERE id = ANY(:ids)", ids=[i.id for i in held]) == 0
        # One interview per application, one email per interview.
        assert await interviews_by_application(db) == {
            a.application_id: int(a.application_id in READABLE) for a in SEEDED
        }
        assert outbox_files(settings) == await recorded_invitation_files(db)
        # One report per application, in Workday once.
        reports = await rows(
            db,
            "SELECT a.id, a.external_candidate_id, r.workday_document_id FROM applications a"
            " JOIN reports r ON r.application_id = a.id",
        )
        assert len(reports) == len(READABLE)
        uploads = [a for a in sandbox.tenant.attachments() if a.origin == "upload"]
        assert len(uploads) == len(READABLE)
        for report in reports:
            [stored] = [
                a
                for a in sandbox.tenant.attachments(report.external_candidate_id)
                if a.filename == f"CandidateReport_{report.id}.pdf"
            ]
            assert stored.wid == report.workday_document_id
        dead = await rows(db, "SELECT job_type, last_error FROM queue_items WHERE status = 'dead'")
        assert [(d.job_type, "no extractable text" in d.last_error) for d in dead] == [("analyze", True)]


async def _kill_while_uploading(
    db: AsyncEngine,
    doomed: subprocess.Popen[bytes],
    env: dict[str, str],
    tmp_path: Path,
) -> tuple[list[Any], subprocess.Popen[bytes]]:
    """Start the pipeline in `doomed` and SIGKILL it while it uploads a report; what it held, and a new worker."""
    queue = QueueManager(db)
    await queue.enqueue("sync", priority=Priority.MANUAL, enqueued_by="test:recruiter")  # the requisition list

    async def requisitions_listed() -> bool:
        return int(await value(db, "SELECT count(*) FROM requisitions")) == len(seed.OPEN_REQUISITION_IDS)

    await eventually(requisitions_listed, within=60)
    async with db.begin() as conn:
        await conn.execute(text("UPDATE requisitions SET auto_send_interview = true"))
    for rid in [r.id for r in await rows(db, "SELECT id FROM requisitions ORDER BY id")]:
        await queue.enqueue("sync", requisition_id=rid, priority=Priority.MANUAL, enqueued_by="test:recruiter")

    name = f"{socket.gethostname()}:{doomed.pid}"

    async def uploading_and_not_mailing() -> bool:
        # Not while an invitation is being sent: a process that dies between the mailer accepting an
        # email and its message id being committed is the one case send_interview documents as
        # sending a second email.
        running = {r.job_type for r in await _running_in(db, name)}
        return "upload_report" in running and "send_interview" not in running

    await eventually(uploading_and_not_mailing, within=120, every=0.02)
    os.kill(doomed.pid, signal.SIGKILL)
    await asyncio.to_thread(doomed.wait, 10)
    held = await _running_in(db, name)
    assert held  # its leases are still there: work in limbo (the upload, unless it was acknowledged just now)
    rescuer = start_process(WORKER, env=env, log_file=tmp_path / "rescuer.log")
    return held, rescuer
