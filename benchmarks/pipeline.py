"""Pipeline benchmark: N applications end to end through the sandbox, with an LLM that takes its time.

Run from the repository root:

    .venv/bin/python benchmarks/pipeline.py [--applications 500] [--latency 1.0] [--concurrency 5,20]
                                            [--database-url URL] [--quick]

For each concurrency C, three processes:

* the sandbox tenant in scale mode (`airecruiter sandbox serve --scale N --ephemeral`): the scale
  requisition R-09000 with N candidates, whose one-column PDF résumés are rendered when first
  downloaded (their CPU is the sandbox's, not ours);
* the service (scheduler, worker, web server, heartbeat: `run_service`, as `airecruiter run`) in a
  child process of this script, on a fresh database, with QUEUE_MAX_CONCURRENCY=C and the per-type
  caps of QUEUE_JOB_LIMITS raised to C (sync stays at 2). Its LLM is the offline scorer behind a
  wrapper that sleeps `--latency` seconds and then delegates, and that serves at most `--llm-slots`
  calls at once (default C), as a provider's concurrent-request limit would;
* this script: it waits for the scheduler's first pass to list the requisitions, turns auto-send on
  for R-09000 only (the seeded requisitions are made inactive), enqueues the requisition's sync as
  "sync now" does, and answers every invitation that lands in the outbox with the candidate
  simulator over HTTP, C interviews at a time, until every application is `complete` (or dead).

Figures, one JSON document on stdout (progress goes to stderr):

* `applications_per_min`: completed applications × 60 ÷ the time from the sync being enqueued to the
  last application becoming `complete` (both instants read from PostgreSQL's clock);
* `stages`: per job type, the `job_runs` durations of completed attempts (count, p50, p95, total
  seconds, plus attempts with any other outcome), and the interviews' own time (start to completion,
  taken at request time by the web server, not by a job);
* `cpu`: CPU seconds of the service process (`time.process_time()` from just before `run_service`
  until it stopped: worker, web server, scheduler, heartbeat, the Typst renderer), divided by N;
  the résumé extraction runs in worker processes of the service and is reported beside it (psutil's
  CPU times of the service's descendants at shutdown, with the recycled workers they reaped). The
  sandbox, PostgreSQL and this script's simulator run in other processes and are not counted (the
  sandbox's and the simulator's CPU is shown under `not_ours` for context);
* `ideal`: the latency-bound ideal. L = LLM calls per application, measured (every call the wrapper
  served — analysis, interview turns, evaluation — divided by N); the ideal time per application is
  L × latency ÷ slots (slots = the LLM's concurrent calls, by default the concurrency C), i.e. the
  throughput of an LLM that is busy on all its slots all the time and of a pipeline that costs
  nothing else: ideal applications/min = 60 × slots ÷ (L × latency). `ratio` = measured
  applications/min ÷ ideal applications/min (with the slot limit this is at most 1; `llm_busy_share`
  is the same figure seen from the wrapper: slot-seconds spent in calls ÷ (slots × wall time)).

Target (issue 5): at concurrency 20 with 1 s latency, a ratio of at least 0.8. The database server
is --database-url, else $BENCH_DATABASE_URL or $TEST_DATABASE_URL, else the embedded server in
./.airecruiter/bench; a fresh database is created for each concurrency and dropped after it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this folder comes first on sys.path, and benchmarks/queue.py would shadow the
# standard library's `queue` (asyncio and logging need it): the repository root goes there instead.
sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import asyncio  # noqa: E402
import collections  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from typing import Any  # noqa: E402

from benchmarks.bench_databases import create_database, drop_database  # noqa: E402

SCALE_REQUISITION_ID = "R-09000"  # airecruiter.sandbox.seed.SCALE_REQUISITION_ID, without importing the sandbox
LLM_METHODS = ("analyze_resume", "interview_turn", "evaluate_interview")


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the service process ---------------------------------------------------------------------------------


class SimulatedLatencyLLM:
    """The offline scorer behind a slow model: each call waits `latency` s for one of `slots`, then delegates."""

    def __init__(self, inner: Any, *, latency: float, slots: int) -> None:
        self.inner, self.latency = inner, latency
        self._slots = asyncio.Semaphore(slots) if slots > 0 else None
        self.calls: collections.Counter[str] = collections.Counter()
        self.busy_seconds = 0.0  # slot-seconds spent in calls (waiting for the model, then scoring)
        self.in_flight = self.max_in_flight = 0

    async def _call(self, method: str, inputs: dict[str, Any]) -> Any:
        async with self._slots if self._slots is not None else contextlib.nullcontext():
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            started = time.perf_counter()
            try:
                await asyncio.sleep(self.latency)
                return await getattr(self.inner, method)(**inputs)
            finally:
                self.in_flight -= 1
                self.busy_seconds += time.perf_counter() - started
                self.calls[method] += 1

    async def analyze_resume(self, **inputs: Any) -> Any:
        return await self._call("analyze_resume", inputs)

    async def interview_turn(self, **inputs: Any) -> Any:
        return await self._call("interview_turn", inputs)

    async def evaluate_interview(self, **inputs: Any) -> Any:
        return await self._call("evaluate_interview", inputs)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _cpu_seconds(pid: int | None = None, *, descendants: bool = False) -> float:
    """CPU seconds (user + system) of a process, or of its descendants; NaN without psutil.

    A descendant's figure includes the children it already reaped: the extraction pool recycles its
    workers, and the forkserver that started them has collected the ones that are gone.
    """
    try:
        import psutil
    except ImportError:  # psutil comes with the dev tools; without it these figures are left out
        return float("nan")
    process = psutil.Process(pid)
    total = 0.0
    for each in process.children(recursive=True) if descendants else [process]:
        with contextlib.suppress(psutil.Error):
            times = each.cpu_times()
            total += times.user + times.system
            if descendants:
                total += times.children_user + times.children_system
    return total


async def service_child(config: dict[str, Any]) -> dict[str, Any]:
    """Run the service until SIGTERM; what it spent and how the LLM was used."""
    from airecruiter.adapters.llm.offline import OfflineLLM
    from airecruiter.bootstrap import Wiring, build
    from airecruiter.cli.common import configure_logging
    from airecruiter.config import load_settings
    from airecruiter.service import Pieces, install_stop_signals, run_service

    configure_logging("console", "WARNING")
    settings = load_settings(**config["settings"])
    llm = SimulatedLatencyLLM(OfflineLLM(), latency=config["latency"], slots=config["llm_slots"])
    # The processors and the interview engine use the simulated LLM.
    runtime = await build(settings, Wiring(llm=llm), migrate=False)
    stop = asyncio.Event()
    install_stop_signals(stop)
    try:
        cpu_start = time.process_time()
        await run_service(runtime, Pieces(), stop)
        cpu = time.process_time() - cpu_start
        workers_cpu = _cpu_seconds(descendants=True)  # the résumé extraction workers
    finally:
        await runtime.aclose()
    return {
        "cpu_seconds": cpu,
        "extraction_workers_cpu_seconds": workers_cpu,
        "llm_calls": dict(llm.calls),
        "llm_busy_seconds": llm.busy_seconds,
        "llm_max_in_flight": llm.max_in_flight,
    }


# --- orchestration -----------------------------------------------------------------------------------------


def _wait_for_sandbox(url: str, proc: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the sandbox exited with code {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/_sandbox/settings", timeout=2.0).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("the sandbox did not start in time")


@contextlib.contextmanager
def _process(
    args: list[str], *, log: Path, env: dict[str, str] | None = None, stdout: int | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as err:
        proc = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=stdout if stdout is not None else err,
            stderr=err,
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _milliseconds(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"count": 0}
    cuts = statistics.quantiles(samples, n=100, method="inclusive") if len(samples) > 1 else [samples[0]] * 99
    return {
        "count": len(samples),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "total_s": round(sum(samples) / 1000, 2),
    }


class Candidates:
    """The simulator in this process: every new invitation in the outbox is taken, `concurrency` at a time."""

    def __init__(self, base_url: str, outbox: Path, frontend_url: str, concurrency: int) -> None:
        import httpx

        from airecruiter.sandbox.candidate_simulator import CandidateSimulator

        self.outbox, self.frontend_url = outbox, frontend_url
        self.simulator = CandidateSimulator(base_url, pause=0.1, concurrency=concurrency, max_wait=300, timeout=300)
        self.http = httpx.AsyncClient(
            base_url=base_url, timeout=300, limits=httpx.Limits(max_connections=concurrency * 2)
        )
        self.gate = asyncio.Semaphore(concurrency)
        self.taken: set[str] = set()
        self.seen: set[str] = set()
        self.tasks: set[asyncio.Task[Any]] = set()
        self.outcomes: collections.Counter[str] = collections.Counter()

    async def _take(self, invitation: Any) -> None:
        async with self.gate:
            outcome = await self.simulator.take(self.http, invitation)
        self.outcomes[outcome.result] += 1

    def look(self) -> None:
        """Start an interview for each invitation that arrived since the last look."""
        from airecruiter.sandbox.candidate_simulator import find_invitations

        # Only the new files are read: parsing the whole outbox on every look costs seconds once it
        # holds hundreds of messages, time this process's candidates would then spend not answering.
        fresh = [p for p in sorted(self.outbox.glob("*.eml")) if p.name not in self.seen]
        if not fresh:
            return
        self.seen.update(p.name for p in fresh)
        with tempfile.TemporaryDirectory(prefix="airecruiter-bench-inbox-") as inbox:
            for path in fresh:
                os.symlink(path, Path(inbox) / path.name)
            invitations = find_invitations(inbox, self.frontend_url)
        for invitation in invitations:
            if invitation.token not in self.taken:
                self.taken.add(invitation.token)
                task = asyncio.create_task(self._take(invitation))
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)

    async def aclose(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.http.aclose()


_PROGRESS = """
    SELECT count(*) FILTER (WHERE a.status = 'complete') AS complete,
           count(*) AS synced,
           (SELECT count(*) FROM queue_items q WHERE q.status = 'dead') AS dead,
           (SELECT count(*) FROM queue_items q WHERE q.status IN ('pending', 'running', 'failed')) AS live
      FROM applications a JOIN requisitions r ON r.id = a.requisition_id WHERE r.external_id = :req
