"""An item's life after the claim: completion, failure and retry, the dead letter, operator
actions, leases, graceful release, and the history an operator reads afterwards."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.errors import (
    NetworkError,
    ParseError,
    ValidationError,
    WorkdayRateLimitError,
)
from airecruiter.queue.jobs import Job, Priority
from airecruiter.queue.manager import Finished, QueueManager
from airecruiter.queue.operations import ItemAction, QueueOperations
from airecruiter.queue.retry import RetryDecision
from tests.conftest import make_requisitions
from tests.integration.conftest import (
    JOB_TYPES,
    OTHER_WORKER,
    WORKER,
    execute,
    fetch_item,
    job_runs,
    scalar,
)


async def _claimed(db: AsyncEngine, queue: QueueManager, req: int | None = None) -> Job:
    """Enqueue a sync of a requisition (a new one unless given) and claim it."""
    if req is None:
        [req] = await make_requisitions(db, 1)
    result = await queue.enqueue("sync", requisition_id=req)
    [job] = await queue.claim(WORKER, 1, ["sync"])
    assert job.id == result.id
    return job


async def _fail(queue: QueueManager, job: Job, error: BaseException, worker: str = WORKER) -> RetryDecision:
    return await queue.fail(job, error, worker=worker, started_at=datetime.now(UTC), duration_ms=12.5)


async def _make_due(db: AsyncEngine, item_id: int) -> None:
    """Let time pass: the item's retry is due now."""
    await execute(db, "UPDATE queue_items SET scheduled_for = now() WHERE id = :id", id=item_id)


async def _dead(db: AsyncEngine, queue: QueueManager, req: int | None = None) -> Job:
    job = await _claimed(db, queue, req)
    await _fail(queue, job, ParseError("résumé.pdf has no text layer"))
    return job


# --- completion and failure ----------------------------------------------------------------------


async def test_complete_many_deletes_items_and_records_completed_runs(db: AsyncEngine, queue: QueueManager) -> None:
    reqs = await make_requisitions(db, 3)
    for req in reqs:
        await queue.enqueue("sync", requisition_id=req)
    jobs = await queue.claim(WORKER, 3, JOB_TYPES)
    started = datetime.now(UTC)
    done = await queue.complete_many(WORKER, [Finished(j.id, started, 40.0 + i) for i, j in enumerate(jobs)])
    assert done == {j.id for j in jobs}
    assert await scalar(db, "SELECT count(*) FROM queue_items") == 0
    runs = await job_runs(db)
    assert sorted((r.queue_item_id, r.outcome, r.attempt, r.worker, r.requisition_id) for r in runs) == sorted(
        (j.id, "completed", 1, WORKER, j.requisition_id) for j in jobs
    )
    assert sorted(r.duration_ms for r in runs) == [40.0, 41.0, 42.0]
    # Acknowledging twice, or someone else's job, changes nothing.
    assert await queue.complete_many(WORKER, [Finished(jobs[0].id, started, 1.0)]) == set()
    assert await queue.complete_many(WORKER, []) == set()
    assert len(await job_runs(db)) == 3


async def test_failure_schedules_a_retry_at_retry_priority(db: AsyncEngine, queue: QueueManager) -> None:
    job = await _claimed(db, queue)
    decision = await _fail(queue, job, WorkdayRateLimitError("429 Too Many Requests", retry_after=120))
    assert decision.retry and decision.delay_seconds == 120
    row = await fetch_item(db, job.id)
    assert (row.status, row.priority, row.attempts, row.max_attempts) == ("failed", Priority.RETRY, 1, 10)
    assert 60 < row.due_in <= 120
    assert row.locked_by is None and row.locked_until is None
    assert row.last_error == "WorkdayRateLimitError: 429 Too Many Requests"
    assert [(r.outcome, r.attempt, r.error) for r in await job_runs(db, job.id)] == [
        ("failed", 1, "WorkdayRateLimitError: 429 Too Many Requests")
    ]
    assert await queue.claim(WORKER, 5, JOB_TYPES) == []  # not before its time
    await _make_due(db, job.id)
    [again] = await queue.claim(WORKER, 5, JOB_TYPES)
    assert (again.id, again.attempts, again.priority) == (job.id, 2, Priority.RETRY)


