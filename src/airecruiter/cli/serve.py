"""`airecruiter run | worker | scheduler | web`: the whole service, or one piece of it."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys

import structlog
import typer

from airecruiter.bootstrap import Application, build, open_database
from airecruiter.cli.common import run_command, settings_or_exit
from airecruiter.config import Settings
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
        gc.disable()  # as while importing (see launcher.py): the start-up builds, it hardly frees
        try:
            application = await _start(settings, pieces, stop)
        finally:
            # What the start-up built lives until the end: frozen, the collector never walks it again.
            gc.freeze()
            gc.enable()
        if application is None:
            return
        try:
            await run_service(application, pieces, stop)
        finally:
            await application.aclose()

    run_command(main())
    exit_at_once()


def exit_at_once() -> None:
    """Exit with status 0 now that the service stopped cleanly: everything is closed, the log flushed.

    The interpreter's own teardown (finalising every module and object the start-up created:
    SDK clients, templates, the web app) took 5–11 s after `service_stopped` on a busy machine,
    seconds an orchestrator waits for before it can start the next process; it has nothing left
    to do here.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


async def _start(settings: Settings, pieces: Pieces, stop: asyncio.Event) -> Application | None:
    """The application for `pieces`; None when SIGTERM or SIGINT came first (nothing is left open)."""
    # A configured database that is not up yet is waited for (SIGTERM still stops us).
    database = await first_unless_stopped(open_database(settings, wait=True), stop)
    if database is None:
        log.info("service_stopped_during_startup", stage="connecting to the database")
        return None
    try:
        application = await first_unless_stopped(build(settings, pieces.wiring(), database=database), stop)
    except BaseException:
        await database.aclose()
        raise
    if application is None:
        await database.aclose()
        log.info("service_stopped_during_startup", stage="connecting Workday")
    return application


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
