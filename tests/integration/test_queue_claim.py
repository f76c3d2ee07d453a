"""Enqueueing and claiming against real PostgreSQL: claim order, racing claimers, per-type caps,
and enqueue's transactions, batches and dedupe. (The claim's query plans: test_queue_claim_plans.)"""

from __future__ import annotations

import asyncio
import random

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.errors import LLMError
from airecruiter.migrations.sqlscript import split_statements
from airecruiter.queue.jobs import NewJob, Priority
from airecruiter.queue.manager import Finished, QueueConfig, QueueManager
from tests.conftest import make_requisitions
from tests.integration.conftest import JOB_TYPES, WORKER, execute, fetch_item, scalar

# --- claim order ---------------------------------------------------------------------------------


@pytest.mark.parametrize("limits", [None, {"sync": 10}], ids=["uncapped", "sync-capped"])
@pytest.mark.parametrize("batch", [1, 2, 10])
async def test_claim_order_is_priority_then_due_time_then_id(
    db: AsyncEngine, batch: int, limits: dict[str, int] | None
) -> None:
    queue = QueueManager(db, QueueConfig(job_limits=limits))
    r = await make_requisitions(db, 8)
    ids: dict[str, int | None] = {}
    ids["scheduled_30s_ago"] = (await queue.enqueue("sync", requisition_id=r[0], delay_seconds=-30)).id
    ids["retry_5min_ago"] = (
        await queue.enqueue("sync", requisition_id=r[1], delay_seconds=-300, priority=Priority.RETRY)
    ).id
    ids["manual_now"] = (await queue.enqueue("sync", requisition_id=r[2], priority=Priority.MANUAL)).id
    # Two items enqueued by one statement are due at the same instant: the older id goes first.
    await queue.enqueue_many(
        [
            NewJob("analyze", requisition_id=r[3], delay_seconds=-60),
            NewJob("analyze", requisition_id=r[4], delay_seconds=-60),
        ]
    )
    async with db.connect() as conn:
        first, second = (
            await conn.execute(
                text("SELECT id FROM queue_items WHERE requisition_id IN (:a, :b) ORDER BY id"), {"a": r[3], "b": r[4]}
            )
        ).scalars()
    # Not due yet, whatever their priority.
    await queue.enqueue("sync", requisition_id=r[5], delay_seconds=3600, priority=Priority.MANUAL)
    await queue.enqueue("sync", requisition_id=r[6], delay_seconds=3600)

    claimed: list[int] = []
    while jobs := await queue.claim(WORKER, batch, JOB_TYPES):
        assert len(jobs) <= batch
        claimed += [job.id for job in jobs]

    assert claimed == [ids["manual_now"], first, second, ids["scheduled_30s_ago"], ids["retry_5min_ago"]]


async def test_future_item_is_claimable_once_due(db: AsyncEngine, queue: QueueManager) -> None:
    [req] = await make_requisitions(db, 1)
    item = await queue.enqueue("sync", requisition_id=req, delay_seconds=600)
    assert await queue.claim(WORKER, 5, JOB_TYPES) == []
    await execute(db, "UPDATE queue_items SET scheduled_for = now() - interval '1 second'")
    [job] = await queue.claim(WORKER, 5, JOB_TYPES)
    assert job.id == item.id


async def test_claim_takes_only_the_job_types_asked_for(db: AsyncEngine, queue: QueueManager) -> None:
    [req] = await make_requisitions(db, 1)
    await queue.enqueue("sync", requisition_id=req)
    analyze = await queue.enqueue("analyze", requisition_id=req)
    assert [j.id for j in await queue.claim(WORKER, 5, ["analyze", "evaluate"])] == [analyze.id]
    assert await queue.claim(WORKER, 5, []) == []
    assert await queue.claim(WORKER, 0, JOB_TYPES) == []


