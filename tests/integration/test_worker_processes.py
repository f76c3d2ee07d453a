"""Worker processes: a SIGKILLed worker loses nothing; SIGTERM drains and gives work back."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.queue.manager import QueueManager
from tests.conftest import make_requisitions
from tests.integration.processes import eventually, scalar, start_process, stop_process

pytestmark = pytest.mark.slow
WORKER = ["-m", "tests.integration.worker_process", "--worker"]


def _env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "QUEUE_LEASE_SECONDS": "2",
        "QUEUE_POLL_INTERVAL": "0.3",
        "QUEUE_JOB_LIMITS": "",
        "WORKDAY_SANDBOX_PORT": "0",  # a private sandbox: these workers never call Workday
        **extra,
    }


async def _count(db: AsyncEngine, action: str, item_id: int) -> int:
    return int(
        await scalar(
            db, "SELECT count(*) FROM activities WHERE action = :a AND queue_item_id = :i", a=action, i=item_id
        )
    )  # type: ignore[call-overload]


async def test_a_job_whose_worker_is_killed_completes_later_in_another_worker_exactly_once(
    db: AsyncEngine,
    database_url: str,
    tmp_path: Path,
) -> None:
    [requisition] = await make_requisitions(db, 1)
    item = (await QueueManager(db).enqueue("sleepy", requisition_id=requisition)).id
    assert item is not None
    doomed = start_process(WORKER, env=_env(database_url, SLEEPY_SECONDS="60"), log_file=tmp_path / "a.log")
    try:

        async def started_in_doomed() -> bool:
            return await _count(db, "test_job_started", item) == 1

        await eventually(started_in_doomed)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
    finally:
        if doomed.poll() is None:
            doomed.kill()
    assert await scalar(db, "SELECT status FROM queue_items WHERE id = :i", i=item) == "running"

    rescuer = start_process(WORKER, env=_env(database_url, SLEEPY_SECONDS="0.1"), log_file=tmp_path / "b.log")
    try:

        async def gone() -> bool:
            return await scalar(db, "SELECT count(*) FROM queue_items WHERE id = :i", i=item) == 0

        await eventually(gone, within=45)
    finally:
        assert stop_process(rescuer) == 0

    assert await _count(db, "test_job_started", item) == 2  # once in each worker
    assert await _count(db, "test_job_finished", item) == 1  # finished exactly once
    outcomes = await scalar(
        db,
        "SELECT string_agg(outcome || '@' || attempt, ',' ORDER BY id) FROM job_runs WHERE queue_item_id = :i",
        i=item,
    )
    assert outcomes == "lost@1,completed@2"
    finished_by = await scalar(db, "SELECT actor FROM activities WHERE action = 'test_job_finished'")
    assert finished_by == f"pid:{rescuer.pid}"


async def test_sigterm_lets_a_running_job_finish_within_the_grace_period(
    db: AsyncEngine,
    database_url: str,
    tmp_path: Path,
) -> None:
    [requisition] = await make_requisitions(db, 1)
    item = (await QueueManager(db).enqueue("sleepy", requisition_id=requisition)).id
    assert item is not None
    proc = start_process(
        WORKER, env=_env(database_url, SLEEPY_SECONDS="1.5", QUEUE_SHUTDOWN_GRACE="20"), log_file=tmp_path / "w.log"
    )

    async def started() -> bool:
        return await _count(db, "test_job_started", item) == 1

    await eventually(started)
    assert stop_process(proc) == 0
    assert await _count(db, "test_job_finished", item) == 1
    assert await scalar(db, "SELECT count(*) FROM queue_items") == 0
    assert await scalar(db, "SELECT outcome FROM job_runs WHERE queue_item_id = :i", i=item) == "completed"


async def test_sigterm_gives_unfinished_work_back_to_the_queue(
    db: AsyncEngine,
    database_url: str,
    tmp_path: Path,
) -> None:
    [requisition] = await make_requisitions(db, 1)
    item = (await QueueManager(db).enqueue("sleepy", requisition_id=requisition)).id
    assert item is not None
    proc = start_process(
        WORKER, env=_env(database_url, SLEEPY_SECONDS="60", QUEUE_SHUTDOWN_GRACE="0.5"), log_file=tmp_path / "w.log"
    )

    async def started() -> bool:
        return await _count(db, "test_job_started", item) == 1

    await eventually(started)
    assert stop_process(proc) == 0
    state = await scalar(db, "SELECT status || '/' || attempts FROM queue_items WHERE id = :i", i=item)
    assert state == "pending/0"  # back in the queue, the interrupted attempt not counted
    assert await scalar(db, "SELECT outcome FROM job_runs WHERE queue_item_id = :i", i=item) == "interrupted"
    assert await _count(db, "test_job_finished", item) == 0


async def test_a_killed_workers_capped_items_are_started_by_another_worker_without_waiting_for_the_lease(
    db: AsyncEngine,
    database_url: str,
    tmp_path: Path,
) -> None:
    requisitions = await make_requisitions(db, 2)
    items = [(await QueueManager(db).enqueue("sleepy", requisition_id=r)).id for r in requisitions]
    # Leases far longer than the test may take: only the dead-worker sweep can free the cap.
    capped = {"QUEUE_LEASE_SECONDS": "600", "QUEUE_JOB_LIMITS": "sleepy=2", "SLEEPY_SECONDS": "120"}
    doomed = start_process(WORKER, env=_env(database_url, **capped), log_file=tmp_path / "a.log")
    rescuer = None
    try:

        async def both_started_in_doomed() -> bool:
            return all([await _count(db, "test_job_started", i) == 1 for i in items if i is not None])

        await eventually(both_started_in_doomed)
        rescuer = start_process(
            WORKER, env=_env(database_url, **{**capped, "SLEEPY_SECONDS": "0.1"}), log_file=tmp_path / "b.log"
        )

        async def rescuer_registered() -> bool:
            return await scalar(db, "SELECT count(*) FROM queue_workers") == 2

        await eventually(rescuer_registered)
        assert await scalar(db, "SELECT count(*) FROM queue_items WHERE status = 'running'") == 2  # cap full
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)

        async def all_done() -> bool:
            return await scalar(db, "SELECT count(*) FROM queue_items") == 0

        await eventually(all_done, within=60)
    finally:
        if doomed.poll() is None:
            doomed.kill()
        if rescuer is not None:
            assert stop_process(rescuer) == 0
    for item in items:
        runs = await scalar(
            db,
            "SELECT string_agg(outcome || '@' || attempt || ':' || split_part(coalesce(error, ''), ':', 1), ','"
            " ORDER BY id) FROM job_runs WHERE queue_item_id = :i",
            i=item,
        )
        assert runs == "lost@1:WorkerLost,completed@2:"  # found dead, not left to its lease
        assert await _count(db, "test_job_finished", item) == 1
    assert await scalar(db, "SELECT count(*) FROM queue_workers") == 0  # the dead one swept, the other left


async def test_a_job_that_kills_its_worker_every_time_ends_in_the_dead_letter(
    db: AsyncEngine,
    database_url: str,
    tmp_path: Path,
) -> None:
    [requisition] = await make_requisitions(db, 1)
    item = (await QueueManager(db).enqueue("suicidal", requisition_id=requisition)).id
    env = _env(database_url, QUEUE_LEASE_SECONDS="600", QUEUE_MAX_LOST_LEASES="2")
    # A worker that never runs the job but sweeps for dead workers.
    keeper = start_process(WORKER, env={**env, "JOB_TYPES": "sleepy"}, log_file=tmp_path / "keeper.log")
    try:
        for run in (1, 2):
            victim = start_process(WORKER, env=env, log_file=tmp_path / f"victim{run}.log")
            assert victim.wait(timeout=60) == -signal.SIGKILL

            async def recovered(run: int = run) -> bool:
                return await scalar(db, "SELECT lost_leases FROM queue_items WHERE id = :i", i=item) == run

            await eventually(recovered, within=30)
    finally:
        assert stop_process(keeper) == 0
    row = await scalar(
        db, "SELECT status || '/' || attempts || '/' || last_error FROM queue_items WHERE id = :i", i=item
    )
    assert str(row).startswith("dead/2/LostWorker: the job lost its worker 2 times")
    assert await _count(db, "test_job_started", item) == 2
