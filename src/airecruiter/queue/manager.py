"""The queue manager: enqueue, claim, complete, fail, leases (docs/architecture.md: the queue's promises)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.queue import statements as sql
from airecruiter.queue.jobs import Job, NewJob, Priority
from airecruiter.queue.retry import RetryDecision, budget_of, decide
from airecruiter.queue.tracebacks import report, safe_describe

log = structlog.get_logger(__name__)

# One advisory lock key for claims of capped job types, derived from a name so it is stable.
LIMITED_CLAIM_LOCK_KEY = zlib.crc32(b"airecruiter.queue.limited_claim")
# The first half of every worker's liveness lock key (the second is its queue_workers id).
WORKER_LOCK_NAMESPACE = zlib.crc32(b"airecruiter.queue.worker") & 0x7FFFFFFF


@dataclass(frozen=True)
class QueueConfig:
    """The queue's knobs, taken from Settings by the composition root."""

    max_attempts: int = 3
    lease_seconds: float = 60.0
    job_limits: dict[str, int] | None = None
    # How often an item may lose its worker (expired lease or dead worker) before it is buried.
    max_lost_leases: int = 3
    # After a database restart no worker holds its liveness lock; a live one registers again within
    # seconds. Until this long after the restart, a missing lock of an older registration means nothing
    # (leases still recover the items of a worker that really died).
    restart_grace_seconds: float = 30.0
    # Failures of every kind after which an item is buried whatever its policy allows (each policy
    # has its own budget); None: the sum of every policy's budget (`retry.overall_cap`).
    max_failures: int | None = None
    # Multiplies every wait before a retry (QUEUE_BACKOFF_SCALE; below 1 for tests and benchmarks).
    backoff_scale: float = 1.0


@dataclass(frozen=True)
class EnqueueResult:
    """The item's id when this call created it or raised its priority; None when deduped."""

    id: int | None
    created: bool


@dataclass(frozen=True)
class Finished:
    """A job that finished successfully and waits to be acknowledged."""

    job_id: int
    started_at: datetime
    duration_ms: float


