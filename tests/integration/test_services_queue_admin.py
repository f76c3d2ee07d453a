"""Retry, skip and cancel as operators get them (services.queue_admin): the queue's change and its log entry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.errors import ParseError, ValidationError
from airecruiter.queue.jobs import Job, Priority
from airecruiter.queue.manager import QueueManager
from airecruiter.queue.operations import QueueOperations
from airecruiter.services import queue_admin
from tests.conftest import make_requisitions
from tests.integration.conftest import JOB_TYPES, WORKER, activities, fetch_item, job_runs, scalar


async def _claimed(db: AsyncEngine, queue: QueueManager, req: int | None = None) -> Job:
    """Enqueue a sync of a requisition (a new one unless given) and claim it."""
    if req is None:
        [req] = await make_requisitions(db, 1)
    result = await queue.enqueue("sync", requisition_id=req)
    [job] = await queue.claim(WORKER, 1, ["sync"])
    assert job.id == result.id
    return job


async def _dead(db: AsyncEngine, queue: QueueManager, req: int | None = None) -> Job:
    job = await _claimed(db, queue, req)
    await queue.fail(
        job, ParseError("résumé.pdf has no text layer"), worker=WORKER, started_at=datetime.now(UTC), duration_ms=12.5
    )
    return job


async def test_retry_of_a_dead_item_sends_it_to_the_front_of_the_queue(
    db: AsyncEngine, queue: QueueManager, ops: QueueOperations
) -> None:
    first_req, *others = await make_requisitions(db, 4)
    dead = await _dead(db, queue, first_req)
    for req in others:
        await queue.enqueue("sync", requisition_id=req, delay_seconds=-600)
    view = await queue_admin.retry(ops, dead.id, actor="admin:alice")
    assert (view.id, view.status, view.attempts, view.priority, view.enqueued_by) == (
        dead.id,
        "pending",
        0,
        Priority.MANUAL,
        "admin:alice",
    )
    [first] = await queue.claim(WORKER, 1, JOB_TYPES)
    assert (first.id, first.attempts) == (dead.id, 1)
    assert [r.outcome for r in await job_runs(db, dead.id)] == ["dead", "retried"]
    [entry] = await activities(db, "queue_item_retried")
    assert (entry.actor, entry.queue_item_id, entry.details["now_item"]) == ("admin:alice", dead.id, dead.id)


async def test_retry_when_the_same_work_is_queued_again_lifts_that_item(
    db: AsyncEngine, queue: QueueManager, ops: QueueOperations
) -> None:
    dead = await _dead(db, queue)
    live = await queue.enqueue("sync", requisition_id=dead.requisition_id, delay_seconds=600)
    assert live.created  # a dead item does not block new work for the same subject
    view = await queue_admin.retry(ops, dead.id, actor="admin:alice")
    assert (view.id, view.priority, view.status) == (live.id, Priority.MANUAL, "pending")
    assert await fetch_item(db, dead.id) is None  # no duplicate: the dead one is gone
    assert [r.outcome for r in await job_runs(db, dead.id)] == ["dead", "retried"]
    [entry] = await activities(db, "queue_item_retried")
    assert entry.details["now_item"] == live.id
    assert await scalar(db, "SELECT count(*) FROM queue_items") == 1


async def test_skip_ends_a_dead_item_and_records_why(
    db: AsyncEngine, queue: QueueManager, ops: QueueOperations
) -> None:
    dead = await _dead(db, queue)
    await queue_admin.skip(ops, dead.id, actor="admin:bob", reason="candidate withdrew")
    row = await fetch_item(db, dead.id)
    assert row.status == "skipped"
    assert [(r.outcome, r.worker, r.error) for r in await job_runs(db, dead.id)][-1] == (
        "skipped",
        "admin:bob",
        "candidate withdrew",
    )
    [entry] = await activities(db, "queue_item_skipped")
    # The operator's words stay in the item's history (above); the activity log holds no free text.
    assert (entry.actor, entry.queue_item_id, entry.details["reason_given"]) == ("admin:bob", dead.id, True)
    assert (await ops.counts())["skipped"] == 1
    # A skipped item can still be sent back by an operator who changes their mind.
    assert (await queue_admin.retry(ops, dead.id, actor="admin:bob")).status == "pending"


async def test_cancel_of_a_waiting_item_ends_it_as_skipped(
    db: AsyncEngine, queue: QueueManager, ops: QueueOperations
) -> None:
    [req] = await make_requisitions(db, 1)
    item = await queue.enqueue("sync", requisition_id=req, delay_seconds=600)
    assert (await queue_admin.cancel(ops, item.id, actor="admin:alice")).startswith("cancelled")
    row = await fetch_item(db, item.id)
    # Kept as skipped, so the scheduler does not bring the same job back by itself.
    assert (row.status, row.last_error) == ("skipped", "Cancelled: by an operator before it ran")
    assert [(r.outcome, r.worker) for r in await job_runs(db, item.id)] == [("cancelled", "admin:alice")]
    [entry] = await activities(db, "queue_item_cancelled")
    assert (entry.actor, entry.queue_item_id, entry.requisition_id, entry.details["was"]) == (
        "admin:alice",
        item.id,
        req,
        "pending",
    )
    # An operator can still queue the same work again at once.
    assert (await queue.enqueue("sync", requisition_id=req)).created


async def test_cancel_of_a_running_item_asks_its_worker_to_stop(
    db: AsyncEngine, queue: QueueManager, ops: QueueOperations
) -> None:
    job = await _claimed(db, queue)
    outcome = await queue_admin.cancel(ops, job.id, actor="admin:alice")
    assert outcome.startswith("cancel requested")
    row = await fetch_item(db, job.id)
    assert (row.status, row.cancel_requested) == ("running", True)
    held, cancel = await queue.renew_leases(WORKER, [job.id])
    assert (held, cancel) == ({job.id}, {job.id})
    assert await queue.finish_cancelled(job, worker=WORKER, duration_ms=3.0)
    row = await fetch_item(db, job.id)
    assert (row.status, row.cancel_requested, row.locked_by) == ("skipped", False, None)
    assert [r.outcome for r in await job_runs(db, job.id)] == ["cancelled"]
    assert len(await activities(db, "queue_item_cancelled")) == 1
    with pytest.raises(ValidationError, match="is skipped"):
        await queue_admin.cancel(ops, job.id, actor="admin:alice")
