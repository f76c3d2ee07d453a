"""The `sync` processor against the sandbox tenant over HTTP: requisitions, applications, résumés."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.stages import due_requisition_ids
from airecruiter.errors import ParseError, WorkdayRateLimitError, policy_for
from airecruiter.sandbox import seed
from tests.integration.conftest import execute
from tests.integration.pipeline_fixtures import (
    Pipeline,
    actions,
    activity,
    application,
    live_jobs,
    requisition_id,
    rows,
    synced,
    value,
)
from tests.integration.processes import eventually
from tests.integration.workday_helpers import calls

DATA_ANALYST_APPLICATIONS = {
    a.application_id for a in seed.seeded_applications() if a.requisition_id == seed.DATA_ANALYST_REQUISITION_ID
}


async def test_the_list_refresh_brings_in_every_open_requisition_and_makes_it_due(pipeline: Pipeline) -> None:
    await pipeline.run("sync")
    found = await rows(
        pipeline.db,
        "SELECT external_id, name, recruiter_name, workday_status, last_activity_at"
        " FROM requisitions ORDER BY external_id",
    )
    assert [r.external_id for r in found] == sorted(seed.OPEN_REQUISITION_IDS)  # the closed one stays out
    backend = next(r for r in found if r.external_id == seed.BACKEND_REQUISITION_ID)
    assert backend.name == "Senior Backend Engineer (Python/PostgreSQL)"
    assert backend.recruiter_name == "Dana Reyes"
    assert backend.workday_status == "Open"
    created = await rows(pipeline.db, "SELECT count(*) FROM activities WHERE action = 'requisition_created'")
    assert created[0][0] == 3
    # The scheduler's next tick syncs each of them.
    async with pipeline.db.connect() as conn:
        assert len(await due_requisition_ids(conn, default_lookback_hours=24)) == 3


async def test_a_requisition_sync_stores_each_application_with_its_resume_and_queues_its_analysis(
    pipeline: Pipeline,
) -> None:
    rid = await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    stored = await rows(
        pipeline.db, "SELECT external_application_id FROM applications WHERE requisition_id = :r", r=rid
    )
    assert {r[0] for r in stored} == DATA_ANALYST_APPLICATIONS
    for external_id in DATA_ANALYST_APPLICATIONS:
        app = await application(pipeline.db, external_id)
        assert app.status == "new"
        assert app.artifacts.resume is not None
        key = app.artifacts.resume.key
        assert key.startswith(f"applications/{app.id}/resume/")
        seeded = next(a for a in seed.seeded_applications() if a.application_id == external_id)
        resume = await pipeline.ctx.workday.resume(candidate_id=seeded.candidate_id, application_id=external_id)
        assert resume is not None
        assert await pipeline.storage.get(key) == resume.content  # the very bytes Workday holds
        assert app.artifacts.resume.content_type == resume.content_type
        assert await actions(pipeline.db, app.id) == ["application_created", "resume_stored"]
        assert ("analyze", app.id, None) in await live_jobs(pipeline.db)
    # The candidate whose résumé is only a candidate-level attachment has it too.
    assert (await application(pipeline.db, seed.CANDIDATE_LEVEL_RESUME_APPLICATION_ID)).artifacts.resume
    synced_at = await value(pipeline.db, "SELECT last_synced_at FROM requisitions WHERE id = :r", r=rid)
    assert abs(synced_at - datetime.now(UTC)) < timedelta(minutes=5)


async def test_the_activity_log_of_a_sync_names_no_workday_id_file_name_or_candidate(pipeline: Pipeline) -> None:
    # The log is append-only and never scrubbed (DATA-LIFECYCLE): ids of ours, codes and counts only.
    rid = await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    logged = " ".join(
        r[0] for r in await rows(pipeline.db, "SELECT details::text FROM activities WHERE requisition_id = :r", r=rid)
    )
    for external_id in DATA_ANALYST_APPLICATIONS:
        app = await application(pipeline.db, external_id)
        assert app.artifacts.resume is not None
        personal = (external_id, app.external_candidate_id, app.candidate_name, app.artifacts.resume.filename)
        assert [value for value in (*personal, app.candidate_email) if value and value in logged] == []
        assert await activity(pipeline.db, app.id, "application_created") == [{"workday_status": app.workday_status}]
        assert await activity(pipeline.db, app.id, "resume_stored") == [
            {"resume_content_type": app.artifacts.resume.content_type, "resume_bytes": app.artifacts.resume.size}
        ]


async def test_a_second_sync_duplicates_nothing_and_downloads_no_resume_again(pipeline: Pipeline) -> None:
    rid = await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    before = {
        "applications": await value(pipeline.db, "SELECT count(*) FROM applications"),
        "activities": await value(pipeline.db, "SELECT count(*) FROM activities WHERE application_id IS NOT NULL"),
        "jobs": await live_jobs(pipeline.db),
    }
    downloads = calls(pipeline.sandbox, "Get_Candidates")
    await pipeline.run("sync", requisition_id=rid)
    assert await value(pipeline.db, "SELECT count(*) FROM applications") == before["applications"]
    assert (
        await value(pipeline.db, "SELECT count(*) FROM activities WHERE application_id IS NOT NULL")
        == before["activities"]
    )
    assert await live_jobs(pipeline.db) == before["jobs"]
    assert calls(pipeline.sandbox, "Get_Candidates") == downloads + 1  # one page of the list, no résumés


async def test_a_sync_that_died_half_way_is_finished_by_its_retry_without_duplicates(pipeline: Pipeline) -> None:
    await pipeline.run("sync")
    rid = await requisition_id(pipeline.db, seed.BACKEND_REQUISITION_ID)
    pipeline.sandbox.chaos.update({"throttle_every": 6, "throttle_style": "http429"})
    with pytest.raises(WorkdayRateLimitError):
        await pipeline.run("sync", requisition_id=rid)
    part = await value(pipeline.db, "SELECT count(*) FROM applications")
    assert 0 < part < 8
    pipeline.sandbox.chaos.reset()
    await pipeline.run("sync", requisition_id=rid)
    assert await value(pipeline.db, "SELECT count(*) FROM applications") == 8
    analyses_queued = await value(pipeline.db, "SELECT count(*) FROM queue_items WHERE job_type = 'analyze'")
    assert analyses_queued == 8
    assert await value(pipeline.db, "SELECT count(*) FROM activities WHERE action = 'application_created'") == 8


@contextmanager
def statements(db: AsyncEngine) -> Iterator[list[str]]:
    """Every SQL statement the engine sends while the block runs."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.sync_engine, "before_cursor_execute", note)


