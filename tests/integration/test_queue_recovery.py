"""Lost workers: a dead worker's items come back at once, and lost leases have a budget of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.errors import LLMError
from airecruiter.queue.jobs import Job
from airecruiter.queue.manager import QueueConfig, QueueManager
from tests.conftest import make_requisitions
from tests.integration.conftest import OTHER_WORKER, WORKER, execute, fetch_item, job_runs


@pytest.fixture
async def lock_conn(db: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection of its own, as a worker keeps for its liveness lock."""
    conn = await db.connect()
    conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
    try:
        yield conn
    finally:
        await conn.invalidate()
        await conn.close()


async def _claimed(queue: QueueManager, worker: str, reqs: list[int]) -> list[Job]:
    for req in reqs:
        await queue.enqueue("sync", requisition_id=req)
    jobs = await queue.claim(worker, len(reqs), ["sync"])
    assert len(jobs) == len(reqs)
    return jobs


async def test_the_items_of_a_worker_whose_lock_connection_died_go_back_at_once(
    db: AsyncEngine, queue: QueueManager, lock_conn: AsyncConnection
) -> None:
    assert await queue.register_worker(WORKER, lock_conn)
    reqs = await make_requisitions(db, 3)
    mine = await _claimed(queue, WORKER, reqs[:2])
    unregistered = await _claimed(queue, OTHER_WORKER, reqs[2:])  # a worker without a lock: leases only
    assert await queue.recover_dead_workers() == 0  # alive: nothing happens
    assert (await fetch_item(db, mine[0].id)).status == "running"

    await lock_conn.invalidate()  # the connection ends, as when the process is SIGKILLed
    assert await queue.recover_dead_workers() == 2
    for job in mine:
        row = await fetch_item(db, job.id)
        assert (row.status, row.attempts, row.lost_leases, row.locked_by) == ("pending", 1, 1, None)
        assert row.last_error.startswith(f"WorkerLost: worker {WORKER} died")
        assert [(r.outcome, r.attempt, r.worker) for r in await job_runs(db, job.id)] == [("lost", 1, WORKER)]
    assert (await fetch_item(db, unregistered[0].id)).status == "running"  # its lease still holds it
    assert await queue.recover_dead_workers() == 0  # the dead worker's row is gone
    again = await queue.claim(OTHER_WORKER, 5, ["sync"])
    assert sorted((j.id, j.attempts, j.lost_leases) for j in again) == sorted((j.id, 2, 1) for j in mine)


async def test_a_database_restart_does_not_make_live_workers_look_dead(
    db: AsyncEngine, queue: QueueManager, lock_conn: AsyncConnection
) -> None:
    # Found by the chaos soak: after a restart every liveness lock is gone, and the first worker back
    # returned the items other live workers were still running (and counted a lost lease on each).
    assert await queue.register_worker(WORKER, lock_conn)
    [job] = await _claimed(queue, WORKER, await make_requisitions(db, 1))
    await lock_conn.invalidate()  # the server went away under it…
    # …and came back: the registration is older than the server's current start.
    await execute(
        db,
        "UPDATE queue_workers SET started_at = pg_postmaster_start_time() - interval '1 second' WHERE name = :w",
        w=WORKER,
    )
    just_restarted = QueueManager(db, QueueConfig(restart_grace_seconds=10**9))
    assert await just_restarted.recover_dead_workers() == 0
    row = await fetch_item(db, job.id)
    assert (row.status, row.lost_leases, row.locked_by) == ("running", 0, WORKER)

    # Long after the restart a worker that never registered again is dead after all.
    long_after = QueueManager(db, QueueConfig(restart_grace_seconds=0))
    assert await long_after.recover_dead_workers() == 1
    assert (await fetch_item(db, job.id)).status == "pending"


async def test_a_second_live_process_of_the_same_name_cannot_take_the_lock(
    db: AsyncEngine, queue: QueueManager, lock_conn: AsyncConnection
) -> None:
    assert await queue.register_worker(WORKER, lock_conn)
    async with db.connect() as other:
        other = await other.execution_options(isolation_level="AUTOCOMMIT")
        assert not await queue.register_worker(WORKER, other)
    await queue.unregister_worker(WORKER, lock_conn)
    assert await queue.recover_dead_workers() == 0


async def test_an_item_that_keeps_losing_its_worker_ends_in_the_dead_letter_with_a_reason(db: AsyncEngine) -> None:
    queue = QueueManager(db, QueueConfig(max_lost_leases=3))
    [job] = await _claimed(queue, WORKER, await make_requisitions(db, 1))
    for lost in (1, 2, 3):
        await execute(db, "UPDATE queue_items SET locked_until = now() - interval '1 second' WHERE id = :i", i=job.id)
        assert await queue.recover_expired_leases() == 1
        row = await fetch_item(db, job.id)
        assert row.lost_leases == lost
        if lost < 3:
            assert row.status == "pending"
            [job] = await queue.claim(WORKER, 1, ["sync"])
    assert row.status == "dead"
    assert row.last_error.startswith("LostWorker: the job lost its worker 3 times")
    assert "likely crashes the worker" in row.last_error
    assert [r.outcome for r in await job_runs(db, job.id)] == ["lost", "lost", "dead"]
    assert row.attempts == 3  # three runs started, none of them failed


async def test_lost_leases_do_not_use_up_the_attempts_an_error_is_allowed(db: AsyncEngine, queue: QueueManager) -> None:
    [job] = await _claimed(queue, WORKER, await make_requisitions(db, 1))
    for _ in range(2):
        await execute(db, "UPDATE queue_items SET locked_until = now() - interval '1 second' WHERE id = :i", i=job.id)
        await queue.recover_expired_leases()
        [job] = await queue.claim(WORKER, 1, ["sync"])
    assert (job.attempts, job.lost_leases, job.failures) == (3, 2, 1)
    decision = await queue.fail(
        job, LLMError("overloaded"), worker=WORKER, started_at=datetime.now(UTC), duration_ms=1.0
    )
    assert decision.retry  # the first failure of three allowed, though the third run
    assert (await fetch_item(db, job.id)).status == "failed"


async def test_an_operators_retry_gives_the_item_a_fresh_lost_lease_budget(db: AsyncEngine) -> None:
    from airecruiter.queue.operations import QueueOperations

    queue = QueueManager(db, QueueConfig(max_lost_leases=1))
    [job] = await _claimed(queue, WORKER, await make_requisitions(db, 1))
    await execute(db, "UPDATE queue_items SET locked_until = now() - interval '1 second' WHERE id = :i", i=job.id)
    await queue.recover_expired_leases()
    assert (await fetch_item(db, job.id)).status == "dead"
    await QueueOperations(db).retry(job.id, actor="admin:alice")
    row = await fetch_item(db, job.id)
    assert (row.status, row.attempts, row.lost_leases) == ("pending", 0, 0)
    async with db.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM queue_workers")) == 0
