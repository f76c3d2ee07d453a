"""`airecruiter run | worker | scheduler | web`: the whole service, or one piece of it."""

from __future__ import annotations

import asyncio

import typer

from airecruiter.bootstrap import Runtime
from airecruiter.cli.common import settings_or_exit, with_runtime
from airecruiter.service import Pieces, install_stop_signals, run_service


def _serve(pieces: Pieces) -> None:
    settings = settings_or_exit()

    async def action(runtime: Runtime) -> None:
        stop = asyncio.Event()
        install_stop_signals(stop)
        await run_service(runtime, pieces, stop)

    with_runtime(settings, action)


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