async def test_a_sync_looks_existing_applications_up_a_batch_at_a_time(pipeline: Pipeline) -> None:
    rid = await synced(pipeline, seed.BACKEND_REQUISITION_ID)
    with statements(pipeline.db) as seen:
        await pipeline.run("sync", requisition_id=rid)
    lookups = [s for s in seen if "FROM applications WHERE external_application_id" in s]
    assert len(lookups) == 1  # eight applications, one page, one query (not one each)


async def test_a_sync_fetches_resumes_concurrently_within_the_clients_in_flight_limit(pipeline: Pipeline) -> None:
    await pipeline.run("sync")
    rid = await requisition_id(pipeline.db, seed.BACKEND_REQUISITION_ID)
    pipeline.sandbox.chaos.update({"latency_ms": 50})
    pipeline.sandbox.calls.reset()
    await pipeline.run("sync", requisition_id=rid)
    # The fixture's client lets two calls through at once: the sync keeps both busy, never more.
    assert pipeline.sandbox.calls.peak_in_flight == 2
    assert await value(pipeline.db, "SELECT count(*) FROM applications") == 8
    assert await value(pipeline.db, "SELECT count(*) FROM queue_items WHERE job_type = 'analyze'") == 8


async def test_a_sync_cut_off_by_its_time_limit_is_finished_by_its_retry(pipeline: Pipeline) -> None:
    await pipeline.run("sync")
    rid = await requisition_id(pipeline.db, seed.BACKEND_REQUISITION_ID)
    pipeline.sandbox.chaos.update({"latency_ms": 100})
    running = asyncio.create_task(pipeline.run("sync", requisition_id=rid))

    async def some_stored() -> bool:
        return bool(await value(pipeline.db, "SELECT count(*) FROM applications"))

    await eventually(some_stored, every=0.02)
    running.cancel()  # what the worker does when a job runs past its time limit
    with pytest.raises(asyncio.CancelledError):
        await running
    assert 0 < await value(pipeline.db, "SELECT count(*) FROM applications") < 8
    pipeline.sandbox.chaos.reset()
    await pipeline.run("sync", requisition_id=rid)
    assert await value(pipeline.db, "SELECT count(*) FROM applications") == 8
    assert await value(pipeline.db, "SELECT count(*) FROM queue_items WHERE job_type = 'analyze'") == 8
    assert await value(pipeline.db, "SELECT count(*) FROM activities WHERE action = 'application_created'") == 8


