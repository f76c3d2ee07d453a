"""A service process for tests: the real service with test job types, configured by env.

Run as `python -m tests.integration.worker_process --worker|--scheduler`. Job types:
`sleepy` records its start and end in the activity log (with this process's pid) and sleeps
SLEEPY_SECONDS in between; `sync` and `analyze` do nothing (for scheduler tests); `suicidal`
records its start, then SIGKILLs its own process (a job that crashes its worker every time).
JOB_TYPES (comma-separated) limits the job types this process runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.bootstrap import Wiring, build
from airecruiter.cli.common import configure_logging
from airecruiter.config import load_settings
from airecruiter.db.activities import record_activity
from airecruiter.domain.activity_details import ActivityDetails
from airecruiter.queue.jobs import Job, Processor
from airecruiter.service import Pieces, install_stop_signals, run_service

_engine: list[AsyncEngine] = []


@dataclass(frozen=True, slots=True)
class TestJobStarted(ActivityDetails):
    ACTION: ClassVar[str] = "test_job_started"


@dataclass(frozen=True, slots=True)
class TestJobFinished(ActivityDetails):
    ACTION: ClassVar[str] = "test_job_finished"


async def sleepy(job: Job) -> None:
    async with _engine[0].begin() as conn:
        await record_activity(conn, actor=f"pid:{os.getpid()}", details=TestJobStarted(), queue_item_id=job.id)
    await asyncio.sleep(float(os.environ.get("SLEEPY_SECONDS", "1")))
    async with _engine[0].begin() as conn:
        await record_activity(conn, actor=f"pid:{os.getpid()}", details=TestJobFinished(), queue_item_id=job.id)


async def suicidal(job: Job) -> None:
    async with _engine[0].begin() as conn:
        await record_activity(conn, actor=f"pid:{os.getpid()}", details=TestJobStarted(), queue_item_id=job.id)
    os.kill(os.getpid(), signal.SIGKILL)


async def nothing(job: Job) -> None:
    return None


async def main(pieces: Pieces) -> None:
    settings = load_settings()
    configure_logging("json", "INFO")
    processors: dict[str, Processor] = {"sleepy": sleepy, "suicidal": suicidal, "sync": nothing, "analyze": nothing}
    if only := os.environ.get("JOB_TYPES"):
        processors = {name: processors[name] for name in only.split(",")}
    wiring = Wiring(workday=False, pipeline=False, run_pipeline=False, extra_processors=processors)
    runtime = await build(settings, wiring, migrate=False)
    _engine.append(runtime.engine)
    stop = asyncio.Event()
    install_stop_signals(stop)
    try:
        await run_service(runtime, pieces, stop)
    finally:
        await runtime.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--scheduler", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(Pieces(scheduler=args.scheduler, worker=args.worker, web=False, heartbeat=False)))