async def test_claimed_item_is_running_under_a_lease(db: AsyncEngine, queue: QueueManager) -> None:
    [req] = await make_requisitions(db, 1)
    await queue.enqueue("sync", requisition_id=req)
    [job] = await queue.claim(WORKER, 1, JOB_TYPES)
    assert (job.job_type, job.requisition_id, job.attempts, job.max_attempts) == ("sync", req, 1, 3)
    row = await fetch_item(db, job.id)
    assert (row.status, row.locked_by, row.attempts) == ("running", WORKER, 1)
    assert 30 < row.lease_left <= 60
    assert await queue.claim(WORKER, 1, JOB_TYPES) == []  # a running item is not claimed again


# --- racing claimers -----------------------------------------------------------------------------


async def _claim_until_empty(manager: QueueManager, name: str, limit: int) -> list[int]:
    """Claim and acknowledge until nothing claimable is left; the ids this claimer got."""
    got: list[int] = []
    while True:
        jobs = await manager.claim(name, limit, JOB_TYPES)
        if jobs:
            got += [job.id for job in jobs]
            now = jobs[0].created_at
            await manager.complete_many(name, [Finished(j.id, now, 1.0) for j in jobs])
        elif not await scalar(manager.engine, "SELECT count(*) FROM queue_items WHERE status = 'pending'"):
            return got
        await asyncio.sleep(0)


async def test_concurrent_claimers_never_share_an_item_and_together_take_all(db: AsyncEngine) -> None:
    reqs = await make_requisitions(db, 100)
    created = await QueueManager(db).enqueue_many(
        NewJob(job_type, requisition_id=r) for r in reqs for job_type in JOB_TYPES[:5]
    )
    assert created == 500
    names = [f"claimer-{i}" for i in range(8)]
    results = await asyncio.gather(
        *(_claim_until_empty(QueueManager(db), name, limit=1 + i % 5) for i, name in enumerate(names))
    )

    every = [item for got in results for item in got]
    assert len(every) == len(set(every)) == 500
    async with db.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM queue_items")) == 0
        runs = (await conn.execute(text("SELECT queue_item_id, worker, attempt, outcome FROM job_runs"))).all()
    assert len(runs) == 500
    owner = {item: name for name, got in zip(names, results, strict=True) for item in got}
    assert all(run.outcome == "completed" and run.attempt == 1 for run in runs)
    assert all(owner[run.queue_item_id] == run.worker for run in runs)
    assert sum(1 for got in results if got) > 1  # the work really was shared


async def test_job_limit_caps_a_single_claim(db: AsyncEngine) -> None:
    reqs = await make_requisitions(db, 10)
    manager = QueueManager(db, QueueConfig(job_limits={"sync": 2}))
    await manager.enqueue_many(NewJob("sync", requisition_id=r) for r in reqs)
    await manager.enqueue("analyze", requisition_id=reqs[0], delay_seconds=-60)
    jobs = await manager.claim(WORKER, 10, JOB_TYPES)
    assert sorted(j.job_type for j in jobs) == ["analyze", "sync", "sync"]
    assert await manager.claim("other", 10, ["sync"]) == []
    first_sync = next(j for j in jobs if j.job_type == "sync")
    await manager.complete_many(WORKER, [Finished(first_sync.id, first_sync.created_at, 1.0)])
    assert [j.job_type for j in await manager.claim("other", 10, ["sync"])] == ["sync"]


# A guard in the database itself: any claim that leaves more than two sync items running fails,
# so a breach cannot slip between the watcher's samples.
_CAP_GUARD = """
CREATE FUNCTION test_sync_cap_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM queue_items WHERE job_type = 'sync' AND status = 'running') > 2 THEN
        RAISE EXCEPTION 'more than 2 sync jobs running at once';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER test_sync_cap_guard AFTER UPDATE ON queue_items
    FOR EACH STATEMENT EXECUTE FUNCTION test_sync_cap_guard();
"""