async def test_the_schedule_queueing_the_same_work_again_keeps_a_retrys_backoff(
    db: AsyncEngine, queue: QueueManager
) -> None:
    # Found by the chaos soak: the scheduler re-enqueues every pass, and each time it pulled the
    # failed item's retry forward to now, so three attempts were spent within seconds of an outage.
    job = await _claimed(db, queue)
    await _fail(queue, job, WorkdayRateLimitError("429 Too Many Requests", retry_after=120))
    scheduled = await queue.enqueue("sync", requisition_id=job.requisition_id, priority=Priority.SCHEDULED)
    assert not scheduled.created
    row = await fetch_item(db, job.id)
    assert row.status == "failed" and 60 < row.due_in <= 120
    assert await queue.claim(WORKER, 5, JOB_TYPES) == []  # still not before its time

    # An admin's "sync now" is another matter: it runs at once.
    await queue.enqueue("sync", requisition_id=job.requisition_id, priority=Priority.MANUAL)
    [again] = await queue.claim(WORKER, 5, JOB_TYPES)
    assert (again.id, again.attempts) == (job.id, 2)


async def test_failing_the_last_attempt_buries_the_item(db: AsyncEngine, queue: QueueManager) -> None:
    job = await _claimed(db, queue)
    for attempt in (1, 2):
        decision = await _fail(queue, job, RuntimeError(f"surprise {attempt}"))
        assert decision.retry
        await _make_due(db, job.id)
        [job] = await queue.claim(WORKER, 1, JOB_TYPES)
    decision = await _fail(queue, job, RuntimeError("surprise 3"))
    assert not decision.retry
    row = await fetch_item(db, job.id)
    assert (row.status, row.attempts, row.last_error) == ("dead", 3, "RuntimeError: surprise 3")
    assert await queue.claim(WORKER, 5, JOB_TYPES) == []
    assert [(r.outcome, r.attempt) for r in await job_runs(db, job.id)] == [("failed", 1), ("failed", 2), ("dead", 3)]


async def test_an_error_class_brings_its_own_attempt_budget(db: AsyncEngine, queue: QueueManager) -> None:
    job = await _claimed(db, queue)
    await _fail(queue, job, NetworkError("Workday did not answer"))
    # QUEUE_MAX_ATTEMPTS is 3, but a network error may be tried 5 times.
    assert (await fetch_item(db, job.id)).max_attempts == 5


@pytest.mark.parametrize(
    "error", [ParseError("résumé.pdf has no text layer"), ValidationError("candidate email is missing")]
)
async def test_parse_and_validation_errors_are_dead_at_once(
    db: AsyncEngine, queue: QueueManager, error: Exception
) -> None:
    job = await _claimed(db, queue)
    decision = await _fail(queue, job, error)
    assert not decision.retry
    row = await fetch_item(db, job.id)
    assert (row.status, row.attempts) == ("dead", 1)
    assert row.last_error == f"{type(error).__name__}: {error}"


async def test_a_worker_that_lost_the_item_cannot_fail_it(db: AsyncEngine, queue: QueueManager) -> None:
    job = await _claimed(db, queue)
    await _fail(queue, job, ParseError("x"), worker=OTHER_WORKER)
    assert (await fetch_item(db, job.id)).status == "running"
    assert await job_runs(db) == []


async def test_a_very_long_error_is_cut_to_4000_characters(db: AsyncEngine, queue: QueueManager) -> None:
    job = await _claimed(db, queue)
    await _fail(queue, job, ValidationError("x" * 10_000))
    last_error = (await fetch_item(db, job.id)).last_error
    assert last_error.startswith("ValidationError: xxx") and len(last_error) == 4000


# --- dead letter: retry and skip -----------------------------------------------------------------


async def test_only_ended_items_can_be_retried_and_only_dead_ones_skipped(
    db: AsyncEngine, queue: QueueManager, ops: QueueOperations
) -> None:
    job = await _claimed(db, queue)
    with pytest.raises(ValidationError, match="running"):
        await ops.retry(job.id, actor="admin:alice")
    with pytest.raises(ValidationError, match="running"):
        await ops.skip(job.id, actor="admin:alice")
    with pytest.raises(ValidationError, match="does not exist"):
        await ops.retry(999_999, actor="admin:alice")


