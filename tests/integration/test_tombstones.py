"""Tombstones: the key that makes them, and what they hold (a keyed hash, never the Workday id)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.requisitions import requisition_by_id
from airecruiter.db.tombstones import add_tombstones, tombstone_key, tombstoned
from airecruiter.processors.sync import _sync_application
from airecruiter.queue.jobs import Job
from airecruiter.sandbox import seed
from airecruiter.services.erasure import erase_candidate
from tests.integration.erasure_fixtures import SECRET_KEY, dump, scalar, stores_of, with_stores
from tests.integration.pipeline_fixtures import Pipeline, application, synced


async def test_the_key_is_derived_from_the_secret_key(db: AsyncEngine) -> None:
    async with db.begin() as conn:
        derived = await tombstone_key(conn, SECRET_KEY)
        again = await tombstone_key(conn, SECRET_KEY)
        other = await tombstone_key(conn, SECRET_KEY[::-1])
    assert derived == again and len(derived) == 32 and other != derived


async def test_without_a_secret_key_one_random_key_is_kept_and_stays_in_use(db: AsyncEngine) -> None:
    async with db.begin() as conn:
        first = await tombstone_key(conn, None)
    async with db.begin() as conn:
        again = await tombstone_key(conn, None)
        after_a_secret_key_is_set = await tombstone_key(conn, SECRET_KEY)
    assert first == again == after_a_secret_key_is_set and len(first) == 32


async def test_a_tombstone_matches_its_application_id_and_does_not_hold_it(db: AsyncEngine) -> None:
    async with db.begin() as conn:
        key = await tombstone_key(conn, SECRET_KEY)
        await add_tombstones(conn, key=key, external_ids=["JA-000123"], reason="erasure")
        await add_tombstones(conn, key=key, external_ids=["JA-000123"], reason="retention")  # no duplicate
        found = await tombstoned(conn, key=key, external_ids=["JA-000123", "JA-000124"])
        other_key = await tombstoned(conn, key=b"x" * 32, external_ids=["JA-000123"])
    assert found == {"JA-000123"} and other_key == set()
    assert "ja-000123" not in (await dump(db))["tombstones"]


async def test_a_sync_that_read_an_application_before_its_erasure_does_not_bring_it_back(pipeline: Pipeline) -> None:
    """The race: a sync read the stored row, an erasure deleted it, then the sync writes what it read."""
    pipeline = with_stores(pipeline)
    rid = await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    before = await application(pipeline.db, "JA-000109")
    [from_workday] = [
        a
        async for a in pipeline.ctx.workday.applications(seed.DATA_ANALYST_REQUISITION_ID)
        if a.application_id == "JA-000109"
    ]
    from_workday = replace(from_workday, email="changed.in.workday@example.org")  # so the sync would write it
    async with pipeline.db.connect() as conn:
        requisition = await requisition_by_id(conn, requisition_id=rid)
    assert requisition is not None

    erased = await erase_candidate(
        pipeline.db, stores_of(pipeline), external_candidate_id="C000109", reason="Asked", actor="admin"
    )
    assert erased.status == "done"
    now = datetime.now(UTC)
    job = Job(id=0, job_type="sync", application_id=None, requisition_id=rid, priority=0, attempts=1,
              max_attempts=3, created_at=now, scheduled_for=now)  # fmt: skip

    outcome = await _sync_application(pipeline.ctx, job, requisition, from_workday, before, before.id)

    assert outcome == "tombstoned"
    assert (
        await scalar(pipeline.db, "SELECT count(*) FROM applications WHERE external_application_id = 'JA-000109'") == 0
    )
