"""The scheduler: due syncs, next stages that heal lost work, and one leader across processes."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.processors.scheduling import plan_pipeline
from airecruiter.queue.jobs import NewJob
from airecruiter.queue.manager import QueueManager
from airecruiter.queue.operations import QueueOperations
from airecruiter.queue.scheduler import DueJobs, Scheduler, SchedulerConfig
from tests.integration.processes import eventually, log_events, start_process

PIPELINE = ("sync", "analyze", "send_interview", "evaluate", "generate_report", "upload_report")


def _scheduler(db: AsyncEngine, name: str = "test", job_types: tuple[str, ...] = PIPELINE) -> Scheduler:
    return Scheduler(
        db, QueueManager(db), SchedulerConfig(interval=60), plan=plan_pipeline, job_types=job_types, name=name
    )


async def _live(db: AsyncEngine) -> set[tuple[str, int | None, int | None]]:
    async with db.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT job_type, application_id, requisition_id FROM queue_items"
                " WHERE status IN ('pending','running','failed')"
            )
        )
        return {(r[0], r[1], r[2]) for r in rows}


async def test_the_scheduler_enqueues_whatever_its_planner_finds_due_among_runnable_types(db: AsyncEngine) -> None:
    # The queue knows no recruiting: another product's planner with its own job types works as well.
    seen: list[frozenset[str]] = []

    async def plan(conn: AsyncConnection, *, job_types: frozenset[str], config: SchedulerConfig) -> DueJobs:
        seen.append(job_types)
        return DueJobs(periodic=[NewJob("nightly_export")], follow_ups=[NewJob("thumbnail")])

    scheduler = Scheduler(
        db, QueueManager(db), SchedulerConfig(), plan=plan, job_types=("nightly_export", "thumbnail"), name="other"
    )
    report = await scheduler.tick()
    assert seen == [frozenset({"nightly_export", "thumbnail"})]
    assert (report.periodic, report.follow_ups) == (1, 1)
    assert await _live(db) == {("nightly_export", None, None), ("thumbnail", None, None)}
    await scheduler.tick()  # due again: nothing is duplicated
    assert len(await _live(db)) == 2


async def _seed(db: AsyncEngine) -> dict[str, int]:
    async with db.begin() as conn:
        ids = {}
        for key, activity, synced, active in (
            ("recent", "now() - interval '1 hour'", "NULL", True),
            ("old", "now() - interval '3 days'", "NULL", True),
            ("just_synced", "now() - interval '1 hour'", "now() - interval '1 minute'", True),
            ("inactive", "now() - interval '1 hour'", "NULL", False),
        ):
            ids[key] = await conn.scalar(
                text(
                    f"INSERT INTO requisitions (external_id, name, last_activity_at, last_synced_at, active,"
                    f" auto_send_interview) VALUES (:e, :e, {activity}, {synced}, :active, true) RETURNING id"
                ),
                {"e": key, "active": active},
            )
        for status in ("new", "analyzed", "interview_complete", "report_pending", "complete"):
            ids[status] = await conn.scalar(
                text(
                    "INSERT INTO applications (requisition_id, external_application_id, external_candidate_id,"
                    " candidate_name, status) VALUES (:r, :e, :e, 'Ada Lovelace', :s) RETURNING id"
                ),
                {"r": ids["recent"], "e": f"APP-{status}", "s": status},
            )
    return ids


async def test_a_tick_enqueues_due_syncs_and_each_applications_next_stage(db: AsyncEngine) -> None:
    ids = await _seed(db)
    await _scheduler(db).tick()
    assert await _live(db) == {
        ("sync", None, None),  # refresh the requisition list from Workday
        ("sync", None, ids["recent"]),  # active, recent activity, never synced
        ("analyze", ids["new"], None),
        ("send_interview", ids["analyzed"], None),  # auto-send on, no trigger status
        ("generate_report", ids["interview_complete"], None),
        ("upload_report", ids["report_pending"], None),
    }


async def test_ticking_again_never_duplicates_work(db: AsyncEngine) -> None:
    await _seed(db)
    scheduler = _scheduler(db)
    await scheduler.tick()
    first = await _live(db)
    for _ in range(3):
        await scheduler.tick()
    assert await _live(db) == first
    assert await QueueOperations(db).counts() == {
        "pending": len(first),
        "running": 0,
        "failed": 0,
        "dead": 0,
        "skipped": 0,
    }


async def test_a_dead_or_skipped_stage_is_left_to_an_operator(db: AsyncEngine) -> None:
    ids = await _seed(db)
    async with db.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO queue_items (job_type, application_id, priority, status, attempts, max_attempts)"
                " VALUES ('analyze', :a, 10, 'dead', 3, 3), ('upload_report', :u, 10, 'skipped', 1, 1)"
            ),
            {"a": ids["new"], "u": ids["report_pending"]},
        )
    await _scheduler(db).tick()
    live = await _live(db)
    assert ("analyze", ids["new"], None) not in live
    assert ("upload_report", ids["report_pending"], None) not in live
    assert ("generate_report", ids["interview_complete"], None) in live


async def test_only_job_types_some_worker_runs_are_scheduled(db: AsyncEngine) -> None:
    ids = await _seed(db)
    await _scheduler(db, job_types=("analyze",)).tick()
    assert await _live(db) == {("analyze", ids["new"], None)}


async def test_the_trigger_status_holds_back_the_invitation_until_workday_shows_it(db: AsyncEngine) -> None:
    ids = await _seed(db)
    async with db.begin() as conn:
        await conn.execute(text("UPDATE requisitions SET auto_send_on_status = 'Screen'"))
    await _scheduler(db, job_types=("send_interview",)).tick()
    assert await _live(db) == set()
    async with db.begin() as conn:
        await conn.execute(
            text("UPDATE applications SET workday_status = 'Screen' WHERE id = :i"), {"i": ids["analyzed"]}
        )
    await _scheduler(db, job_types=("send_interview",)).tick()
    assert await _live(db) == {("send_interview", ids["analyzed"], None)}


async def test_two_schedulers_in_one_database_never_both_lead(db: AsyncEngine) -> None:
    import structlog

    from airecruiter.queue.scheduler import SCHEDULER_LOCK_KEY

    first, second = (
        Scheduler(
            db, QueueManager(db), SchedulerConfig(interval=0.1), plan=plan_pipeline, job_types=PIPELINE, name=name
        )
        for name in ("first", "second")
    )
    stops = {"first": asyncio.Event(), "second": asyncio.Event()}
    with structlog.testing.capture_logs() as logs:
        runs = {s.name: asyncio.create_task(s.run(stops[s.name])) for s in (first, second)}

        def ticks(name: str) -> int:
            return sum(1 for e in logs if e["event"] == "scheduler_tick" and e.get("scheduler") == name)

        async def one_holds_the_lock_and_leads_for_a_while() -> bool:
            # Both try for the lock every interval: while the leader ticked five times, the other
            # was refused about as often.
            holders = await _scalar(
                db,
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid::bigint = :k AND granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                k=SCHEDULER_LOCK_KEY,
            )
            return holders == 1 and ticks("first") + ticks("second") >= 5

        try:
            await eventually(one_holds_the_lock_and_leads_for_a_while)
            leader, standby = (first, second) if first.is_leader else (second, first)
            assert first.is_leader != second.is_leader
            assert ticks(standby.name) == 0, "both schedulers scheduled"
            started = [e["scheduler"] for e in logs if e["event"] == "scheduler_started"]
            assert sorted(started) == ["first", "second"]  # the stand-by was running all along

            # It was standing by: once the leader stops, it takes the lock and schedules.
            stops[leader.name].set()
            await runs[leader.name]

            async def the_standby_took_over() -> bool:
                return standby.is_leader and ticks(standby.name) >= 1

            await eventually(the_standby_took_over)
        finally:
            for stop in stops.values():
                stop.set()
            await asyncio.gather(*runs.values())


@pytest.mark.slow
async def test_two_scheduler_processes_never_both_schedule_and_a_standby_takes_over(
    db: AsyncEngine,
    database_url: str,
    tmp_path: Path,
) -> None:
    await _seed(db)
    env = {"DATABASE_URL": database_url, "SCHEDULER_INTERVAL": "0.2"}
    args = ["-m", "tests.integration.worker_process", "--scheduler"]
    procs = {name: start_process(args, env=env, log_file=tmp_path / f"{name}.log") for name in ("a", "b")}
    try:

        def ticks(name: str) -> int:
            return sum(1 for e in log_events(tmp_path / f"{name}.log") if e.get("event") == "scheduler_tick")

        async def several_ticks() -> bool:
            return ticks("a") + ticks("b") >= 10

        await eventually(several_ticks)
        assert min(ticks("a"), ticks("b")) == 0, "both processes scheduled"
        leader = "a" if ticks("a") else "b"
        standby = "b" if leader == "a" else "a"
        procs[leader].send_signal(signal.SIGKILL)
        procs[leader].wait(timeout=10)

        async def standby_took_over() -> bool:
            return ticks(standby) >= 3

        await eventually(standby_took_over)
        assert ticks(leader) > 0
        assert all(by.startswith("scheduler:") for by in await _scheduled_by(db))
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=20)


async def _scheduled_by(db: AsyncEngine) -> set[str]:
    async with db.connect() as conn:
        return {r[0] for r in await conn.execute(text("SELECT DISTINCT enqueued_by FROM queue_items"))}


async def test_the_first_tick_after_the_database_dropped_every_connection_succeeds(database_url: str) -> None:
    # As after a database restart: every pooled connection of the process is dead.
    from airecruiter.db.engine import create_engine

    engine = create_engine(database_url, pool_size=3)
    try:
        scheduler = _scheduler(engine, job_types=())
        await scheduler.tick()  # the pool now holds a used connection
        async with engine.connect() as conn:
            mine = await conn.scalar(text("SELECT pg_backend_pid()"))
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT pg_backend_pid()")) == mine  # the same pooled connection
        other = create_engine(database_url, pool_size=1)
        try:
            async with other.connect() as conn:
                assert await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": mine})
        finally:
            await other.dispose()
        report = await scheduler.tick()  # checks the connection out, finds it dead, takes a fresh one
        assert report.recovered == 0
    finally:
        await engine.dispose()


async def test_a_leader_whose_lock_connection_was_dropped_leads_again_without_a_failed_tick(db: AsyncEngine) -> None:
    import structlog

    from airecruiter.queue.scheduler import SCHEDULER_LOCK_KEY

    scheduler = Scheduler(
        db, QueueManager(db), SchedulerConfig(interval=0.1), plan=plan_pipeline, job_types=(), name="restart"
    )
    stop = asyncio.Event()
    with structlog.testing.capture_logs() as logs:
        task = asyncio.create_task(scheduler.run(stop))
        try:
            lock_holder = (
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid::bigint = :k AND granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )

            async def leading() -> bool:
                return scheduler.is_leader and await _scalar(db, lock_holder, k=SCHEDULER_LOCK_KEY) is not None

            await eventually(leading)
            first = await _scalar(db, lock_holder, k=SCHEDULER_LOCK_KEY)
            await _scalar(db, "SELECT pg_terminate_backend(:p)", p=first)  # as a database restart does

            async def leading_again() -> bool:
                holder = await _scalar(db, lock_holder, k=SCHEDULER_LOCK_KEY)
                ticks = [e for e in logs if e["event"] == "scheduler_tick"]
                return holder is not None and holder != first and len(ticks) >= 3

            await eventually(leading_again)
        finally:
            stop.set()
            await task
    events = [e["event"] for e in logs]
    assert "scheduler_leader_connection_lost" in events
    assert "scheduler_tick_failed" not in events


async def _scalar(db: AsyncEngine, sql: str, **params: object) -> object:
    async with db.connect() as conn:
        return await conn.scalar(text(sql), params)
