"""The composition root runs the six pipeline processors, and the real worker and scheduler drive them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.bootstrap import Application, Wiring, build
from airecruiter.config import Settings, load_settings
from airecruiter.db.prompts import seed_default_prompts
from airecruiter.processors.registry import PIPELINE_JOB_TYPES
from airecruiter.processors.scheduling import plan_pipeline
from airecruiter.queue.jobs import Job
from airecruiter.queue.scheduler import Scheduler, SchedulerConfig
from airecruiter.queue.worker import Worker, WorkerConfig
from airecruiter.sandbox import seed
from tests.integration.conftest import execute
from tests.integration.pipeline_fixtures import live_jobs, rows
from tests.integration.processes import eventually, free_port


async def _nothing(job: Job) -> None:
    return None


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The test database, a private sandbox tenant and the twins in a temp data dir."""
    return load_settings(
        DATABASE_URL=database_url,
        AIRECRUITER_DATA_DIR=tmp_path,
        WORKDAY_SANDBOX_PORT=0,
        FRONTEND_URL="https://jobs.example.test",
    )


@pytest.fixture
async def runtime(db: AsyncEngine, settings: Settings) -> AsyncIterator[Application]:
    """The service's application on the test database, as a process running every piece builds it."""
    await seed_default_prompts(db)
    built = await build(settings, migrate=False)
    try:
        yield built
    finally:
        await built.aclose()


async def test_build_registers_the_six_processors_for_a_worker_and_plans_them_for_a_scheduler(
    runtime: Application, settings: Settings
) -> None:
    scheduler_only = await build(settings, Wiring(workday=False, run_pipeline=False), migrate=False)
    try:
        assert scheduler_only.registry == {}
        assert scheduler_only.schedulable_job_types == set(PIPELINE_JOB_TYPES)  # it plans for workers elsewhere
        assert scheduler_only.pipeline is None and scheduler_only.workday_connection is None
    finally:
        await scheduler_only.aclose()
    context = runtime.pipeline
    assert context is not None and context.workday is runtime.workday
    assert context.frontend_url == "https://jobs.example.test"
    # a pipeline worker also runs fairness checks of prompt versions
    assert sorted(runtime.registry) == sorted((*PIPELINE_JOB_TYPES, "fairness_check"))
    assert runtime.schedulable_job_types == {*PIPELINE_JOB_TYPES, "fairness_check"}
    assert runtime.workday_probe is runtime.workday  # the health endpoint probes the same client


async def test_extra_job_types_join_the_pipeline_but_may_not_replace_one(
    database_url: str,
    tmp_path: Path,
    db: AsyncEngine,
) -> None:
    port = free_port()
    settings = load_settings(DATABASE_URL=database_url, AIRECRUITER_DATA_DIR=tmp_path, WORKDAY_SANDBOX_PORT=port)
    with pytest.raises(ValueError, match="'sync' is registered twice"):
        await build(settings, Wiring(extra_processors={"sync": _nothing}), migrate=False)
    # The failed build stopped the sandbox tenant it had started for its Workday client.
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient(timeout=5) as http:
            await http.get(f"http://127.0.0.1:{port}/_sandbox/settings")
    alone = await build(
        settings,
        Wiring(workday=False, pipeline=False, run_pipeline=False, extra_processors={"demo": _nothing}),
        migrate=False,
    )
    try:
        assert alone.pipeline is None
        assert alone.schedulable_job_types == {"demo"}
    finally:
        await alone.aclose()


async def test_the_worker_and_scheduler_take_a_requisition_from_sync_to_analysis(runtime: Application) -> None:
    scheduler = Scheduler(
        runtime.engine,
        runtime.queue,
        SchedulerConfig(),
        plan=plan_pipeline,
        job_types=runtime.schedulable_job_types,
        name="test",
    )
    worker = Worker(runtime.queue, runtime.registry, WorkerConfig(concurrency=3, poll_interval=0.1), name="test")
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    try:

        async def queue_drained() -> bool:
            return not await live_jobs(runtime.engine)

        await scheduler.tick()  # the requisition list first
        await eventually(queue_drained)
        await execute(
            runtime.engine, "UPDATE requisitions SET active = (external_id = :e)", e=seed.SUPPORT_LEAD_REQUISITION_ID
        )
        await scheduler.tick()  # the open requisition is due: its sync queues each analysis
        await eventually(queue_drained, within=60)
    finally:
        stop.set()
        await running
    statuses = {
        r.external_application_id: r.status
        for r in await rows(runtime.engine, "SELECT external_application_id, status FROM applications")
    }
    assert statuses.pop(seed.IMAGE_ONLY_APPLICATION_ID) == "new"
    assert set(statuses.values()) == {"analyzed"} and len(statuses) == 4
    [dead] = await rows(runtime.engine, "SELECT job_type, attempts, last_error FROM queue_items WHERE status = 'dead'")
    assert (dead.job_type, dead.attempts) == ("analyze", 1)  # a parse error is never retried
    assert dead.last_error.startswith("ParseError: ") and "scan" in dead.last_error.lower()
    await scheduler.tick()  # the dead letter waits for an operator: nothing is queued again
    assert not [j for j in await live_jobs(runtime.engine) if j[0] != "sync"]