async def test_the_queue_logs_nothing_itself_and_a_failing_audit_undoes_the_action(
    db: AsyncEngine, queue: QueueManager, ops: QueueOperations
) -> None:
    dead = await _dead(db, queue)

    async def broken_audit(conn: AsyncConnection, done: ItemAction) -> None:
        assert (done.item.id, done.item.status, done.action) == (dead.id, "dead", "skipped")
        raise RuntimeError("the activity log is unavailable")

    with pytest.raises(RuntimeError, match="unavailable"):
        await ops.skip(dead.id, actor="admin:bob", audit=broken_audit)
    assert (await fetch_item(db, dead.id)).status == "dead"  # the skip and its record go together
    done = await ops.skip(dead.id, actor="admin:bob")
    assert (done.item.id, done.action) == (dead.id, "skipped")
    assert (await fetch_item(db, dead.id)).status == "skipped"
    assert await scalar(db, "SELECT count(*) FROM activities") == 0  # generic: the caller audits


# --- cancel --------------------------------------------------------------------------------------


async def test_a_cancel_still_wins_when_the_job_fails_before_its_worker_sees_it(
    db: AsyncEngine, queue: QueueManager, ops: QueueOperations
) -> None:
    job = await _claimed(db, queue)
    await ops.cancel(job.id, actor="admin:alice")
    await queue.fail(
        job, NetworkError("Workday timed out"), worker=WORKER, started_at=datetime.now(UTC), duration_ms=1.0
    )
    await execute(db, "UPDATE queue_items SET scheduled_for = now()")
    assert await queue.claim(OTHER_WORKER, 5, ["sync"]) == []  # never runs again
    await queue.recover_expired_leases()  # every worker's lease loop sweeps these
    row = await fetch_item(db, job.id)
    assert (row.status, row.cancel_requested) == ("skipped", False)
    assert [r.outcome for r in await job_runs(db, job.id)] == ["failed", "cancelled"]


# --- leases --------------------------------------------------------------------------------------


async def test_renew_leases_extends_only_the_workers_own_leases(db: AsyncEngine, queue: QueueManager) -> None:
    job = await _claimed(db, queue)
    await execute(db, "UPDATE queue_items SET locked_until = now() + interval '2 seconds'")
    assert await queue.renew_leases(OTHER_WORKER, [job.id]) == (set(), set())
    assert (await fetch_item(db, job.id)).lease_left <= 2
    assert await queue.renew_leases(WORKER, [job.id, 999_999]) == ({job.id}, set())
    assert 30 < (await fetch_item(db, job.id)).lease_left <= 60
    assert await queue.renew_leases(WORKER, []) == (set(), set())


async def test_an_expired_lease_returns_the_item_to_the_queue(db: AsyncEngine, queue: QueueManager) -> None:
    job = await _claimed(db, queue)
    await execute(db, "UPDATE queue_items SET locked_until = now() - interval '1 second'")
    assert await queue.recover_expired_leases() == 1
    row = await fetch_item(db, job.id)
    assert (row.status, row.attempts, row.locked_by) == ("pending", 1, None)
    assert row.last_error.startswith(f"LeaseExpired: worker {WORKER}")
    [run] = await job_runs(db, job.id)
    assert (run.outcome, run.attempt, run.worker) == ("lost", 1, WORKER)
    # The lost worker can no longer acknowledge it; another worker runs it again.
    assert await queue.complete_many(WORKER, [Finished(job.id, datetime.now(UTC), 1.0)]) == set()
    [again] = await queue.claim(OTHER_WORKER, 1, JOB_TYPES)
    assert (again.id, again.attempts) == (job.id, 2)
    assert await queue.recover_expired_leases() == 0  # a live lease is left alone


async def test_an_expired_lease_on_the_last_attempt_does_not_bury_the_item(
    db: AsyncEngine, queue: QueueManager
) -> None:
    # A lost lease is not a failed attempt (it has a budget of its own, see test_queue_recovery).
    job = await _claimed(db, queue)
    await execute(db, "UPDATE queue_items SET attempts = max_attempts, locked_until = now() - interval '1 second'")
    assert await queue.recover_expired_leases() == 1
    row = await fetch_item(db, job.id)
    assert (row.status, row.attempts, row.lost_leases) == ("pending", row.max_attempts, 1)
    assert [r.outcome for r in await job_runs(db, job.id)] == ["lost"]