async def test_job_limit_holds_while_many_claimers_race(db: AsyncEngine) -> None:
    reqs = await make_requisitions(db, 40)
    await QueueManager(db).enqueue_many(NewJob(t, requisition_id=r) for r in reqs for t in ("sync", "analyze"))
    async with db.begin() as conn:
        for statement in split_statements(_CAP_GUARD):
            await conn.exec_driver_sql(statement)
    seen_running: list[int] = []
    done = asyncio.Event()

    async def watch() -> None:
        while not done.is_set():
            seen_running.append(
                await scalar(db, "SELECT count(*) FROM queue_items WHERE job_type = 'sync' AND status = 'running'")
            )
            await asyncio.sleep(0.001)

    async def claimer(name: str, limit: int) -> None:
        manager = QueueManager(db, QueueConfig(job_limits={"sync": 2}))
        rng = random.Random(name)
        while True:
            jobs = await manager.claim(name, limit, JOB_TYPES)
            if not jobs:
                if not await scalar(db, "SELECT count(*) FROM queue_items"):
                    return
                await asyncio.sleep(0.002)
                continue
            await asyncio.sleep(rng.uniform(0.001, 0.01))  # "run" the jobs
            await manager.complete_many(name, [Finished(j.id, j.created_at, 1.0) for j in jobs])

    watcher = asyncio.create_task(watch())
    try:
        await asyncio.gather(*(claimer(f"claimer-{i}", 1 + i % 3) for i in range(8)))
    finally:
        done.set()
        await watcher
        async with db.begin() as conn:
            await conn.exec_driver_sql("DROP TRIGGER test_sync_cap_guard ON queue_items")
            await conn.exec_driver_sql("DROP FUNCTION test_sync_cap_guard()")
    assert max(seen_running) <= 2
    assert await scalar(db, "SELECT count(*) FROM job_runs WHERE outcome = 'completed'") == 80


@pytest.mark.parametrize("capped", [{"sync": 2}, {"sync": 2, "analyze": 4}])
async def test_claim_order_holds_across_capped_and_uncapped_job_types(db: AsyncEngine, capped: dict[str, int]) -> None:
    reqs = await make_requisitions(db, 6)
    manager = QueueManager(db, QueueConfig(job_limits=capped))
    await manager.enqueue_many(NewJob("sync", requisition_id=r) for r in reqs[:3])
    await manager.enqueue_many(NewJob("analyze", requisition_id=r) for r in reqs[:3])
    # An operator's "do it now" on an uncapped job type goes ahead of the scheduled backlog.
    manual = await manager.enqueue("upload_report", requisition_id=reqs[5], priority=Priority.MANUAL)
    [first] = await manager.claim(WORKER, 1, JOB_TYPES)
    assert first.id == manual.id


# --- enqueue -------------------------------------------------------------------------------------


class _Abandon(Exception):
    pass


async def test_enqueue_joins_the_callers_transaction(db: AsyncEngine, queue: QueueManager) -> None:
    [req] = await make_requisitions(db, 1)
    with pytest.raises(_Abandon):
        async with db.begin() as conn:
            result = await queue.enqueue("sync", requisition_id=req, conn=conn)
            assert result.created
            raise _Abandon
    assert await scalar(db, "SELECT count(*) FROM queue_items") == 0

    async with db.begin() as conn:
        await conn.execute(text("UPDATE requisitions SET name = 'Renamed' WHERE id = :id"), {"id": req})
        result = await queue.enqueue("sync", requisition_id=req, conn=conn)
        # Until the caller commits, no worker can see (or claim) the item.
        assert await queue.claim(WORKER, 5, JOB_TYPES) == []
    [job] = await queue.claim(WORKER, 5, JOB_TYPES)
    assert job.id == result.id


async def test_enqueue_many_skips_duplicates(db: AsyncEngine, queue: QueueManager) -> None:
    r1, r2 = await make_requisitions(db, 2)
    batch = [
        NewJob("sync", requisition_id=r1),
        NewJob("sync", requisition_id=r1),
        NewJob("sync", requisition_id=r2),
        NewJob("sync", requisition_id=r2, priority=Priority.MANUAL),
        NewJob("analyze", requisition_id=r1),
        NewJob("sync"),
        NewJob("sync"),  # no subject: one per job type
    ]
    assert await queue.enqueue_many(batch) == 4
    assert await queue.enqueue_many(batch) == 0
    assert await queue.enqueue_many([*batch, NewJob("evaluate", requisition_id=r2)]) == 1
    assert await queue.enqueue_many([]) == 0
    async with db.connect() as conn:
        rows = (await conn.execute(text("SELECT job_type, requisition_id, priority FROM queue_items"))).all()
    assert sorted(map(tuple, rows), key=str) == sorted(
        [
            ("sync", r1, Priority.SCHEDULED),
            ("sync", r2, Priority.MANUAL),  # the higher one wins
            ("analyze", r1, Priority.SCHEDULED),
            ("sync", None, Priority.SCHEDULED),
            ("evaluate", r2, Priority.SCHEDULED),
        ],
        key=str,
    )


