"""The worker's wake-ups: LISTEN on the queue's channel for new items and an operator's cancels.

A notification only hastens what polling would find anyway: an enqueue wakes an idle worker at
once instead of at its next poll, and a cancel stops a running job before its next lease renewal
(which would see `cancel_requested` too). So the listener keeps reconnecting after a lost
connection, and gives up only on a refusal (a wrong role or database never fixes itself).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Collection

import asyncpg
import structlog

from airecruiter.db.connectivity import is_refusal
from airecruiter.queue.jobs import NOTIFY_CHANNEL
from airecruiter.queue.tracebacks import safe_describe

log = structlog.get_logger(__name__)

CANCEL_PREFIX = "cancel:"  # a payload `cancel:<item id>`; any other payload is a job type


class NotifyListener:
    """Holds a LISTEN connection of its own; calls `on_wake` for a wanted job type, `on_cancel(id)`."""

    def __init__(
        self,
        dsn: str,
        *,
        wanted: Collection[str],
        on_wake: Callable[[], None],
        on_cancel: Callable[[int], None],
        poll_interval: float,
        worker: str,
    ) -> None:
        self.dsn, self.wanted, self.poll_interval, self.worker = dsn, frozenset(wanted), poll_interval, worker
        self._on_wake, self._on_cancel = on_wake, on_cancel

    async def run(self) -> None:
        """Listen until cancelled, reconnecting after an outage; raise on a refusal."""
        while True:
            try:
                conn = await asyncpg.connect(self.dsn)
            except Exception as exc:
                if is_refusal(exc):
                    raise  # a wrong role or database never fixes itself
                log.error("worker_listen_connect_failed", error=safe_describe(exc), exc_info=exc)
                await asyncio.sleep(self.poll_interval)
                continue
            try:
                await self._listen_on(conn)
            except Exception as exc:
                log.warning("worker_listen_connection_lost", worker=self.worker, error=safe_describe(exc))
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.shield(conn.close(timeout=2))

    async def _listen_on(self, conn: asyncpg.Connection) -> None:
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        await conn.add_listener(NOTIFY_CHANNEL, self._on_notify)
        self._on_wake()  # items enqueued while we were not listening
        while not lost.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(lost.wait(), timeout=self.poll_interval)
            if not lost.is_set():
                await conn.execute("SELECT 1")  # notices a server that went away silently

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        if payload.startswith(CANCEL_PREFIX):
            self._on_cancel(int(payload.removeprefix(CANCEL_PREFIX)))
        elif payload in self.wanted:
            self._on_wake()
