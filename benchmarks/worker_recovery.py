"""Crash-recovery benchmark: seconds from `kill -9` of a worker holding capped items until another starts them.

Run from the repository root:

    .venv/bin/python benchmarks/worker_recovery.py [--rounds 3] [--cap 2] [--database-url URL] [--quick]

A fresh database is created (on --database-url, $BENCH_DATABASE_URL or $TEST_DATABASE_URL, else
the embedded server in ./.airecruiter/bench), migrated, and dropped at the end. Each round starts
worker process A (this script with --as-worker: the real Worker, LISTEN and liveness lock on),
lets it claim `--cap` items of a job type capped at `--cap` across all workers (so the cap is
full and nothing else can start), with worker B idle beside it; then SIGKILLs A and records when
B starts each item. Leases are 60 s, so only dead-worker detection can free the cap sooner.
Unless --quick, one more round runs with QUEUE_POLL_ONLY-style workers (no liveness lock) and a
10 s lease, to show the fallback.

Figures, one JSON document on stdout: per round the seconds until B started the first and the
last item; their median and maximum; `goal_seconds` (2) and whether every round met it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # benchmarks/queue.py would shadow the standard library's `queue`

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from benchmarks.bench_databases import create_database, drop_database  # noqa: E402

JOB_TYPE = "hold"
GOAL_SECONDS = 2.0
STARTS_TABLE = "CREATE TABLE IF NOT EXISTS bench_starts (item_id bigint, pid int, at float8)"


def progress(text: str) -> None:
    """A progress line on stderr."""
    print(text, file=sys.stderr, flush=True)


async def run_worker(url: str, cap: int, lease: float, hold_seconds: float, poll_only: bool) -> None:
    """Worker mode: the real Worker; each job records its start (with this clock) and holds."""
    from sqlalchemy import text

    from airecruiter.cli.common import configure_logging
    from airecruiter.db.engine import create_engine, driver_dsn
    from airecruiter.queue.jobs import Job
    from airecruiter.queue.manager import QueueConfig, QueueManager
    from airecruiter.queue.worker import Worker, WorkerConfig

    configure_logging("console", "WARNING")
    engine = create_engine(url, pool_size=cap + 5)

    async def hold(job: Job) -> None:
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO bench_starts VALUES (:i, :p, :t)"), {"i": job.id, "p": os.getpid(), "t": time.time()}
            )
        await asyncio.sleep(hold_seconds)

    manager = QueueManager(engine, QueueConfig(lease_seconds=lease, job_limits={JOB_TYPE: cap}))
    config = WorkerConfig(
        concurrency=cap,
        poll_interval=1.0,
        poll_only=poll_only,
        shutdown_grace=0.5,
        listen_dsn=None if poll_only else driver_dsn(url),
        liveness=not poll_only,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await Worker(manager, {JOB_TYPE: hold}, config).run(stop)
    finally:
        await engine.dispose()


def _spawn(url: str, cap: int, lease: float, hold_seconds: float, poll_only: bool) -> subprocess.Popen[bytes]:
    args = [sys.executable, str(Path(__file__).resolve()), "--as-worker", "--database-url", url]
    args += ["--cap", str(cap), "--lease", str(lease), "--hold", str(hold_seconds)]
    return subprocess.Popen([*args, *(["--poll-only"] if poll_only else [])], cwd=ROOT)


async def _until(check: Any, what: str, within: float = 120.0) -> None:
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def one_round(url: str, cap: int, lease: float, poll_only: bool) -> dict[str, float]:
    """Fill the cap in worker A, start an idle worker B, kill A, and time B's starts."""
    import asyncpg

    from airecruiter.db.engine import driver_dsn

    conn = await asyncpg.connect(driver_dsn(url))
    doomed = rescuer = None
    try:
        await conn.execute("TRUNCATE queue_items, job_runs, bench_starts")
        await conn.execute(
            "INSERT INTO queue_items (job_type, priority, max_attempts, requisition_id)"
            " SELECT $1, 10, 3, id FROM requisitions ORDER BY id LIMIT $2",
            JOB_TYPE,
            cap,
        )
        doomed = _spawn(url, cap, lease, 600.0, poll_only)

        async def cap_full() -> bool:
            return await conn.fetchval("SELECT count(*) FROM bench_starts WHERE pid = $1", doomed.pid) == cap

        await _until(cap_full, "worker A to fill the cap")
        rescuer = _spawn(url, cap, lease, 0.05, poll_only)
        ready = "SELECT count(*) FROM queue_workers WHERE name LIKE '%:' || $1"

        async def rescuer_ready() -> bool:
            if poll_only:  # no liveness row: wait for its first (empty) claim instead
                return (
                    await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()") >= 4
                )
            return await conn.fetchval(ready, str(rescuer.pid)) == 1

        await _until(rescuer_ready, "worker B to start")
        killed_at = time.time()
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()

        async def rescued() -> bool:
            return await conn.fetchval("SELECT count(*) FROM bench_starts WHERE pid = $1", rescuer.pid) == cap

        await _until(rescued, "worker B to start the items", within=lease * 3 + 60)
        starts = [r["at"] for r in await conn.fetch("SELECT at FROM bench_starts WHERE pid = $1", rescuer.pid)]
    finally:
        await conn.close()
        for proc in (doomed, rescuer):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)
    return {"first_s": round(min(starts) - killed_at, 3), "all_s": round(max(starts) - killed_at, 3)}


