"""The worker in-process: concurrency, retries, timeouts, cancellation, wake-ups, acknowledgements."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.engine import driver_dsn
from airecruiter.errors import LLMError, NetworkError, ParseError
from airecruiter.queue.jobs import Job, NewJob, Processor
from airecruiter.queue.manager import QueueConfig, QueueManager
from airecruiter.queue.operations import QueueOperations
from airecruiter.queue.worker import Worker, WorkerConfig
from tests.conftest import make_requisitions
from tests.integration.processes import eventually, scalar


@asynccontextmanager
async def running_worker(
    db: AsyncEngine,
    registry: Mapping[str, Processor],
    *,
    listen_dsn: str | None = None,
    **config: object,
) -> AsyncIterator[Worker]:
    settings = {"concurrency": 3, "poll_interval": 0.2, "shutdown_grace": 5.0, **config}
    worker = Worker(
        QueueManager(db, QueueConfig(lease_seconds=5)), registry, WorkerConfig(listen_dsn=listen_dsn, **settings)
    )  # type: ignore[arg-type]
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        yield worker
    finally:
        stop.set()
        await task


async def _empty(db: AsyncEngine) -> bool:
    return await scalar(db, "SELECT count(*) FROM queue_items") == 0


async def test_runs_every_job_with_no_more_than_its_concurrency_at_once(db: AsyncEngine) -> None:
    subjects = await make_requisitions(db, 40)
    now_running, peak, seen = 0, 0, []

    async def job(j: Job) -> None:
        nonlocal now_running, peak
        now_running += 1
        peak = max(peak, now_running)
        await asyncio.sleep(0.01)
        seen.append(j.requisition_id)
        now_running -= 1

    await QueueManager(db).enqueue_many(NewJob("work", requisition_id=s) for s in subjects)
    async with running_worker(db, {"work": job}, concurrency=4):

        async def all_done() -> bool:
            return await _empty(db)

        await eventually(all_done)
    assert sorted(seen) == subjects
    assert peak == 4
    assert await scalar(db, "SELECT count(*) FROM job_runs WHERE outcome = 'completed'") == 40


async def test_a_transient_failure_is_retried_and_a_permanent_one_goes_to_the_dead_letter(db: AsyncEngine) -> None:
    flaky, broken = await make_requisitions(db, 2)
    calls: dict[int, int] = {}

    async def job(j: Job) -> None:
        assert j.requisition_id is not None
        calls[j.requisition_id] = calls.get(j.requisition_id, 0) + 1
        if j.requisition_id == broken:
            raise ParseError("the résumé is not a PDF")
        if calls[j.requisition_id] == 1:
            raise NetworkError("Workday timed out", retry_after=0.01)

    manager = QueueManager(db)
    flaky_id = (await manager.enqueue("work", requisition_id=flaky)).id
    broken_id = (await manager.enqueue("work", requisition_id=broken)).id
    async with running_worker(db, {"work": job}):

        async def settled() -> bool:
            return (
                await scalar(db, "SELECT count(*) FROM queue_items WHERE status = 'failed'") == 1
                and await scalar(db, "SELECT count(*) FROM queue_items WHERE status = 'dead'") == 1
            )

        await eventually(settled)
        # The retry is due in seconds (exponential backoff); bring it forward instead of waiting.
        await scalar(db, "UPDATE queue_items SET scheduled_for = now() WHERE id = :i RETURNING id", i=flaky_id)

        async def flaky_done() -> bool:
            return await scalar(db, "SELECT count(*) FROM queue_items WHERE id = :i", i=flaky_id) == 0

        await eventually(flaky_done)
    history = await QueueOperations(db).history(broken_id or 0)
    assert [(r.outcome, r.error) for r in history] == [("dead", "ParseError: the résumé is not a PDF")]
    assert calls == {flaky: 2, broken: 1}


async def test_a_job_over_its_time_limit_is_stopped_and_retried_as_a_timeout(db: AsyncEngine) -> None:
    [subject] = await make_requisitions(db, 1)

    async def slow(j: Job) -> None:
        await asyncio.sleep(30)

    item = (await QueueManager(db).enqueue("slow", requisition_id=subject)).id
    async with running_worker(db, {"slow": slow}, job_timeouts={"slow": 0.2}):

        async def failed() -> bool:
            return await scalar(db, "SELECT status FROM queue_items WHERE id = :i", i=item) == "failed"

        await eventually(failed)
    error = await scalar(db, "SELECT last_error FROM queue_items WHERE id = :i", i=item)
    assert error == "JobTimeoutError: slow ran longer than its 0.2 s limit"


async def test_cancelling_a_running_job_stops_it_and_records_the_cancellation(
    db: AsyncEngine,
    database_url: str,
) -> None:
    [subject] = await make_requisitions(db, 1)
    started, finished = asyncio.Event(), []

    async def long(j: Job) -> None:
        started.set()
        await asyncio.sleep(30)
        finished.append(j.id)

    item = (await QueueManager(db).enqueue("long", requisition_id=subject)).id
    assert item is not None
    async with running_worker(db, {"long": long}, listen_dsn=driver_dsn(database_url)):
        await asyncio.wait_for(started.wait(), 10)
        await QueueOperations(db).cancel(item, actor="tester")

        async def ended() -> bool:
            return await scalar(db, "SELECT status FROM queue_items WHERE id = :i", i=item) == "skipped"

        await eventually(ended)
    assert finished == []
    assert await scalar(db, "SELECT outcome FROM job_runs WHERE queue_item_id = :i", i=item) == "cancelled"


async def test_a_notification_wakes_an_idle_worker_long_before_its_next_poll(
    db: AsyncEngine,
    database_url: str,
) -> None:
    [subject] = await make_requisitions(db, 1)
    ran = asyncio.Event()

    async def job(j: Job) -> None:
        ran.set()

    async with running_worker(db, {"work": job}, poll_interval=300, listen_dsn=driver_dsn(database_url)):
        # Seen from the server: the worker listens, and its last claim came after that and found
        # nothing. From then on only the notification can wake it within the next 300 s.
        async def idle_after_listening() -> bool:
            return await _idle_after_listening(db)

        await eventually(idle_after_listening)
        await QueueManager(db).enqueue("work", requisition_id=subject)
        await asyncio.wait_for(ran.wait(), timeout=30)


async def _idle_after_listening(db: AsyncEngine) -> bool:
    # The claim connection stays checked out, so its last statement (the claim) stays in view.
    return bool(
        await scalar(
            db,
            "SELECT EXISTS (SELECT FROM pg_stat_activity c, pg_stat_activity l"
            " WHERE c.datname = current_database() AND l.datname = current_database()"
            " AND l.query ILIKE 'LISTEN %' AND l.state = 'idle'"
            " AND c.query LIKE '%SKIP LOCKED%' AND c.state = 'idle'"
            " AND c.query_start > l.state_change AND c.state_change < now() - interval '0.2 seconds')",
        )
    )


async def test_poll_only_mode_finds_work_without_listen(db: AsyncEngine) -> None:
    [subject] = await make_requisitions(db, 1)
    ran = asyncio.Event()

    async def job(j: Job) -> None:
        ran.set()

    async with running_worker(db, {"work": job}, poll_only=True, poll_interval=0.2):
        await QueueManager(db).enqueue("work", requisition_id=subject)
        await asyncio.wait_for(ran.wait(), timeout=30)


async def test_a_worker_leaves_job_types_it_cannot_run_in_the_queue(db: AsyncEngine) -> None:
    a, b = await make_requisitions(db, 2)
    manager = QueueManager(db)
    await manager.enqueue("known", requisition_id=a)
    foreign = (await manager.enqueue("foreign", requisition_id=b)).id

    async def job(j: Job) -> None:
        return None

    async with running_worker(db, {"known": job}):

        async def known_done() -> bool:
            return await scalar(db, "SELECT count(*) FROM queue_items") == 1

        await eventually(known_done)
    assert await scalar(db, "SELECT status FROM queue_items WHERE id = :i", i=foreign) == "pending"


async def test_lease_renewals_racing_fresh_claims_never_stop_or_strand_a_job(db: AsyncEngine) -> None:
    # Renewals every half second while one slot claims a new item every few milliseconds: a job
    # claimed while a renewal is in flight must not be taken for one whose lease was lost.
    subjects = await make_requisitions(db, 1500)
    ran: list[int] = []

    async def quick(j: Job) -> None:
        await asyncio.sleep(0.002)
        ran.append(j.id)

    await QueueManager(db).enqueue_many(NewJob("quick", requisition_id=s) for s in subjects)
    worker = Worker(
        QueueManager(db, QueueConfig(lease_seconds=1.5)),
        {"quick": quick},
        WorkerConfig(concurrency=1, poll_interval=0.2),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:

        async def all_done() -> bool:
            return await _empty(db)

        await eventually(all_done, within=60)
    finally:
        stop.set()
        await task
    assert len(ran) == len(set(ran)) == 1500
    assert await scalar(db, "SELECT count(*) FROM job_runs WHERE outcome <> 'completed'") == 0


async def test_a_job_that_loses_the_database_is_not_charged_a_failure_for_it(db: AsyncEngine) -> None:
    # A database restart mid-job is the deployment's outage, not the job's failure: it must not
    # spend the attempts of the next error's policy (three for an LLM error), as a lost lease does not.
    [subject] = await make_requisitions(db, 1)
    calls = 0

    async def job(j: Job) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            lost = ConnectionResetError("connection reset by peer")
            raise DBAPIError("SELECT 1", None, lost, connection_invalidated=True)
        if calls <= 3:
            raise LLMError("The model is overloaded.")

    item_id = (await QueueManager(db).enqueue("work", requisition_id=subject)).id
    async with running_worker(db, {"work": job}):

        async def done() -> bool:
            # Retries are due in seconds (exponential backoff); bring them forward instead of waiting.
            async with db.begin() as conn:
                await conn.execute(text("UPDATE queue_items SET scheduled_for = now() WHERE status = 'failed'"))
            return (
                await scalar(db, "SELECT count(*) FROM queue_items WHERE id = :i AND status <> 'dead'", i=item_id) == 0
            )

        await eventually(done, within=20)
    history = await QueueOperations(db).history(item_id or 0)
    assert [r.outcome for r in history] == ["lost", "failed", "failed", "completed"]
    assert "connection reset by peer" in (history[0].error or "")
