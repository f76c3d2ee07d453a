"""The daily `retention` job: what is due goes, held and recent data stays, and sync honours tombstones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.processors.scheduling import plan_pipeline
from airecruiter.queue.scheduler import SchedulerConfig
from airecruiter.sandbox import seed
from airecruiter.services.erasure import hold_application_or_requisition
from tests.integration.erasure_fixtures import files_under, scalar, with_stores
from tests.integration.pipeline_fixtures import Pipeline, application, rows, synced

OLD, HELD, RECENT = "JA-000109", "JA-000110", "JA-000111"


async def _age(db: AsyncEngine, application_id: int, days: int) -> None:
    """Make the application's last activity `days` old (status change, Workday change)."""
    async with db.begin() as conn:
        await conn.execute(
            text(
                "UPDATE applications SET updated_at = now() - make_interval(days => :d),"
                " workday_status_changed = now() - make_interval(days => :d) WHERE id = :a"
            ),
            {"a": application_id, "d": days},
        )


async def test_retention_deletes_what_is_due_keeps_held_and_recent_and_sync_does_not_bring_it_back(
    pipeline: Pipeline, tmp_path: object
) -> None:
    pipeline = with_stores(pipeline)
    rid = await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    old, held, recent = [(await application(pipeline.db, x)).id for x in (OLD, HELD, RECENT)]
    await pipeline.run("analyze", application_id=old)
    await _age(pipeline.db, old, 731)
    await _age(pipeline.db, held, 900)
    await _age(pipeline.db, recent, 700)
    await hold_application_or_requisition(
        pipeline.db, reason="Audit of 2024 hires", actor="admin", application_id=held, requisition_id=None
    )
    others = await scalar(pipeline.db, "SELECT count(*) FROM applications") - 3
    assert [p for p in files_under(pipeline.storage.root) if f"applications/{old}/" in p.as_posix()]

    await pipeline.run("retention")

    remaining = {r.id for r in await rows(pipeline.db, "SELECT id FROM applications")}
    assert old not in remaining and {held, recent} <= remaining
    assert len(remaining) == others + 2  # the rest were synced today
    assert not [p for p in files_under(pipeline.storage.root) if f"applications/{old}/" in p.as_posix()]
    assert [p for p in files_under(pipeline.storage.root) if f"applications/{held}/" in p.as_posix()]
    [outcome] = await rows(pipeline.db, "SELECT * FROM outcomes WHERE application_id = :a", a=old)
    assert outcome.overall_score is None and outcome.analysis_model is not None  # de-identified record kept
    [ran] = await rows(pipeline.db, "SELECT actor, details FROM activities WHERE action = 'retention_ran'")
    assert ran.actor == "processor:retention"
    assert ran.details["applications_deleted"] == 1 and ran.details["held_back"] == 1
    assert ran.details["objects_deleted"] >= 1
    assert await scalar(pipeline.db, "SELECT reason FROM tombstones") == "retention"

    await pipeline.run("sync", requisition_id=rid)  # Workday still lists the deleted application

    assert await scalar(pipeline.db, "SELECT count(*) FROM applications") == others + 2
    assert await scalar(pipeline.db, "SELECT count(*) FROM applications WHERE external_application_id = :x", x=OLD) == 0


async def test_retention_is_scheduled_once_a_day(db: AsyncEngine) -> None:
    config = SchedulerConfig()
    kinds = frozenset({"retention"})
    async with db.connect() as conn:
        due = await plan_pipeline(conn, job_types=kinds, config=config)
    assert [j.job_type for j in due.periodic] == ["retention"]

    async with db.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO job_runs (queue_item_id, job_type, attempt, outcome, finished_at)"
                " VALUES (1, 'retention', 1, 'completed', :at)"
            ),
            {"at": datetime.now(UTC) - timedelta(hours=3)},
        )
        again = await plan_pipeline(conn, job_types=kinds, config=config)
    assert again.periodic == []


async def test_a_shorter_file_retention_deletes_files_first_and_keeps_the_records(pipeline: Pipeline) -> None:
    pipeline = with_stores(pipeline).with_context(retention_days=730, retention_days_files=180)
    await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    old = (await application(pipeline.db, OLD)).id
    await _age(pipeline.db, old, 200)

    await pipeline.run("retention")

    assert not [p for p in files_under(pipeline.storage.root) if f"applications/{old}/" in p.as_posix()]
    assert await scalar(pipeline.db, "SELECT count(*) FROM applications WHERE id = :a", a=old) == 1
    [ran] = await rows(pipeline.db, "SELECT details FROM activities WHERE action = 'retention_ran'")
    assert ran.details["files_only"] == 1 and ran.details["applications_deleted"] == 0
