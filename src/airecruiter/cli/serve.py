"""`airecruiter run | worker | scheduler | web`: the whole service, or one piece of it."""

from __future__ import annotations

import asyncio
import signal

import structlog
import typer

from airecruiter.bootstrap import build_runtime
from airecruiter.cli.common import run_command, settings_or_exit
from airecruiter.launcher import stop_during_startup
from airecruiter.service import Pieces, first_unless_stopped, install_stop_signals, run_service

log = structlog.get_logger(__name__)


def _serve(pieces: Pieces) -> None:
    # Until the event loop takes signals over, a SIGTERM is a clean exit (status 0).
    signal.signal(signal.SIGTERM, stop_during_startup)
    settings = settings_or_exit()

    async def main() -> None:
        stop = asyncio.Event()
        install_stop_signals(stop)
        # A configured database that is not up yet is waited for (SIGTERM still stops us).
        runtime = await first_unless_stopped(build_runtime(settings, wait_for_database=True), stop)
        if runtime is None:
            log.info("service_stopped_during_startup", stage="connecting to the database")
            return
        try:
            await run_service(runtime, pieces, stop)
        finally:
            await runtime.close()

    run_command(main())


def register(app: typer.Typer) -> None:
    """Add the serving commands to `app`."""

    @app.command()
    def run() -> None:
        """Run scheduler, worker, web server and heartbeat in one process."""
        _serve(Pieces())

    @app.command()
    def worker() -> None:
        """Run only a worker (start as many as you like, on any machine)."""
        _serve(Pieces(scheduler=False, web=False))

    @app.command()
    def scheduler() -> None:
        """Run only the scheduler (one leads at a time; others wait as stand-bys)."""
        _serve(Pieces(worker=False, web=False))

    @app.command()
    def web() -> None:
        """Run only the web server (health, metrics)."""
        _serve(Pieces(scheduler=False, worker=False, heartbeat=False))
