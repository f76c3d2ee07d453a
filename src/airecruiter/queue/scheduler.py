"""The scheduler: one leader across all processes enqueues the work a planner finds due.

What is due is the caller's business (the pipeline's rules live in `processors.scheduling`): the
scheduler only holds the leader lock, holds back jobs that keep dying for the same reason,
enqueues the rest without duplicates, recovers lost leases and prunes the job history.
"""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.db.connectivity import is_outage
from airecruiter.queue.failures import failure_streak, permanent_backoff
from airecruiter.queue.jobs import NewJob
from airecruiter.queue.manager import QueueManager
from airecruiter.queue.operations import QueueOperations
from airecruiter.queue.statements import (
    PING,
    RELEASE_LEADER_LOCK,
    SELECT_LAST_SETTINGS_CHANGE,
    SELECT_OUTCOMES_OF_DEAD_JOBS,
    TRY_LEADER_LOCK,
)
from airecruiter.queue.tracebacks import safe_describe

log = structlog.get_logger(__name__)

SCHEDULER_LOCK_KEY = zlib.crc32(b"airecruiter.scheduler.leader")
JobKey = tuple[str, int | None, int | None]


@dataclass(frozen=True)
class SchedulerConfig:
    """How often to schedule and what the defaults are."""

    interval: float = 60.0
    lookback_hours_default: int = 24
    job_runs_retention_days: int = 30


@dataclass(frozen=True)
class DueJobs:
    """What a planner found due: periodic jobs (such as syncs) and follow-ups of subjects (next stages)."""

    periodic: list[NewJob]
    follow_ups: list[NewJob]


class Planner(Protocol):
    """Finds the jobs due now, among the job types some worker can run."""

    async def __call__(
        self, conn: AsyncConnection, *, job_types: frozenset[str], config: SchedulerConfig
    ) -> DueJobs: ...


@dataclass(frozen=True)
class TickReport:
    """What one scheduling pass did."""

    periodic: int
    follow_ups: int
    recovered: int
    pruned: int
    held_back: int = 0  # jobs not enqueued: they keep failing permanently for the same reason


class Scheduler:
    """Every interval, while it holds the leader lock, enqueues the work that is due."""

    def __init__(
        self,
        engine: AsyncEngine,
        manager: QueueManager,
        config: SchedulerConfig,
        *,
        plan: Planner,
        job_types: Collection[str],
        name: str,
        on_activity: Callable[[str], None] | None = None,
        started_at: datetime | None = None,
    ) -> None:
        self.engine, self.manager, self.config = engine, manager, config
        self.plan = plan
        # Only job types some worker can run are scheduled; others would wait forever.
        self.job_types = frozenset(job_types)
        self.name = name
        self._on_activity = on_activity or (lambda _text: None)
        self._leader_conn: AsyncConnection | None = None
        # Backoff counts permanent failures since this start (a restart resets it).
        self._started = started_at or datetime.now(UTC)

    @property
    def is_leader(self) -> bool:
        """Whether this instance holds the scheduling lock right now."""
        return self._leader_conn is not None

    async def run(self, stop: asyncio.Event) -> None:
        """Schedule every interval until `stop` is set; only the lock holder does any work."""
        log.info("scheduler_started", scheduler=self.name, interval_s=self.config.interval)
        try:
            while not stop.is_set():
                try:
                    if await self._lead():
                        await self.tick()
                except Exception as exc:
                    log.error("scheduler_tick_failed", scheduler=self.name, error=safe_describe(exc), exc_info=exc)
                    await self._resign()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.config.interval)
        finally:
            await self._resign()
            log.info("scheduler_stopped", scheduler=self.name)

    async def _lead(self) -> bool:
        """Hold a session advisory lock on a connection of our own; it ends if we die."""
        if self._leader_conn is not None:
            try:
                await self._leader_conn.execute(PING)  # raises if the lock's connection died
                return True
            except Exception as exc:
                if not is_outage(exc):
                    raise
                # The database restarted or dropped us: the lock went with the connection.
                # Compete for it again now rather than fail this tick.
                log.warning(
                    "scheduler_leader_connection_lost", scheduler=self.name, error=safe_describe(exc), exc_info=exc
                )
                await self._resign()
        conn = await self.engine.connect()
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        if await conn.scalar(TRY_LEADER_LOCK, {"k": SCHEDULER_LOCK_KEY}):
            self._leader_conn = conn
            log.info("scheduler_became_leader", scheduler=self.name)
            return True
        await conn.close()
        return False

    async def _resign(self) -> None:
        conn, self._leader_conn = self._leader_conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.execute(RELEASE_LEADER_LOCK, {"k": SCHEDULER_LOCK_KEY})
            with contextlib.suppress(Exception):
                await conn.close()

    async def tick(self) -> TickReport:
        """One scheduling pass: the planner's due jobs, lease recovery, history pruning."""
        async with self.engine.connect() as conn:
            due = await self.plan(conn, job_types=self.job_types, config=self.config)
            held = await self.backing_off(conn)
        periodic = [j for j in due.periodic if (j.job_type, j.application_id, j.requisition_id) not in held]
        follow_ups = [j for j in due.follow_ups if (j.job_type, j.application_id, j.requisition_id) not in held]
        created = await self.manager.enqueue_many([*periodic, *follow_ups], enqueued_by=f"scheduler:{self.name}")
        recovered = await self.manager.recover_expired_leases()
        pruned = await QueueOperations(self.engine).prune_job_runs(older_than_days=self.config.job_runs_retention_days)
        report = TickReport(
            periodic=len(periodic), follow_ups=len(follow_ups), recovered=recovered, pruned=pruned, held_back=len(held)
        )
        log.info("scheduler_tick", scheduler=self.name, enqueued=created, **report.__dict__)
        if created:
            self._on_activity(f"Scheduled {created} job(s)")
        return report

    async def backing_off(self, conn: AsyncConnection) -> dict[JobKey, float]:
        """The jobs to leave out this tick, each with the seconds left of its backoff.

        A job whose last runs died for the same reason waits 1, 2, 4 ... minutes (at most an hour)
        after the last of them. A success, a settings change or a restart starts the count again.
        """
        changed = await conn.scalar(SELECT_LAST_SETTINGS_CHANGE)
        since = max(self._started, changed) if changed is not None else self._started
        runs: dict[JobKey, list[Any]] = {}
        for row in await conn.execute(SELECT_OUTCOMES_OF_DEAD_JOBS, {"since": since}):
            runs.setdefault((row.job_type, row.application_id, row.requisition_id), []).append(row)
        held: dict[JobKey, float] = {}
        for key, history in runs.items():
            streak = failure_streak([(r.outcome, r.error) for r in history])
            if not streak:
                continue
            newest = history[0]
            left = permanent_backoff(streak) - (newest.now - newest.finished_at).total_seconds()
            if left > 0:
                held[key] = left
                log.info(
                    "scheduler_backing_off",
                    job_type=key[0],
                    application_id=key[1],
                    requisition_id=key[2],
                    failures=streak,
                    seconds_left=round(left),
                    error=newest.error,
                )
        return held