async def test_concurrent_enqueues_of_the_same_work_leave_one_live_item(db: AsyncEngine) -> None:
    [req] = await make_requisitions(db, 1)
    results = await asyncio.gather(*(QueueManager(db).enqueue("analyze", requisition_id=req) for _ in range(30)))
    assert sum(r.created for r in results) == 1
    assert await scalar(db, "SELECT count(*) FROM queue_items") == 1


async def test_overlapping_batches_enqueued_at_once_neither_deadlock_nor_duplicate(
    db: AsyncEngine,
) -> None:
    reqs = await make_requisitions(db, 100)
    jobs = [NewJob(t, requisition_id=r) for r in reqs for t in ("sync", "analyze")]

    async def enqueue_shuffled(seed: int) -> int:
        batch = jobs[:]
        random.Random(seed).shuffle(batch)
        return await QueueManager(db).enqueue_many(batch)

    created = await asyncio.gather(*(enqueue_shuffled(seed) for seed in range(8)))
    assert sum(created) == 200
    assert await scalar(db, "SELECT count(*) FROM queue_items") == 200


async def test_manual_enqueue_raises_the_priority_of_the_live_item(db: AsyncEngine, queue: QueueManager) -> None:
    r1, r2 = await make_requisitions(db, 2)
    scheduled = await queue.enqueue("sync", requisition_id=r1, delay_seconds=600)
    await queue.enqueue("sync", requisition_id=r2)
    manual = await queue.enqueue("sync", requisition_id=r1, priority=Priority.MANUAL, enqueued_by="admin:alice")
    assert (manual.id, manual.created) == (scheduled.id, False)
    row = await fetch_item(db, scheduled.id)
    assert (row.priority, row.enqueued_by) == (Priority.MANUAL, "admin:alice")
    assert row.due_in <= 0  # "do it now" does not wait for the original delay
    # A later scheduled enqueue neither duplicates nor lowers it.
    again = await queue.enqueue("sync", requisition_id=r1)
    assert again.id is None and not again.created
    assert (await fetch_item(db, scheduled.id)).priority == Priority.MANUAL
    [first, _] = await queue.claim(WORKER, 2, JOB_TYPES)
    assert first.id == scheduled.id


async def test_manual_enqueue_lifts_a_failed_item_waiting_for_its_retry(db: AsyncEngine, queue: QueueManager) -> None:
    [req] = await make_requisitions(db, 1)
    item = await queue.enqueue("sync", requisition_id=req)
    [job] = await queue.claim(WORKER, 1, JOB_TYPES)
    await queue.fail(job, LLMError("overloaded"), worker=WORKER, started_at=job.created_at, duration_ms=5.0)
    assert await queue.claim(WORKER, 1, JOB_TYPES) == []
    await queue.enqueue("sync", requisition_id=req, priority=Priority.MANUAL)
    [again] = await queue.claim(WORKER, 1, JOB_TYPES)
    assert (again.id, again.attempts, again.priority) == (item.id, 2, Priority.MANUAL)


async def test_enqueue_leaves_a_running_item_alone(db: AsyncEngine, queue: QueueManager) -> None:
    [req] = await make_requisitions(db, 1)
    await queue.enqueue("sync", requisition_id=req)
    [job] = await queue.claim(WORKER, 1, JOB_TYPES)
    result = await queue.enqueue("sync", requisition_id=req, priority=Priority.MANUAL)
    assert result.id is None
    row = await fetch_item(db, job.id)
    assert (row.status, row.priority) == ("running", Priority.SCHEDULED)
    assert await scalar(db, "SELECT count(*) FROM queue_items") == 1
