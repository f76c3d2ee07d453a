"""A worker whose side task dies stops cleanly instead of running on without it."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.engine import driver_dsn
from airecruiter.queue.jobs import Job
from airecruiter.queue.manager import QueueConfig, QueueManager
from airecruiter.queue.worker import Worker, WorkerConfig, WorkerSideTaskError
from tests.conftest import make_requisitions
from tests.integration.conftest import execute, fetch_item, job_runs
from tests.integration.processes import eventually, scalar


@pytest.fixture
async def listener_role(db: AsyncEngine) -> AsyncIterator[str]:
    """A login role of its own for the worker's LISTEN connection (so the test can lock it out)."""
    role = f"listener_{secrets.token_hex(4)}"
    await execute(db, f"CREATE ROLE {role} LOGIN")
    try:
        yield role
    finally:
        await execute(db, f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'")
        await execute(db, f"DROP ROLE IF EXISTS {role}")


async def test_a_listen_task_that_can_no_longer_log_in_stops_the_worker_and_gives_its_item_back(
    db: AsyncEngine, database_url: str, listener_role: str
) -> None:
    [requisition] = await make_requisitions(db, 1)
    queue = QueueManager(db, QueueConfig(lease_seconds=30))
    item = (await queue.enqueue("slow", requisition_id=requisition)).id
    started = asyncio.Event()

    async def slow(job: Job) -> None:
        started.set()
        await asyncio.sleep(120)

    listen_dsn = driver_dsn(make_url(database_url).set(username=listener_role, password=None).render_as_string())
    config = WorkerConfig(concurrency=2, poll_interval=0.2, shutdown_grace=0.2, listen_dsn=listen_dsn)
    worker = Worker(queue, {"slow": slow}, config)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        await asyncio.wait_for(started.wait(), timeout=30)

        async def listening() -> bool:
            return await scalar(db, "SELECT count(*) FROM pg_stat_activity WHERE usename = :r", r=listener_role) == 1

        await eventually(listening)
        # The role loses its login, then its connection: the listen task cannot come back.
        await execute(db, f"ALTER ROLE {listener_role} NOLOGIN")
        await execute(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r", r=listener_role)
        with pytest.raises(WorkerSideTaskError, match="listen task stopped"):
            await asyncio.wait_for(task, timeout=60)
    finally:
        stop.set()
        if not task.done():
            task.cancel()
    row = await fetch_item(db, item)
    assert (row.status, row.attempts) == ("pending", 0)  # given back, the attempt not counted
    assert [r.outcome for r in await job_runs(db, item)] == ["interrupted"]
    async with db.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM queue_items WHERE status = 'running'")) == 0


async def test_a_worker_whose_liveness_connection_dropped_registers_again_and_keeps_working(db: AsyncEngine) -> None:
    # As after a database restart: an outage is waited out, it does not stop the worker.
    queue = QueueManager(db, QueueConfig(lease_seconds=30))
    done = asyncio.Event()

    async def quick(job: Job) -> None:
        done.set()

    worker = Worker(queue, {"quick": quick}, WorkerConfig(poll_interval=0.2, liveness=True, liveness_interval=0.2))
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    holder = (
        "SELECT pid FROM pg_stat_activity"
        " WHERE application_name = 'airecruiter-worker-liveness' AND datname = current_database()"
    )
    try:

        async def registered() -> bool:
            return await scalar(db, holder) is not None and await scalar(db, "SELECT count(*) FROM queue_workers") == 1

        await eventually(registered)
        first = await scalar(db, holder)
        await execute(db, "SELECT pg_terminate_backend(:p)", p=first)

        async def registered_again() -> bool:
            pid = await scalar(db, holder)
            return pid is not None and pid != first and await scalar(db, "SELECT count(*) FROM queue_workers") == 1

        await eventually(registered_again)
        [requisition] = await make_requisitions(db, 1)
        await queue.enqueue("quick", requisition_id=requisition)
        await asyncio.wait_for(done.wait(), timeout=30)
        assert not task.done()
    finally:
        stop.set()
        await task
    assert await scalar(db, "SELECT count(*) FROM queue_workers") == 0  # a clean stop unregisters


async def test_behind_a_transaction_pooling_proxy_the_worker_holds_no_liveness_lock(db: AsyncEngine) -> None:
    # QUEUE_POLL_ONLY: a session lock would stay with the proxy's server connection, so leases alone recover.
    queue = QueueManager(db, QueueConfig(lease_seconds=30))
    done = asyncio.Event()

    async def quick(job: Job) -> None:
        done.set()

    config = WorkerConfig(poll_interval=0.2, poll_only=True, liveness=True, liveness_interval=0.2)
    worker = Worker(queue, {"quick": quick}, config)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        [requisition] = await make_requisitions(db, 1)
        await queue.enqueue("quick", requisition_id=requisition)
        await asyncio.wait_for(done.wait(), timeout=30)
        assert await scalar(db, "SELECT count(*) FROM queue_workers") == 0
    finally:
        stop.set()
        await task
