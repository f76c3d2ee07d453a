"""The worker: claims as many items as it has free slots, runs them, acknowledges in batches."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg
import structlog
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.connectivity import is_outage
from airecruiter.errors import JobTimeoutError
from airecruiter.queue.jobs import Job, Processor
from airecruiter.queue.liveness import Liveness
from airecruiter.queue.manager import Finished, QueueManager
from airecruiter.queue.metrics import JOB_SECONDS, JOBS
from airecruiter.queue.tracebacks import safe_describe
from airecruiter.queue.wakeups import NotifyListener

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class WorkerConfig:
    """How one worker process behaves."""

    concurrency: int = 3
    poll_interval: float = 5.0
    poll_only: bool = False
    shutdown_grace: float = 30.0
    job_timeouts: Mapping[str, float] = field(default_factory=dict)
    default_timeout: float = 600.0
    listen_dsn: str | None = None
    # Hold a liveness lock so other workers return our items the moment we die (not behind a
    # transaction-pooling proxy: there session locks do not follow the client).
    liveness: bool = False
    liveness_interval: float = 1.0


@dataclass
class _Running:
    job: Job
    task: asyncio.Task[None]
    started_at: datetime
    started: float
    stop_reason: str | None = None  # "cancel", "lease_lost" or "shutdown" once we stop it
    # A task cancelled before its first step never runs its body, so it would never free its slot
    # or record anything; until the body runs, a stop is only flagged and the body honours it.
    begun: bool = False


class WorkerSideTaskError(RuntimeError):
    """A task the worker cannot run without (acknowledging, leases, wake-ups, liveness) died."""


def worker_name() -> str:
    """A name unique to this process, shown in leases and the job history."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker:
    """Runs jobs from the queue with at most `concurrency` at once (docs/architecture.md: the queue's promises)."""

    def __init__(
        self,
        manager: QueueManager,
        registry: Mapping[str, Processor],
        config: WorkerConfig,
        *,
        name: str | None = None,
        on_activity: Callable[[str], None] | None = None,
    ) -> None:
        self.manager, self.registry, self.config = manager, dict(registry), config
        self.name = name or worker_name()
        self._on_activity = on_activity or (lambda _text: None)
        self._running: dict[int, _Running] = {}
        self._unacked: dict[int, Finished] = {}
        self._wake = asyncio.Event()
        self._slot_freed = asyncio.Event()
        self._ack_due = asyncio.Event()
        self._stopping = False
        self._died: tuple[str, BaseException | None] | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set, then drain within the grace period and return."""
        if not self.registry:
            log.warning("worker_has_no_job_types", worker=self.name)
        log.info(
            "worker_started",
            worker=self.name,
            job_types=sorted(self.registry),
            concurrency=self.config.concurrency,
            poll_only=self.config.poll_only,
        )
        helpers = {"ack": self._acknowledge_loop(), "lease": self._lease_loop()}
        if not self.config.poll_only and self.config.listen_dsn:
            listener = NotifyListener(
                self.config.listen_dsn,
                wanted=self.registry,
                on_wake=self._wake.set,
                on_cancel=self._cancel,
                poll_interval=self.config.poll_interval,
                worker=self.name,
            )
            helpers["listen"] = listener.run()
        if self.config.liveness and not self.config.poll_only:
            helpers["liveness"] = Liveness(self.manager, self.name, interval=self.config.liveness_interval).run()
        tasks = {name: asyncio.create_task(coro, name=f"worker-{name}") for name, coro in helpers.items()}
        halt = asyncio.Event()
        watcher = asyncio.create_task(self._watch(stop, tasks, halt))
        try:
            await self._claim_loop(halt)
        finally:
            watcher.cancel()
            self._stopping = True
            await self._drain()
            for task in tasks.values():
                task.cancel()
            await asyncio.gather(*tasks.values(), return_exceptions=True)
            await self._flush_acks()
            log.info("worker_stopped", worker=self.name)
        if self._died is not None:
            name, error = self._died
            raise WorkerSideTaskError(
                f"the worker's {name} task stopped ({safe_describe(error) if error else 'it returned'}); "
                "the worker gave its unfinished items back and stopped"
            ) from error

    async def _watch(self, stop: asyncio.Event, tasks: Mapping[str, asyncio.Task[None]], halt: asyncio.Event) -> None:
        """Stop claiming when `stop` is set, or when a side task dies: never run on without it."""
        stopper = asyncio.create_task(stop.wait())
        try:
            done, _ = await asyncio.wait([stopper, *tasks.values()], return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
        for name, task in tasks.items():
            if task in done:
                error = None if task.cancelled() else task.exception()
                why = safe_describe(error) if error else None
                log.error("worker_side_task_died", worker=self.name, task=name, error=why, exc_info=error)
                self._died = (name, error)
                break
        halt.set()

    # --- claiming ----------------------------------------------------------------------------

    async def _claim_loop(self, stop: asyncio.Event) -> None:
        stopper = asyncio.create_task(stop.wait())
        conn: AsyncConnection | None = None
        try:
            while not stop.is_set():
                free = self.config.concurrency - len(self._running)
                if free <= 0:
                    self._slot_freed.clear()
                    await _first(stopper, self._slot_freed.wait())
                    continue
                self._wake.clear()  # before claiming, so a notify during the claim is not lost
                try:
                    conn = conn or await self.manager.claim_connection()
                    jobs = await self.manager.claim(self.name, free, self.registry, conn=conn)
                except Exception as exc:  # database away: wait and try again on a new connection
                    log.error("worker_claim_failed", worker=self.name, error=safe_describe(exc), exc_info=exc)
                    await self._drop(conn)
                    conn = None
                    await _first(stopper, asyncio.sleep(self.config.poll_interval))
                    continue
                for job in jobs:
                    self._start(job)
                if len(jobs) < free:
                    await _first(stopper, self._wake.wait(), within=self.config.poll_interval)
        finally:
            stopper.cancel()
            await asyncio.shield(self._drop(conn))

    async def _drop(self, conn: AsyncConnection | None) -> None:
        if conn is not None:
            with contextlib.suppress(Exception):
                await self.manager.release_claim_connection(conn)

    def _start(self, job: Job) -> None:
        task = asyncio.create_task(self._execute(job), name=f"job-{job.id}")
        self._running[job.id] = _Running(job, task, datetime.now(UTC), time.perf_counter())

    # --- running -----------------------------------------------------------------------------

    async def _execute(self, job: Job) -> None:
        entry = self._running[job.id]
        entry.begun = True
        bound = log.bind(
            job_id=job.id,
            job_type=job.job_type,
            application_id=job.application_id,
            requisition_id=job.requisition_id,
            attempt=job.attempts,
        )
        bound.info("job_started")
        timeout = self.config.job_timeouts.get(job.job_type, self.config.default_timeout)
        outcome = "completed"
        limit = asyncio.timeout(timeout)
        try:
            try:
                if entry.stop_reason is not None:  # stopped before it started
                    raise asyncio.CancelledError
                async with limit:
                    await self.registry[job.job_type](job)
            except TimeoutError as exc:
                if limit.expired():
                    raise JobTimeoutError(f"{job.job_type} ran longer than its {timeout:g} s limit") from exc
                raise
        except asyncio.CancelledError:
            outcome = await self._stopped(entry)
            if outcome == "interrupted":
                raise
        except Exception as exc:
            outcome = await self._failed(entry, exc, bound)
        else:
            self._unacked[job.id] = Finished(job.id, entry.started_at, self._elapsed_ms(entry))
            self._ack_due.set()
            self._on_activity(f"Completed {job.job_type} for {job.subject}")
        finally:
            duration = time.perf_counter() - entry.started
            JOBS.labels(job.job_type, outcome).inc()
            JOB_SECONDS.labels(job.job_type).observe(duration)
            bound.info("job_finished", outcome=outcome, duration_ms=round(duration * 1000, 2))
            if not self._stopping:
                self._running.pop(job.id, None)
                self._slot_freed.set()

    async def _failed(self, entry: _Running, exc: Exception, bound: structlog.typing.FilteringBoundLogger) -> str:
        if _lost_the_database(exc):
            try:
                await asyncio.shield(self.manager.lose_to_outage(entry.job, exc, worker=self.name))
            except Exception as db_error:  # still away: the lease expires and the item comes back the same way
                return _not_recorded(bound, exc, db_error)
            bound.warning("job_lost_database", error=safe_describe(exc))
            return "lost"
        try:
            decision = await asyncio.shield(
                self.manager.fail(
                    entry.job, exc, worker=self.name, started_at=entry.started_at, duration_ms=self._elapsed_ms(entry)
                )
            )
        except Exception as db_error:  # the lease will expire and the item comes back
            return _not_recorded(bound, exc, db_error)
        bound.warning(
            "job_error",
            error=safe_describe(exc),
            retry=decision.retry,
            retry_in_s=round(decision.delay_seconds, 1),
            max_attempts=decision.max_attempts,
            retry_policy=decision.budget,
            exc_info=exc,
        )
        self._on_activity(f"{entry.job.job_type} for {entry.job.subject} failed: {type(exc).__name__}")
        return "failed" if decision.retry else "dead"

    async def _stopped(self, entry: _Running) -> str:
        if entry.stop_reason == "cancel":
            await asyncio.shield(
                self.manager.finish_cancelled(entry.job, worker=self.name, duration_ms=self._elapsed_ms(entry))
            )
            return "cancelled"
        if entry.stop_reason == "lease_lost":
            return "lease_lost"
        return "interrupted"

    @staticmethod
    def _elapsed_ms(entry: _Running) -> float:
        return (time.perf_counter() - entry.started) * 1000

    # --- acknowledging, leases, cancels --------------------------------------------------------

    async def _acknowledge_loop(self) -> None:
        while True:
            await self._ack_due.wait()
            self._ack_due.clear()
            if not await self._flush_acks():
                await asyncio.sleep(1.0)
                self._ack_due.set()

    async def _flush_acks(self) -> bool:
        batch = list(self._unacked.values())
        if not batch:
            return True
        try:
            await self.manager.complete_many(self.name, batch)
        except Exception as exc:
            log.error("worker_ack_failed", worker=self.name, items=len(batch), error=safe_describe(exc), exc_info=exc)
            return False
        for finished in batch:
            self._unacked.pop(finished.job_id, None)
        return True

    async def _lease_loop(self) -> None:
        interval = max(self.manager.config.lease_seconds / 3, 0.5)
        while True:
            await asyncio.sleep(interval)
            try:
                await self._renew_leases()
                await self.manager.recover_expired_leases()
            except Exception as exc:
                if not is_outage(exc):
                    raise  # a bug or a refusal: the worker stops rather than run on without leases
                log.error("worker_lease_renewal_failed", worker=self.name, error=safe_describe(exc), exc_info=exc)

    async def _renew_leases(self) -> None:
        ids = [*self._running, *self._unacked]
        held, cancel = await self.manager.renew_leases(self.name, ids)
        asked = set(ids)
        for job_id, entry in list(self._running.items()):
            if job_id not in asked:
                continue  # claimed while the renewal was in flight: its lease is brand new
            if job_id in cancel:
                self._stop_job(entry, "cancel")
            elif job_id not in held and entry.stop_reason is None:
                log.error("job_lease_lost", job_id=job_id, job_type=entry.job.job_type)
                self._stop_job(entry, "lease_lost")

    def _cancel(self, job_id: int) -> None:
        """An operator cancelled a job: stop it if it runs here."""
        entry = self._running.get(job_id)
        if entry is not None:
            self._stop_job(entry, "cancel")

    def _stop_job(self, entry: _Running, reason: str) -> None:
        if entry.stop_reason is None:
            entry.stop_reason = reason
            if entry.begun:
                entry.task.cancel()

    # --- shutdown ----------------------------------------------------------------------------

    async def _drain(self) -> None:
        """Let running jobs finish within the grace period; give the rest back to the queue."""
        entries = list(self._running.values())
        if not entries:
            return
        log.info("worker_draining", worker=self.name, running=len(entries), grace_s=self.config.shutdown_grace)
        _done, pending = await asyncio.wait([e.task for e in entries], timeout=self.config.shutdown_grace)
        unfinished = [e for e in entries if e.task in pending]
        for entry in unfinished:
            self._stop_job(entry, "shutdown")
        await asyncio.gather(*(e.task for e in unfinished), return_exceptions=True)
        if unfinished:
            released = await self.manager.release(self.name, [e.job.id for e in unfinished])
            log.warning("worker_released_unfinished", worker=self.name, items=released)
        self._running.clear()


async def _first(*aws: Awaitable[object], within: float | None = None) -> None:
    """Wait until the first of several awaitables is done; cancel the rest (not shared tasks)."""
    tasks = [asyncio.ensure_future(a) for a in aws]
    own = [t for a, t in zip(aws, tasks, strict=True) if t is not a]
    try:
        await asyncio.wait(tasks, timeout=within, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in own:
            task.cancel()


def _not_recorded(bound: structlog.typing.FilteringBoundLogger, error: Exception, db_error: Exception) -> str:
    """Log a job failure the database could not take (its stack included); the item comes back later."""
    bound.error(
        "job_failure_not_recorded", error=safe_describe(error), db_error=safe_describe(db_error), exc_info=error
    )
    return "failed"


def _lost_the_database(error: BaseException) -> bool:
    """The job failed because its database connection went away (a restart, a failover), not by itself.

    Only the database driver's own errors count: an adapter's network error wraps its cause too.
    """
    return isinstance(error, sa_exc.DBAPIError | asyncpg.PostgresError | asyncpg.InterfaceError) and is_outage(error)
