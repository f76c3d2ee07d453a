"""Runs the scheduler, a worker, the web server and the heartbeat; shuts down gracefully."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import signal
from collections.abc import Coroutine, Generator
from dataclasses import dataclass
from typing import Any, TypeVar

import structlog
import uvicorn

from airecruiter.bootstrap import Application, Wiring
from airecruiter.heartbeat import heartbeat_loop
from airecruiter.processors.scheduling import plan_pipeline
from airecruiter.queue.scheduler import Scheduler
from airecruiter.queue.tracebacks import safe_describe
from airecruiter.queue.worker import Worker, worker_name
from airecruiter.web.app import create_app

log = structlog.get_logger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Pieces:
    """Which parts of the service this process runs."""

    scheduler: bool = True
    worker: bool = True
    web: bool = True
    heartbeat: bool = True

    def wiring(self) -> Wiring:
        """What to build: Workday for the worker and the web, the pipeline's processors for the worker."""
        return Wiring(workday=self.worker or self.web, run_pipeline=self.worker)


def web_server_config(app: Any, *, host: str, port: int) -> uvicorn.Config:
    """uvicorn's settings for the web app.

    uvicorn's own proxy-header handling is off: it would believe X-Forwarded-For from 127.0.0.1
    whatever TRUSTED_PROXIES says, and let a local process pick the address the sign-in limits
    count. The app reads the header itself, from the proxies TRUSTED_PROXIES names.
    """
    return uvicorn.Config(
        app, host=host, port=port, log_config=None, access_log=False, lifespan="off", proxy_headers=False
    )


class _WebServer(uvicorn.Server):
    """uvicorn without its own signal handling: the service decides when to stop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def install_stop_signals(stop: asyncio.Event) -> None:
    """SIGTERM and SIGINT set `stop`; a second signal is ignored while we drain."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, _on_signal, sig, stop)


def _on_signal(sig: signal.Signals, stop: asyncio.Event) -> None:
    log.info("service_stopping", signal=sig.name)
    stop.set()


async def first_unless_stopped(coro: Coroutine[Any, Any, T], stop: asyncio.Event) -> T | None:
    """Run a start-up step; None if `stop` is set first (the step is cancelled and cleans up)."""
    step = asyncio.create_task(coro)
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait([step, stopper], return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
    if step.done():
        return step.result()
    step.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await step
    return None


async def run_service(runtime: Application, pieces: Pieces, stop: asyncio.Event) -> None:
    """Run the chosen pieces of a built application until `stop` is set, then stop each cleanly."""
    name = worker_name()
    tasks: list[asyncio.Task[Any]] = []

    def start(coro: Coroutine[Any, Any, Any], label: str) -> None:
        tasks.append(asyncio.create_task(coro, name=label))

    s = runtime.settings
    if stop.is_set():
        log.info("service_stopped_during_startup", stage="starting the pieces")
        return
    if pieces.worker:
        worker = Worker(
            runtime.queue, runtime.registry, runtime.worker_config(), name=name, on_activity=runtime.note_activity
        )
        start(worker.run(stop), "worker")
    if pieces.scheduler:
        scheduler = Scheduler(
            runtime.engine,
            runtime.queue,
            runtime.scheduler_config(),
            plan=functools.partial(plan_pipeline, calendar=s.notice_calendar),
            job_types=runtime.schedulable_job_types,
            name=name,
            on_activity=runtime.note_activity,
        )
        start(scheduler.run(stop), "scheduler")
    server = None
    if pieces.web:
        server = _WebServer(web_server_config(create_app(runtime), host=s.WEB_HOST, port=s.WEB_PORT))
        start(server.serve(), "web")
    if pieces.heartbeat:
        start(
            heartbeat_loop(s.HEARTBEAT_FILE, s.HEARTBEAT_INTERVAL, lambda: runtime.activity.latest, stop), "heartbeat"
        )
    log.info("service_started", pieces=[t.get_name() for t in tasks], web_port=s.WEB_PORT if server else None)
    crashed = await watch_pieces(tasks, stop)
    if server is not None:
        server.should_exit = True
    await asyncio.gather(*tasks, return_exceptions=True)
    log.info("service_stopped")
    if crashed:
        piece, error = crashed[0]
        raise RuntimeError(f"{piece} stopped unexpectedly: {safe_describe(error)}") from error


async def watch_pieces(tasks: list[asyncio.Task[Any]], stop: asyncio.Event) -> list[tuple[str, BaseException]]:
    """Wait until `stop` is set or a piece ends; then set `stop` so every other piece stops too.

    Each piece that crashed is logged with its class, stack and redacted message (the log's
    `exception` field), and returned with its error.
    """
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait([stopper, *tasks], return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
    crashed = [
        (task.get_name(), error)
        for task in tasks
        if task.done() and not task.cancelled() and (error := task.exception()) is not None
    ]
    for piece, error in crashed:
        log.error("service_piece_crashed", piece=piece, error=safe_describe(error), exc_info=error)
    stop.set()
    return crashed