async def measure(url: str, cap: int, rounds: int, lease: float, poll_only: bool) -> list[dict[str, float]]:
    """`rounds` rounds, each with a fresh pair of workers."""
    import asyncpg

    from airecruiter.db.engine import driver_dsn

    conn = await asyncpg.connect(driver_dsn(url))
    try:
        await conn.execute(STARTS_TABLE)
        await conn.execute(
            "INSERT INTO requisitions (external_id, name) SELECT 'BENCH-' || g, 'Bench ' || g"
            " FROM generate_series(1, $1) g ON CONFLICT DO NOTHING",
            cap,
        )
    finally:
        await conn.close()
    results = []
    for n in range(rounds):
        result = await one_round(url, cap, lease, poll_only)
        progress(f"{'lease only' if poll_only else 'liveness'} round {n + 1}: {result}")
        results.append(result)
    return results


def summary(rounds: list[dict[str, float]]) -> dict[str, Any]:
    """Median and maximum of the per-round figures."""
    alls = [r["all_s"] for r in rounds]
    return {"rounds": rounds, "all_started_p50_s": round(statistics.median(alls), 3), "all_started_max_s": max(alls)}


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    """Create the database, run the rounds, drop it."""
    embedded = None
    server_url = args.database_url or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        from airecruiter.db.embedded import EmbeddedPostgres

        embedded = EmbeddedPostgres(ROOT / ".airecruiter" / "bench")
        server_url = embedded.start()
    url = await create_database(server_url, "airecruiter_bench_recovery")
    try:
        liveness = summary(await measure(url, args.cap, args.rounds, 60.0, poll_only=False))
        lease_only = None if args.quick else summary(await measure(url, args.cap, 1, 10.0, poll_only=True))
    finally:
        await drop_database(server_url, url)
        if embedded is not None:
            embedded.stop()
    return {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "cap": args.cap,
        "liveness": liveness,
        "lease_only_10s": lease_only,
        "goal_seconds": GOAL_SECONDS,
        "goal_met": liveness["all_started_max_s"] <= GOAL_SECONDS,
    }


def main() -> None:
    """Parse the arguments, run, print the JSON (or run as one worker with --as-worker)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cap", type=int, default=2, help="the job type's cap, and the items A holds")
    parser.add_argument("--database-url", help="a PostgreSQL server to create the database on")
    parser.add_argument("--quick", action="store_true", help="one round, no lease-only comparison")
    parser.add_argument("--as-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--lease", type=float, default=60.0, help=argparse.SUPPRESS)
    parser.add_argument("--hold", type=float, default=600.0, help=argparse.SUPPRESS)
    parser.add_argument("--poll-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.as_worker:
        asyncio.run(run_worker(args.database_url, args.cap, args.lease, args.hold, args.poll_only))
        return
    if args.quick:
        args.rounds = 1
    print(json.dumps(asyncio.run(main_async(args)), indent=2))


if __name__ == "__main__":
    main()
