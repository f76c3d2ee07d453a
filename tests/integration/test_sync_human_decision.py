"""The sync records the human decision Workday shows (advanced / rejected / none) per application."""

from __future__ import annotations

from airecruiter.sandbox import seed
from tests.integration.pipeline_fixtures import Pipeline, activity, application, synced


async def test_the_sync_records_the_decision_from_stage_and_disposition(pipeline: Pipeline) -> None:
    rid = await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    assert (await application(pipeline.db, "JA-000109")).human_decision is None  # still in Review
    pipeline.sandbox.tenant.advance_stage("JA-000109", "Screen")
    pipeline.sandbox.tenant.advance_stage("JA-000112", "Interview", disposition="Experience/Skills")
    await pipeline.run("sync", requisition_id=rid)
    assert (await application(pipeline.db, "JA-000109")).human_decision == "advanced"
    assert (await application(pipeline.db, "JA-000112")).human_decision == "rejected"  # on any stage


async def test_the_mapping_is_a_setting_and_a_changed_setting_reaches_stored_rows(pipeline: Pipeline) -> None:
    rid = await synced(pipeline, seed.DATA_ANALYST_REQUISITION_ID)
    pipeline.sandbox.tenant.advance_stage("JA-000109", "Screen")
    pipeline.sandbox.tenant.advance_stage("JA-000112", "Review", disposition="Position_Filled")
    await pipeline.run("sync", requisition_id=rid)
    assert (await application(pipeline.db, "JA-000109")).human_decision == "advanced"
    # Another tenant's reading: advanced from the interview on, and position filled rejects nobody.
    strict = pipeline.with_context(advanced_stages=("INTERVIEW",), rejected_dispositions=("EXPERIENCE/SKILLS",))
    await strict.run("sync", requisition_id=rid)  # nothing changed in Workday; the reading did
    assert (await application(strict.db, "JA-000109")).human_decision is None
    assert (await application(strict.db, "JA-000112")).human_decision is None
    # A new reading of the same Workday data changes no candidate details, so none is logged.
    for external_id in ("JA-000109", "JA-000112"):
        stored = await application(strict.db, external_id)
        assert await activity(strict.db, stored.id, "candidate_details_updated") == []
    strict.sandbox.tenant.advance_stage("JA-000109", "Interview")
    await strict.run("sync", requisition_id=rid)
    assert (await application(strict.db, "JA-000109")).human_decision == "advanced"