class QueueManager:
    """All queue state changes; every method is one statement or one short transaction."""

    def __init__(self, engine: AsyncEngine, config: QueueConfig | None = None) -> None:
        self.engine = engine
        self.config = config or QueueConfig()
        # Single statements need no BEGIN/COMMIT round trips.
        self._autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")

    # --- enqueue -----------------------------------------------------------------------------

    async def enqueue(
        self,
        job_type: str,
        *,
        application_id: int | None = None,
        requisition_id: int | None = None,
        priority: Priority = Priority.SCHEDULED,
        delay_seconds: float = 0.0,
        enqueued_by: str = "system",
        conn: AsyncConnection | None = None,
    ) -> EnqueueResult:
        """Add one item, or do nothing if a live item for the same job and subject exists.

        A higher priority (an admin's "do it now") lifts the existing item instead. Pass the
        caller's `conn` to commit the item together with the caller's own writes.
        """
        job = NewJob(job_type, application_id, requisition_id, priority, delay_seconds)
        rows = await self._enqueue_rows([job], enqueued_by, conn)
        if not rows:
            return EnqueueResult(id=None, created=False)
        return EnqueueResult(id=int(rows[0][0]), created=bool(rows[0][1]))

    async def enqueue_many(
        self,
        jobs: Iterable[NewJob],
        *,
        enqueued_by: str = "system",
        conn: AsyncConnection | None = None,
    ) -> int:
        """Add many items in one statement; returns how many were created (duplicates skipped)."""
        unique: dict[tuple[str, int | None, int | None], NewJob] = {}
        for job in jobs:
            key = (job.job_type, job.application_id, job.requisition_id)
            if key not in unique or job.priority > unique[key].priority:
                unique[key] = job
        if not unique:
            return 0
        # One insertion order for every batch: two overlapping batches in different orders
        # would wait on each other's rows and deadlock.
        ordered = sorted(unique.values(), key=lambda j: (j.job_type, j.application_id or 0, j.requisition_id or 0))
        rows = await self._enqueue_rows(ordered, enqueued_by, conn)
        return sum(1 for row in rows if row[1])

    async def _enqueue_rows(self, jobs: Sequence[NewJob], enqueued_by: str, conn: AsyncConnection | None) -> list[Any]:
        params = {
            "job_types": [j.job_type for j in jobs],
            "application_ids": [j.application_id for j in jobs],
            "requisition_ids": [j.requisition_id for j in jobs],
            "priorities": [int(j.priority) for j in jobs],
            "delays": [float(j.delay_seconds) for j in jobs],
            "max_attempts": self.config.max_attempts,
            "enqueued_by": enqueued_by,
        }
        if conn is not None:
            return list((await conn.execute(sql.ENQUEUE, params)).all())
        async with self._autocommit.connect() as own:
            return list((await own.execute(sql.ENQUEUE, params)).all())

    # --- claim -------------------------------------------------------------------------------

    async def claim_connection(self) -> AsyncConnection:
        """A connection one claim loop keeps, so a claim costs one round trip and no checkout."""
        conn = await self._autocommit.connect()
        # A claim lost in a server crash only returns its item to pending, and delivery is
        # at-least-once anyway, so claims need not wait for the WAL flush.
        await conn.exec_driver_sql("SET synchronous_commit = off")
        return conn

    async def release_claim_connection(self, conn: AsyncConnection) -> None:
        """Give a claim connection back to the pool with its settings restored."""
        try:
            await conn.exec_driver_sql("RESET synchronous_commit")
        except Exception:
            await conn.invalidate()  # never hand a connection in an unknown state to the pool
        await conn.close()

    async def claim(
        self, worker: str, limit: int, job_types: Iterable[str], *, conn: AsyncConnection | None = None
    ) -> list[Job]:
        """Claim up to `limit` due items of `job_types` in claim order, honouring per-type caps.

        Pass a `claim_connection()` as `conn` to claim over a connection held for the purpose.
        """
        if limit <= 0:
            return []
        limits = self.config.job_limits or {}
        wanted = sorted(set(job_types))
        if any(t in limits for t in wanted):
            # Capped and uncapped types in one statement: claiming the capped ones first would
            # let a backlog of them starve the rest, an operator's manual items included.
            capped = {t: limits[t] for t in wanted if t in limits}
            free = [t for t in wanted if t not in limits]
            claimed = await self._claim_capped(worker, limit, capped, free)
        elif wanted:
            params = {"worker": worker, "lease": self.config.lease_seconds, "job_types": wanted, "limit": limit}
            if conn is not None:
                driver = (await conn.get_raw_connection()).driver_connection
                assert driver is not None
                rows = await driver.fetch(sql.CLAIM_POSITIONAL, *(params[n] for n in sql.CLAIM_PARAMS))
                claimed = [_job(row) for row in rows]
            else:
                async with self._autocommit.connect() as own:
                    claimed = [_job(row._mapping) for row in await own.execute(sql.CLAIM, params)]
        else:
            claimed = []
        claimed.sort(key=lambda j: (-j.priority, j.scheduled_for, j.id))
        return claimed

    async def _claim_capped(self, worker: str, limit: int, capped: dict[str, int], free: list[str]) -> list[Job]:
        # The advisory lock lives as long as this transaction, so this needs a real one.
        async with self.engine.begin() as conn:
            await conn.execute(sql.LOCK_LIMITED_CLAIMS, {"key": LIMITED_CLAIM_LOCK_KEY})
            await conn.execute(sql.FORCE_CUSTOM_PLANS)
            params: dict[str, object] = {
                "worker": worker,
                "lease": self.config.lease_seconds,
                "limit": limit,
                "free_types": free,
            }
            for n, (job_type, cap) in enumerate(capped.items()):
                params[f"type_{n}"], params[f"cap_{n}"] = job_type, cap
            result = await conn.execute(sql.claim_capped(len(capped), bool(free)), params)
            return [_job(row._mapping) for row in result]

    # --- finish ------------------------------------------------------------------------------

    async def complete_many(self, worker: str, finished: Sequence[Finished]) -> set[int]:
        """Acknowledge finished jobs in one statement: delete them, record their runs."""
        if not finished:
            return set()
        async with self._autocommit.connect() as conn:
            result = await conn.execute(
                sql.COMPLETE_MANY,
                {
                    "worker": worker,
                    "ids": [f.job_id for f in finished],
                    "started": [f.started_at for f in finished],
                    "durations": [f.duration_ms for f in finished],
                },
            )
            return {int(row[0]) for row in result}

    async def fail(
        self,
        job: Job,
        error: BaseException,
        *,
        worker: str,
        started_at: datetime,
        duration_ms: float,
        now: datetime | None = None,
    ) -> RetryDecision:
        """Record a failed attempt; schedule the retry its error's policy allows, or bury it.

        The attempt counts against its policy's own budget (and the overall cap), and is recorded
        with its redacted message and stack (`queue/tracebacks.py`).
        """
        budget = budget_of(error)
        failure = report(error)
        async with self._autocommit.connect() as conn:
            earlier = await conn.scalar(sql.COUNT_POLICY_FAILURES, {"id": job.id, "retry_policy": budget})
            decision = decide(
                error,
                int(earlier or 0) + 1,
                now or datetime.now(UTC),
                default_max_attempts=self.config.max_attempts,
                total_failures=job.failures,
                max_total_failures=self.config.max_failures,
                backoff_scale=self.config.backoff_scale,
            )
            await conn.execute(
                sql.FAIL,
                {
                    "id": job.id,
                    "worker": worker,
                    "error": failure.summary[:4000],
                    "status": "failed" if decision.retry else "dead",
                    "delay": decision.delay_seconds,
                    # The attempt that will be the last if the job keeps failing this way: what
                    # "attempts 3 of 5" means on the console, whatever failed before.
                    "max_attempts": job.attempts + decision.tries_left,
                    "retry_priority": int(Priority.RETRY),
                    "started_at": started_at,
                    "duration_ms": duration_ms,
                    "traceback": failure.to_text(),
                    "retry_policy": budget,
                },
            )
        return decision

    async def lose_to_outage(self, job: Job, error: BaseException, *, worker: str) -> bool:
        """Put back an item whose job lost the database mid-run, not counted as a failure.

        The lost-lease budget bounds it (the item dies once that is spent). False when the item was
        no longer this worker's.
        """
        params = {"id": job.id, "worker": worker, "error": safe_describe(error)[:4000]}
        async with self._autocommit.connect() as conn:
            return await self._recover(conn, sql.LOSE_TO_OUTAGE, params, "queue_job_lost_database") > 0

    async def finish_cancelled(self, job: Job, *, worker: str, duration_ms: float) -> bool:
        """End an item whose running job was cancelled on request (as skipped), and record that."""
        async with self._autocommit.connect() as conn:
            result = await conn.execute(
                sql.FINISH_CANCELLED, {"id": job.id, "worker": worker, "duration_ms": duration_ms}
            )
            return result.first() is not None

    # --- leases ------------------------------------------------------------------------------

    async def renew_leases(self, worker: str, ids: Sequence[int]) -> tuple[set[int], set[int]]:
        """Extend the leases of `ids`; returns (still held, asked to cancel)."""
        if not ids:
            return set(), set()
        async with self._autocommit.connect() as conn:
            rows = (
                await conn.execute(
                    sql.RENEW_LEASES,
                    {
                        "worker": worker,
                        "ids": list(ids),
                        "lease": self.config.lease_seconds,
                    },
                )
            ).all()
        return {int(r[0]) for r in rows}, {int(r[0]) for r in rows if r[1]}

    async def recover_expired_leases(self) -> int:
        """Return items whose worker stopped renewing to pending (dead once out of lost leases)."""
        async with self._autocommit.connect() as conn:
            recovered = await self._recover(conn, sql.RECOVER_EXPIRED, {}, "queue_leases_recovered")
            cancelled = len((await conn.execute(sql.FINISH_CANCEL_REQUESTED)).all())
        if cancelled:
            log.info("queue_cancellations_finished", items=cancelled)
        return recovered

    async def register_worker(self, worker: str, conn: AsyncConnection) -> bool:
        """Take `worker`'s liveness lock on `conn` (kept open while it lives); False if a live twin holds it."""
        # One statement: the row is visible to others only once the lock is held.
        row = (await conn.execute(sql.REGISTER_WORKER, {"worker": worker, "namespace": WORKER_LOCK_NAMESPACE})).one()
        return bool(row.locked)

    async def unregister_worker(self, worker: str, conn: AsyncConnection) -> None:
        """Drop `worker`'s row (a clean stop); closing `conn` then frees its lock."""
        await conn.execute(sql.UNREGISTER_WORKER, {"worker": worker})

    async def recover_dead_workers(self, conn: AsyncConnection | None = None) -> int:
        """Return the running items of workers whose liveness lock is gone (they died) at once."""
        params = {"namespace": WORKER_LOCK_NAMESPACE, "restart_grace": self.config.restart_grace_seconds}
        if conn is not None:
            return await self._recover(conn, sql.RECOVER_DEAD_WORKERS, params, "queue_dead_workers_recovered")
        async with self._autocommit.connect() as own:
            return await self._recover(own, sql.RECOVER_DEAD_WORKERS, params, "queue_dead_workers_recovered")

    async def _recover(self, conn: AsyncConnection, statement: Any, params: dict[str, Any], event: str) -> int:
        rows = (await conn.execute(statement, {**params, "max_lost_leases": self.config.max_lost_leases})).all()
        if rows:
            dead = sum(1 for r in rows if r.status == "dead")
            log.warning(event, items=len(rows), buried=dead, item_ids=[int(r.id) for r in rows][:20])
        return len(rows)

    async def release(self, worker: str, ids: Sequence[int]) -> int:
        """Give items back to the queue unfinished (graceful shutdown); the attempt is not counted."""
        if not ids:
            return 0
        async with self._autocommit.connect() as conn:
            return len((await conn.execute(sql.RELEASE, {"worker": worker, "ids": list(ids)})).all())


def _job(row: Mapping[Any, Any]) -> Job:
    """A claimed row (an asyncpg record, or a SQLAlchemy row's mapping) as a Job."""
    return Job(
        id=int(row["id"]),
        job_type=row["job_type"],
        application_id=row["application_id"],
        requisition_id=row["requisition_id"],
        priority=int(row["priority"]),
        attempts=int(row["attempts"]),
        max_attempts=int(row["max_attempts"]),
        created_at=row["created_at"],
        scheduled_for=row["scheduled_for"],
        lost_leases=int(row["lost_leases"]),
    )