async def test_a_sync_out_of_time_pauses_unsynced_and_the_next_one_goes_on(pipeline: Pipeline) -> None:
    await pipeline.run("sync")
    rid = await requisition_id(pipeline.db, seed.BACKEND_REQUISITION_ID)
    pipeline.sandbox.chaos.update({"latency_ms": 100})  # eight résumés, two at a time: at least 0.4 s
    await pipeline.with_context(sync_time_budget=0.3).run("sync", requisition_id=rid)  # ends without an error
    assert await value(pipeline.db, "SELECT count(*) FROM applications") < 8
    assert await value(pipeline.db, "SELECT last_synced_at FROM requisitions WHERE id = :r", r=rid) is None
    async with pipeline.db.connect() as conn:
        assert rid in await due_requisition_ids(conn, default_lookback_hours=24)  # the next tick goes on
    await pipeline.run("sync", requisition_id=rid)
    assert await value(pipeline.db, "SELECT count(*) FROM applications") == 8
    assert await value(pipeline.db, "SELECT count(*) FROM queue_items WHERE job_type = 'analyze'") == 8
    assert await value(pipeline.db, "SELECT last_synced_at FROM requisitions WHERE id = :r", r=rid) is not None


async def test_a_workday_status_change_is_logged_and_triggers_the_auto_send_rule(pipeline: Pipeline) -> None:
    rid = await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    await execute(
        pipeline.db,
        "UPDATE requisitions SET auto_send_interview = true, auto_send_on_status = 'Interview' WHERE id = :r",
        r=rid,
    )
    strong = await application(pipeline.db, "JA-000109")
    other = await application(pipeline.db, "JA-000112")
    await pipeline.run("analyze", application_id=strong.id)
    assert ("send_interview", strong.id, None) not in await live_jobs(pipeline.db)  # still in Review
    pipeline.sandbox.tenant.advance_stage("JA-000109", "Interview")
    pipeline.sandbox.tenant.advance_stage("JA-000112", "Interview")
    await pipeline.run("sync", requisition_id=rid)
    moved = await application(pipeline.db, "JA-000109")
    assert (moved.workday_status, moved.status) == ("Interview", "analyzed")
    assert moved.workday_status_changed is not None
    assert await activity(pipeline.db, strong.id, "workday_status_changed") == [{"from": "Review", "to": "Interview"}]
    jobs = await live_jobs(pipeline.db)
    assert ("send_interview", strong.id, None) in jobs
    # Not analysed yet: the analysis itself will apply the rule.
    assert ("send_interview", other.id, None) not in jobs
    assert (await application(pipeline.db, "JA-000112")).workday_status == "Interview"


