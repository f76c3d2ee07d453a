"""Sync now and the settings save as the console and any other caller get them from services.requisitions."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.requisitions import RequisitionSettings
from airecruiter.errors import ValidationError
from airecruiter.queue.jobs import Priority
from airecruiter.queue.manager import QueueManager
from airecruiter.services import requisitions
from tests.conftest import make_requisitions
from tests.integration.conftest import activities, execute, scalar

ACTOR = "console:rita"


async def test_sync_now_queues_a_manual_sync_once_and_logs_each_request(db: AsyncEngine, queue: QueueManager) -> None:
    first_req, waiting_req = await make_requisitions(db, 2)
    first = await requisitions.sync_now(db, queue, requisition_id=first_req, actor=ACTOR)
    assert first.queued and first.message.startswith("Sync queued with manual priority")
    again = await requisitions.sync_now(db, queue, requisition_id=first_req, actor=ACTOR)
    assert not again.queued and "nothing more was added" in again.message
    scheduled = await queue.enqueue("sync", requisition_id=waiting_req, priority=Priority.SCHEDULED)
    lifted = await requisitions.sync_now(db, queue, requisition_id=waiting_req, actor=ACTOR)
    assert (lifted.queued, lifted.queue_item_id) == (False, scheduled.id)
    assert "already waiting" in lifted.message
    assert await scalar(db, "SELECT count(*) FROM queue_items WHERE priority = :p", p=int(Priority.MANUAL)) == 2
    logged = await activities(db, requisitions.SYNC_REQUESTED)
    assert [(e.actor, e.requisition_id, e.details["created"]) for e in logged] == [
        (ACTOR, first_req, True),
        (ACTOR, first_req, False),
        (ACTOR, waiting_req, False),
    ]


async def test_sync_now_refuses_an_inactive_or_missing_requisition_and_queues_nothing(
    db: AsyncEngine, queue: QueueManager
) -> None:
    [req] = await make_requisitions(db, 1)
    await execute(db, "UPDATE requisitions SET active = false WHERE id = :r", r=req)
    with pytest.raises(ValidationError, match="inactive"):
        await requisitions.sync_now(db, queue, requisition_id=req, actor=ACTOR)
    with pytest.raises(requisitions.RequisitionNotFoundError, match="There is no requisition 987654"):
        await requisitions.sync_now(db, queue, requisition_id=987_654, actor=ACTOR)
    assert await scalar(db, "SELECT count(*) FROM queue_items") == 0
    assert await activities(db, requisitions.SYNC_REQUESTED) == []


async def test_saving_settings_returns_what_changed_and_refuses_a_missing_requisition(db: AsyncEngine) -> None:
    [req] = await make_requisitions(db, 1)
    wanted = RequisitionSettings(
        auto_send_interview=True,
        auto_send_on_status="Screen",
        lookback_hours=48,
        min_sync_interval_minutes=30,
        active=True,
    )
    changes = await requisitions.save_settings(db, requisition_id=req, settings=wanted, actor=ACTOR)
    assert changes["auto_send_on_status"] == {"from": None, "to": "Screen"}
    assert await requisitions.save_settings(db, requisition_id=req, settings=wanted, actor=ACTOR) == {}
    with pytest.raises(requisitions.RequisitionNotFoundError, match="so nothing was saved"):
        await requisitions.save_settings(db, requisition_id=987_654, settings=wanted, actor=ACTOR)
