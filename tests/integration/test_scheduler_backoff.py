"""One cause, one visible problem: a job that keeps dying for the same reason is backed off, and
the dead letter groups its items with a count (real PostgreSQL, the real queue and scheduler)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.errors import ValidationError
from airecruiter.processors.scheduling import plan_pipeline
from airecruiter.queue.manager import QueueManager
from airecruiter.queue.operations import QueueOperations
from airecruiter.queue.scheduler import Scheduler, SchedulerConfig
from tests.integration.conftest import execute, scalar

WORKER = "worker-backoff"
REFUSAL = (
    "Workday refused Get_Job_Requisitions as invalid: Invalid ID value. '{0}' is not a valid ID value "
    "for type = Job_Requisition_Status_ID (at /bsvc:Get_Job_Requisitions_Request[1]/bsvc:Request_Criteria[1])."
)


def _scheduler(db: AsyncEngine, *, started_hours_ago: float = 2) -> Scheduler:
    """A scheduler that started a while ago (the tests move finished runs back in time)."""
    return Scheduler(
        db,
        QueueManager(db),
        SchedulerConfig(interval=5),
        plan=plan_pipeline,
        job_types=("sync",),
        name="backoff",
        started_at=datetime.now(UTC) - timedelta(hours=started_hours_ago),
    )


async def _tick_and_die(db: AsyncEngine, scheduler: Scheduler, value: str = "Open") -> int:
    """One scheduler tick; a worker claims what it enqueued and it dies of the refusal. Items that died."""
    queue = QueueManager(db)
    report = await scheduler.tick()
    died = 0
    for job in await queue.claim(WORKER, 10, ["sync"]):
        await queue.fail(
            job, ValidationError(REFUSAL.format(value)), worker=WORKER, started_at=datetime.now(UTC), duration_ms=3.0
        )
        died += 1
    assert report.periodic == died
    return died


async def _let_time_pass(db: AsyncEngine, seconds: int) -> None:
    await execute(db, f"UPDATE job_runs SET finished_at = finished_at - interval '{seconds} seconds'")


async def test_a_job_dying_for_the_same_reason_is_backed_off_doubling(db: AsyncEngine) -> None:
    scheduler = _scheduler(db)
    assert await _tick_and_die(db, scheduler) == 1
    # Before: every tick enqueued the list sync again and it died again.
    assert await _tick_and_die(db, scheduler) == 0
    assert await _tick_and_die(db, scheduler) == 0
    await _let_time_pass(db, 61)
    assert await _tick_and_die(db, scheduler, value="OPEN") == 1  # same reason, another quoted value
    await _let_time_pass(db, 61)
    assert await _tick_and_die(db, scheduler) == 0  # the second wait is two minutes
    await _let_time_pass(db, 60)
    assert await _tick_and_die(db, scheduler) == 1
    assert await scalar(db, "SELECT count(*) FROM queue_items WHERE status = 'dead'") == 3


async def test_a_restart_or_a_settings_change_ends_the_backoff(db: AsyncEngine) -> None:
    assert await _tick_and_die(db, _scheduler(db)) == 1
    await _let_time_pass(db, 1)
    restarted = _scheduler(db, started_hours_ago=0)
    assert await _tick_and_die(db, restarted) == 1
    assert await _tick_and_die(db, restarted) == 0
    await execute(
        db,
        "INSERT INTO settings (key, value_encrypted) VALUES ('workday.conventions', 'x')"
        " ON CONFLICT (key) DO UPDATE SET updated_at = now()",
    )
    assert await _tick_and_die(db, restarted) == 1


async def test_the_dead_letter_groups_failures_of_one_cause_with_a_count(db: AsyncEngine) -> None:
    scheduler = _scheduler(db)
    for value in ("Open", "OPEN", "Opened"):
        await _tick_and_die(db, scheduler, value)
        await _let_time_pass(db, 4000)
    groups = await QueueOperations(db).dead_letter_groups()
    assert [(g.identity.job_type, g.identity.error_class, g.count) for g in groups] == [("sync", "ValidationError", 3)]
    (group,) = groups
    assert "Job_Requisition_Status_ID" in group.sentence and "3 times" in group.sentence
    assert len(group.item_ids) == 3