"""
_FINISHED_AT = """
    SELECT max(occurred_at) FROM activities WHERE action = 'status_changed' AND details->>'to' = 'complete'
"""
_STAGES = "SELECT job_type, outcome, duration_ms FROM job_runs"
_INTERVIEWS = """
    SELECT EXTRACT(EPOCH FROM completed_at - started_at) * 1000 FROM interviews WHERE completed_at IS NOT NULL
"""


async def _drive(
    url: str,
    web: str,
    data_dir: Path,
    frontend: str,
    applications: int,
    concurrency: int,
    deadline: float,
    service: subprocess.Popen[bytes],
) -> dict[str, Any]:
    """Start the requisition's sync, answer the interviews, wait for every application; the figures."""
    import httpx
    from sqlalchemy import text

    from airecruiter.db.engine import create_engine
    from airecruiter.queue.jobs import Priority
    from airecruiter.queue.manager import QueueManager

    engine = create_engine(url, pool_size=2)
    candidates = Candidates(web, data_dir / "outbox", frontend, concurrency)
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            while True:  # the web server is up and the scheduler's first pass listed the requisitions
                if service.poll() is not None:
                    raise RuntimeError(f"the service exited with code {service.returncode}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"{web}/health/processor")).status_code in (200, 503):
                        async with engine.connect() as conn:
                            listed = await conn.scalar(
                                text("SELECT count(*) FROM requisitions WHERE external_id = :r"),
                                {"r": SCALE_REQUISITION_ID},
                            )
                            live = await conn.scalar(
                                text("SELECT count(*) FROM queue_items WHERE status IN ('pending', 'running')")
                            )
                        if listed and not live:
                            break
                await asyncio.sleep(0.3)
        async with engine.begin() as conn:
            await conn.execute(
                text("UPDATE requisitions SET active = (external_id = :r), auto_send_interview = (external_id = :r)"),
                {"r": SCALE_REQUISITION_ID},
            )
            rid = await conn.scalar(
                text("SELECT id FROM requisitions WHERE external_id = :r"), {"r": SCALE_REQUISITION_ID}
            )
            started_at = await conn.scalar(text("SELECT clock_timestamp()"))
        await QueueManager(engine).enqueue(
            "sync", requisition_id=int(rid), priority=Priority.MANUAL, enqueued_by="benchmark"
        )
        progress(f"C={concurrency}: sync of {applications} applications enqueued")
        wall_started = time.monotonic()
        last_report = 0.0
        settled = False
        while time.monotonic() - wall_started < deadline:
            if service.poll() is not None:
                raise RuntimeError(f"the service exited with code {service.returncode}")
            candidates.look()
            async with engine.connect() as conn:
                row = (await conn.execute(text(_PROGRESS), {"req": SCALE_REQUISITION_ID})).one()
            if time.monotonic() - last_report > 15:
                last_report = time.monotonic()
                progress(
                    f"C={concurrency}: {row.complete}/{applications} complete, {row.synced} synced, "
                    f"{row.live} queued, {row.dead} dead, {len(candidates.tasks)} interviews in progress"
                )
            if row.synced == applications and row.complete + row.dead >= applications and row.live == 0:
                settled = True
                break
            await asyncio.sleep(0.5)
        async with engine.connect() as conn:
            row = (await conn.execute(text(_PROGRESS), {"req": SCALE_REQUISITION_ID})).one()
            finished_at = await conn.scalar(text(_FINISHED_AT))
            runs = (await conn.execute(text(_STAGES))).all()
            interviews = [float(r[0]) for r in await conn.execute(text(_INTERVIEWS))]
            dead = [
                str(r[0])
                for r in await conn.execute(
                    text("SELECT job_type || ': ' || coalesce(last_error, '') FROM queue_items WHERE status = 'dead'")
                )
            ]
    finally:
        await candidates.aclose()
        await engine.dispose()
    seconds = (finished_at - started_at).total_seconds() if finished_at else float("nan")
    completed: dict[str, list[float]] = collections.defaultdict(list)
    other: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for job_type, outcome, duration in runs:
        if outcome == "completed" and duration is not None:
            completed[job_type].append(float(duration))
        else:
            other[job_type][outcome] += 1
    stages: dict[str, dict[str, Any]] = {
        job_type: {**_milliseconds(completed.get(job_type, [])), "other_outcomes": dict(other.get(job_type, {}))}
        for job_type in ("sync", "analyze", "send_interview", "evaluate", "generate_report", "upload_report")
    }
    stages["interview (request time, not a job)"] = _milliseconds(interviews)
    return {
        "settled": settled,
        "completed": int(row.complete),
        "dead": len(dead),
        "dead_letter": dead[:5],
        "seconds": round(seconds, 2),
        "stages": stages,
        "interviews": dict(candidates.outcomes),
    }


async def run_concurrency(
    server_url: str, applications: int, latency: float, concurrency: int, llm_slots: int, deadline: float
) -> dict[str, Any]:
    """One fresh database, one sandbox, one service; the figures of one concurrency setting."""
    url = await create_database(server_url)
    try:
        with tempfile.TemporaryDirectory(prefix="airecruiter-bench-") as tmp:
            data_dir = Path(tmp)
            sandbox_port, web_port = _free_port(), _free_port()
            frontend = f"http://127.0.0.1:{web_port}"
            limits = f"sync=2,analyze={concurrency},evaluate={concurrency}"
            config = {
                "latency": latency,
                "llm_slots": llm_slots,
                "settings": {
                    "DATABASE_URL": url,
                    "AIRECRUITER_DATA_DIR": str(data_dir),
                    "WORKDAY_SANDBOX_PORT": sandbox_port,
                    "WEB_PORT": web_port,
                    "FRONTEND_URL": frontend,
                    "HEARTBEAT_FILE": str(data_dir / "heartbeat"),
                    "QUEUE_MAX_CONCURRENCY": concurrency,
                    "QUEUE_JOB_LIMITS": limits,
                    "QUEUE_POLL_INTERVAL": 1.0,
                    "SCHEDULER_INTERVAL": 3600,
                    "LLM_PROVIDER": "offline",
                    "MAIL_BACKEND": "outbox",
                    "STORAGE_BACKEND": "local",
                    "LOG_LEVEL": "WARNING",
                },
            }
            quiet = {"LOG_LEVEL": "WARNING"}
            sandbox_args = [
                "-m",
                "airecruiter",
                "sandbox",
                "serve",
                "--port",
                str(sandbox_port),
                "--scale",
                str(applications),
                "--ephemeral",
            ]
            with _process(sandbox_args, log=data_dir / "sandbox.log", env=quiet, stdout=subprocess.DEVNULL) as sandbox:
                _wait_for_sandbox(f"http://127.0.0.1:{sandbox_port}", sandbox)
                child_args = [__file__, "--service-child", json.dumps(config)]
                with _process(child_args, log=data_dir / "service.log", stdout=subprocess.PIPE) as service:
                    cpu_start = time.process_time()
                    try:
                        figures = await _drive(
                            url,
                            f"http://127.0.0.1:{web_port}",
                            data_dir,
                            frontend,
                            applications,
                            concurrency,
                            deadline,
                            service,
                        )
                    except BaseException:
                        sys.stderr.write((data_dir / "service.log").read_text(errors="replace")[-3000:])
                        raise
                    figures["other_cpu"] = {
                        "sandbox_process_seconds": round(_cpu_seconds(sandbox.pid), 2),
                        "simulator_process_seconds": round(time.process_time() - cpu_start, 2),
                    }
                    service.send_signal(signal.SIGTERM)
                    out, _ = await asyncio.to_thread(service.communicate, timeout=120)
                    if service.returncode != 0:
                        raise RuntimeError(
                            "the service failed: " + (data_dir / "service.log").read_text(errors="replace")[-3000:]
                        )
                    spent = json.loads(out)
    finally:
        await drop_database(server_url, url)
    return _figures(figures, spent, applications, latency, concurrency, llm_slots)


def _figures(
    figures: dict[str, Any], spent: dict[str, Any], applications: int, latency: float, concurrency: int, llm_slots: int
) -> dict[str, Any]:
    seconds, not_ours = figures.pop("seconds"), figures.pop("other_cpu")
    completed = figures["completed"]
    calls = {m: int(spent["llm_calls"].get(m, 0)) for m in LLM_METHODS}
    per_application = sum(calls.values()) / applications
    slots = llm_slots if llm_slots > 0 else concurrency
    ideal_seconds = per_application * latency / slots
    per_min = completed * 60 / seconds if seconds > 0 else float("nan")
    ideal_per_min = 60 / ideal_seconds if ideal_seconds > 0 else float("nan")
    workers = spent["extraction_workers_cpu_seconds"]
    return {
        "applications": applications,
        **figures,
        "wall_seconds": seconds,
        "applications_per_min": round(per_min, 1),
        "ideal": {
            "llm_calls_per_application": round(per_application, 2),
            "llm_calls_per_application_by_step": {m: round(n / applications, 2) for m, n in calls.items()},
            "latency_s": latency,
            "llm_slots": slots,
            "seconds_per_application": round(ideal_seconds, 4),
            "applications_per_min": round(ideal_per_min, 1),
            "ratio": round(per_min / ideal_per_min, 3),
            "llm_busy_share": round(spent["llm_busy_seconds"] / (slots * seconds), 3) if seconds > 0 else None,
            "llm_max_in_flight": spent["llm_max_in_flight"],
        },
        "cpu": {
            "service_process_seconds": round(spent["cpu_seconds"], 2),
            "service_process_seconds_per_application": round(spent["cpu_seconds"] / applications, 4),
            "extraction_workers_seconds": round(workers, 2),
            "with_extraction_workers_seconds_per_application": round(
                (spent["cpu_seconds"] + workers) / applications, 4
            ),
            "not_ours": not_ours,
        },
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    from airecruiter.cli.common import configure_logging

    configure_logging("console", "WARNING")
    embedded = None
    server_url = args.database_url or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        from airecruiter.db.embedded import EmbeddedPostgres

        embedded = EmbeddedPostgres(ROOT / ".airecruiter" / "bench")
        server_url = embedded.start()
    try:
        runs = {}
        for concurrency in args.concurrency:
            slots = args.llm_slots if args.llm_slots is not None else concurrency
            ideal = args.applications * 10 * args.latency / max(slots, 1)
            deadline = args.deadline or max(600.0, 5 * ideal)
            progress(f"C={concurrency}: {args.applications} applications, {args.latency} s per LLM call")
            runs[str(concurrency)] = await run_concurrency(
                server_url, args.applications, args.latency, concurrency, slots, deadline
            )
            progress(f"C={concurrency}: {runs[str(concurrency)]['applications_per_min']} applications/min")
    finally:
        if embedded is not None:
            embedded.stop()
    return {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "applications": args.applications,
        "latency_s": args.latency,
        "concurrency": runs,
        "target": {"concurrency": 20, "latency_s": 1.0, "ratio": (">=", 0.8)},
    }


def main() -> None:
    """Parse the arguments; as the parent run each concurrency, as the child run the service."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--latency", type=float, default=1.0, help="seconds each LLM call takes")
    parser.add_argument("--concurrency", default="5,20", help="comma-separated QUEUE_MAX_CONCURRENCY settings")
    parser.add_argument(
        "--llm-slots", type=int, default=None, help="LLM calls served at once (default: the concurrency; 0 = unlimited)"
    )
    parser.add_argument("--database-url", help="a PostgreSQL server to create the databases on")
    parser.add_argument("--deadline", type=float, help="give up on a concurrency after this many seconds")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 20 applications, 0.05 s, concurrency 5")
    parser.add_argument("--service-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.service_child:
        print(json.dumps(asyncio.run(service_child(json.loads(args.service_child)))))
        return
    if args.quick:
        args.applications, args.latency, args.concurrency = 20, 0.05, "5"
    args.concurrency = [int(c) for c in str(args.concurrency).split(",") if c.strip()]
    print(json.dumps(asyncio.run(main_async(args)), indent=2))


if __name__ == "__main__":
    main()