async def test_release_gives_items_back_without_counting_the_attempt(db: AsyncEngine, queue: QueueManager) -> None:
    reqs = await make_requisitions(db, 2)
    for req in reqs:
        await queue.enqueue("sync", requisition_id=req)
    jobs = await queue.claim(WORKER, 2, JOB_TYPES)
    assert await queue.release(OTHER_WORKER, [j.id for j in jobs]) == 0
    assert await queue.release(WORKER, [j.id for j in jobs]) == 2
    assert await queue.release(WORKER, []) == 0
    for job in jobs:
        row = await fetch_item(db, job.id)
        assert (row.status, row.attempts, row.locked_by) == ("pending", 0, None)
        assert [(r.outcome, r.attempt) for r in await job_runs(db, job.id)] == [("interrupted", 1)]
    again = await queue.claim(OTHER_WORKER, 2, JOB_TYPES)
    assert sorted((j.id, j.attempts) for j in again) == sorted((j.id, 1) for j in jobs)


# --- what an operator reads ----------------------------------------------------------------------


async def test_counts_has_every_state(db: AsyncEngine, queue: QueueManager, ops: QueueOperations) -> None:
    assert await ops.counts() == {"pending": 0, "running": 0, "failed": 0, "dead": 0, "skipped": 0}
    reqs = await make_requisitions(db, 6)
    for req in reqs:
        await queue.enqueue("sync", requisition_id=req)
    jobs = await queue.claim(WORKER, 4, JOB_TYPES)
    await _fail(queue, jobs[0], NetworkError("timed out"))
    await _fail(queue, jobs[1], ParseError("unreadable"))
    await _fail(queue, jobs[2], ParseError("unreadable"))
    await ops.skip(jobs[2].id, actor="admin:alice")
    assert await ops.counts() == {"pending": 2, "running": 1, "failed": 1, "dead": 1, "skipped": 1}


async def test_history_lists_every_attempt_in_order(db: AsyncEngine, queue: QueueManager, ops: QueueOperations) -> None:
    job = await _claimed(db, queue)
    await _fail(queue, job, NetworkError("timed out"))
    await _make_due(db, job.id)
    [job] = await queue.claim(WORKER, 1, JOB_TYPES)
    await queue.release(WORKER, [job.id])
    [job] = await queue.claim(WORKER, 1, JOB_TYPES)
    await _fail(queue, job, ParseError("unreadable"))
    await ops.retry(job.id, actor="admin:alice")
    [job] = await queue.claim(WORKER, 1, JOB_TYPES)
    await queue.complete_many(WORKER, [Finished(job.id, datetime.now(UTC), 5.0)])
    history = await ops.history(job.id)
    assert [(h.outcome, h.attempt) for h in history] == [
        ("failed", 1),
        ("interrupted", 2),
        ("dead", 2),
        ("retried", 2),
        ("completed", 1),
    ]
    assert history[0].error == "NetworkError: timed out"
    assert [h.worker for h in history] == [WORKER, WORKER, WORKER, "admin:alice", WORKER]
    assert await ops.history(999_999) == []


async def test_prune_job_runs_deletes_only_old_history(
    db: AsyncEngine, queue: QueueManager, ops: QueueOperations
) -> None:
    reqs = await make_requisitions(db, 4)
    for req in reqs:
        await queue.enqueue("sync", requisition_id=req)
    jobs = await queue.claim(WORKER, 4, JOB_TYPES)
    await queue.complete_many(WORKER, [Finished(j.id, datetime.now(UTC), 1.0) for j in jobs])
    await execute(
        db,
        "UPDATE job_runs SET finished_at = now() - interval '31 days'"
        " WHERE queue_item_id = ANY(CAST(:ids AS bigint[]))",
        ids=[jobs[0].id, jobs[1].id],
    )
    await execute(
        db, "UPDATE job_runs SET finished_at = now() - interval '29 days' WHERE queue_item_id = :id", id=jobs[2].id
    )
    assert await ops.prune_job_runs(older_than_days=30) == 2
    assert sorted(r.queue_item_id for r in await job_runs(db)) == sorted([jobs[2].id, jobs[3].id])
    assert await ops.prune_job_runs(older_than_days=30) == 0
