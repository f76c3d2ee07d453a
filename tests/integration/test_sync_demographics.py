"""The sync stores Workday's self-identification in the demographics store, mapped to EEO-1 categories."""

from __future__ import annotations

import structlog

from airecruiter.domain.self_identification import DemographicMaps
from airecruiter.sandbox import seed
from airecruiter.sandbox.self_id import SELF_ID_APPLICATION_IDS, SelfId
from airecruiter.services.demographics import import_demographics
from tests.integration.pipeline_fixtures import Pipeline, application, rows, synced

US = "_United_States_of_America"


async def stored(pipeline: Pipeline, external_id: str) -> tuple[str, str, str] | None:
    """(sex, race_ethnicity, source) of the application's demographics row, or None."""
    app = await application(pipeline.db, external_id)
    found = await rows(
        pipeline.db, "SELECT sex, race_ethnicity, source FROM demographics WHERE application_id = :a", a=app.id
    )
    return (found[0][0], found[0][1], found[0][2]) if found else None


async def outcome(pipeline: Pipeline, external_id: str) -> tuple[str, str]:
    app = await application(pipeline.db, external_id)
    [row] = await rows(pipeline.db, "SELECT sex, race_ethnicity FROM outcomes WHERE application_id = :a", a=app.id)
    return row[0], row[1]


async def test_the_sync_maps_self_id_to_categories_and_leaves_no_row_without_one(pipeline: Pipeline) -> None:
    await synced(pipeline, seed.BACKEND_REQUISITION_ID)
    assert await stored(pipeline, "JA-000101") == ("Female", "Asian", "workday")
    assert await stored(pipeline, "JA-000103") == ("Female", "Hispanic or Latino", "workday")  # yes wins
    assert await stored(pipeline, "JA-000107") == ("Male", "Two or More Races", "workday")
    assert await stored(pipeline, "JA-000105") == ("declined", "declined", "workday")
    assert await stored(pipeline, "JA-000106") is None  # gave none: unknown, no row
    assert await outcome(pipeline, "JA-000101") == ("Female", "Asian")
    assert await outcome(pipeline, "JA-000106") == ("unknown", "unknown")
    backend = [a for a in SELF_ID_APPLICATION_IDS if a <= "JA-000107"]
    assert len(await rows(pipeline.db, "SELECT 1 FROM demographics")) == len(backend)


async def test_a_self_id_given_or_withdrawn_later_reaches_the_store(pipeline: Pipeline) -> None:
    rid = await synced(pipeline, seed.BACKEND_REQUISITION_ID)
    tenant = pipeline.sandbox.tenant
    tenant.application("JA-000106").self_id = SelfId("Male", ("Black_or_African_American" + US,), False)
    tenant.application("JA-000101").self_id = None
    await pipeline.run("sync", requisition_id=rid)  # nothing else changed in Workday
    assert await stored(pipeline, "JA-000106") == ("Male", "Black or African American", "workday")
    assert await outcome(pipeline, "JA-000106") == ("Male", "Black or African American")
    assert await stored(pipeline, "JA-000101") is None
    assert await outcome(pipeline, "JA-000101") == ("unknown", "unknown")


async def test_an_unmapped_id_is_unknown_and_logged_by_count_only(pipeline: Pipeline) -> None:
    rid = await synced(pipeline, seed.BACKEND_REQUISITION_ID)
    pipeline.sandbox.tenant.application("JA-000104").self_id = SelfId("Tenant_Gender_X", ("Tenant_Race_Y",), False)
    with structlog.testing.capture_logs() as logs:
        await pipeline.run("sync", requisition_id=rid)
    assert await stored(pipeline, "JA-000104") == ("unknown", "unknown", "workday")
    [warning] = [e for e in logs if e["event"] == "self_id_unmapped"]
    assert warning["unmapped_ids"] == 2
    assert "Tenant_Gender_X" not in repr(logs) and "Tenant_Race_Y" not in repr(logs)


async def test_the_mapping_is_a_setting(pipeline: Pipeline) -> None:
    maps = DemographicMaps.from_settings("Female=Male,Male=Female", "Asian" + US + "=White")
    await synced(pipeline.with_context(demographic_maps=maps), seed.BACKEND_REQUISITION_ID)
    assert await stored(pipeline, "JA-000101") == ("Male", "White", "workday")


async def test_an_imported_row_is_not_overwritten_by_the_sync(pipeline: Pipeline) -> None:
    rid = await synced(pipeline, seed.BACKEND_REQUISITION_ID)
    await import_demographics(
        pipeline.db, "workday_application_id,sex,race_ethnicity\nJA-000102,declined,Asian\n", actor="auditor"
    )
    pipeline.sandbox.tenant.advance_stage("JA-000102", "Interview")  # a change that makes the sync rewrite it
    await pipeline.run("sync", requisition_id=rid)
    assert await stored(pipeline, "JA-000102") == ("declined", "Asian", "import")
    assert await outcome(pipeline, "JA-000102") == ("declined", "Asian")
