"""Dead-worker detection: each worker holds a liveness lock; others return a dead one's items at once.

The lock is a session-level advisory lock on a connection the worker keeps for the purpose;
PostgreSQL frees it the moment that connection ends, which is the moment a SIGKILLed worker's
socket closes. Every second each worker sweeps for registered workers whose lock is gone and
returns their running items to the queue, so per-type caps free up in about a second instead of
a lease period. Behind a transaction-pooling proxy (QUEUE_POLL_ONLY) session locks mean nothing,
so the worker does not register and leases alone recover its items.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.connectivity import is_outage
from airecruiter.queue import statements as sql
from airecruiter.queue.manager import QueueManager
from airecruiter.queue.tracebacks import safe_describe

log = structlog.get_logger(__name__)


class WorkerNameTakenError(RuntimeError):
    """Another live worker process registered under the same name."""


class Liveness:
    """Holds one worker's liveness lock and sweeps for dead workers every `interval` seconds."""

    def __init__(self, manager: QueueManager, worker: str, *, interval: float = 1.0) -> None:
        self.manager, self.worker, self.interval = manager, worker, interval
        self.registered = asyncio.Event()

    async def run(self) -> None:
        """Hold the lock until cancelled; reconnect and re-register after losing the database.

        An outage is waited out; anything else (the name taken, the database refusing us) ends the
        task with its error, and the worker stops.
        """
        delay = 0.5
        while True:
            conn: AsyncConnection | None = None
            try:
                conn = await self._register()
                delay = 0.5
                while True:
                    await self.manager.recover_dead_workers(conn)
                    await asyncio.sleep(self.interval)
            except asyncio.CancelledError:
                if conn is not None and self.registered.is_set():
                    with contextlib.suppress(Exception):
                        await asyncio.shield(self.manager.unregister_worker(self.worker, conn))
                raise
            except Exception as exc:
                if not is_outage(exc):
                    raise
                self.registered.clear()
                log.warning(
                    "worker_liveness_lost", worker=self.worker, error=safe_describe(exc), retry_in_s=delay, exc_info=exc
                )
            finally:
                if conn is not None:
                    await asyncio.shield(_discard(conn))
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def _register(self) -> AsyncConnection:
        conn = await self.manager.engine.connect()
        try:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            # The lock must die with this worker, not linger in the pool: never give this connection back.
            await conn.execute(sql.NAME_LIVENESS_CONNECTION)
            if not await self.manager.register_worker(self.worker, conn):
                raise WorkerNameTakenError(
                    f"Another live worker process is registered as {self.worker!r}; "
                    "give each worker process a unique name."
                )
        except BaseException:
            await asyncio.shield(_discard(conn))
            raise
        self.registered.set()
        log.info("worker_liveness_registered", worker=self.worker)
        return conn


async def _discard(conn: AsyncConnection) -> None:
    """Close the lock's connection for good (invalidated, so the pool opens a fresh one next time)."""
    with contextlib.suppress(Exception):
        await conn.invalidate()
    with contextlib.suppress(Exception):
        await conn.close()