async def test_which_dispositions_mean_rejected_is_a_setting_compared_without_case(pipeline: Pipeline) -> None:
    strict = pipeline.with_context(rejected_dispositions=("EXPERIENCE/SKILLS",))
    rid = await synced(strict, seed.DATA_ANALYST_REQUISITION_ID)
    strict.sandbox.tenant.advance_stage("JA-000112", "Review", disposition="Position_Filled")
    await strict.run("sync", requisition_id=rid)
    assert not (await application(strict.db, "JA-000112")).workday_inactive  # not a rejection here
    strict.sandbox.tenant.advance_stage("JA-000112", "Review", disposition="Experience/Skills")
    await strict.run("sync", requisition_id=rid)
    assert (await application(strict.db, "JA-000112")).workday_inactive


async def test_a_candidate_workday_rejected_is_never_invited_automatically(pipeline: Pipeline) -> None:
    rid = await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    await execute(pipeline.db, "UPDATE requisitions SET auto_send_interview = true WHERE id = :r", r=rid)
    rejected = await application(pipeline.db, "JA-000112")
    pipeline.sandbox.tenant.advance_stage("JA-000112", "Review", disposition="Experience/Skills")
    await pipeline.run("sync", requisition_id=rid)
    assert (await application(pipeline.db, "JA-000112")).workday_inactive
    await pipeline.run("analyze", application_id=rejected.id)
    assert (await application(pipeline.db, "JA-000112")).status == "analyzed"
    assert ("send_interview", rejected.id, None) not in await live_jobs(pipeline.db)
    # The same requisition's other analysed candidates are invited as usual.
    kept = await application(pipeline.db, "JA-000109")
    await pipeline.run("analyze", application_id=kept.id)
    assert ("send_interview", kept.id, None) in await live_jobs(pipeline.db)


async def test_an_application_without_a_resume_is_kept_with_a_note_and_its_analysis_says_why(
    pipeline: Pipeline,
) -> None:
    tenant = pipeline.sandbox.tenant
    candidate = tenant.add_candidate("Robin", "Meyer", "robin.meyer@example.org")
    tenant.add_application(candidate.candidate_id, seed.SUPPORT_LEAD_REQUISITION_ID, application_id="JA-000900")
    await synced(pipeline, seed.SUPPORT_LEAD_REQUISITION_ID)
    app = await application(pipeline.db, "JA-000900")
    assert app.status == "new" and app.artifacts.resume is None
    assert app.artifacts.resume_missing is not None and "no résumé" in app.artifacts.resume_missing
    assert await actions(pipeline.db, app.id) == ["application_created", "resume_missing"]
    with pytest.raises(ParseError, match="no résumé for application JA-000900") as failure:
        await pipeline.run("analyze", application_id=app.id)
    assert not policy_for(failure.value).retries
    assert (await application(pipeline.db, "JA-000900")).status == "new"


async def test_a_throttled_workday_fails_the_sync_for_a_retry_after_its_wait(pipeline: Pipeline) -> None:
    pipeline.sandbox.chaos.update({"throttle_every": 1, "throttle_style": "http429"})
    with pytest.raises(WorkdayRateLimitError) as failure:
        await pipeline.run("sync")
    assert policy_for(failure.value).retries and failure.value.retry_after == 2
    assert await value(pipeline.db, "SELECT count(*) FROM requisitions") == 0


async def test_an_email_address_corrected_in_workday_reaches_the_application(pipeline: Pipeline) -> None:
    rid = await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    pipeline.sandbox.tenant.candidate("C000109").email = "oliver.h@example.net"
    await pipeline.run("sync", requisition_id=rid)
    app = await application(pipeline.db, "JA-000109")
    assert (app.candidate_email, app.status, app.workday_status) == ("oliver.h@example.net", "new", "Review")
    assert await activity(pipeline.db, app.id, "candidate_details_updated") == [{"fields": ["candidate_email"]}]
