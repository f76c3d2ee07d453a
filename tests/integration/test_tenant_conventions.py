"""A tenant that spells its reference IDs its own way (OPEN, REVIEW, PRIMARY_RECRUITER, its own
document categories): the sandbox serves it, and the whole pipeline runs against it once the
client is told those conventions through the WORKDAY_* settings."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from airecruiter.errors import ValidationError
from airecruiter.sandbox import SandboxServer, seed
from tests.integration.pipeline_fixtures import Pipeline, activity, application, evaluated, requisition_id, rows
from tests.integration.sandbox_fixtures import RawWorkday, raw_client, ref, running_sandbox
from tests.integration.test_sandbox_requisitions import request as requisitions_request
from tests.integration.workday_helpers import client_for

STRONG_ANALYST = "JA-000109"  # Oliver Hughes, candidate C000109
OTHER_ANALYST = "JA-000112"
CANDIDATE = "C000109"


@pytest.fixture
async def pipeline_sandbox() -> AsyncIterator[SandboxServer]:
    """The pipeline's tenant, with upper-case IDs and its own document categories."""
    async with running_sandbox(conventions="upper") as server:
        yield server


@pytest.fixture
async def wd(pipeline_sandbox: SandboxServer) -> AsyncIterator[RawWorkday]:
    """A raw SOAP client of that tenant."""
    async with raw_client(pipeline_sandbox) as client:
        yield client


async def test_the_sandbox_speaks_the_other_conventions(pipeline_sandbox: SandboxServer, wd: RawWorkday) -> None:
    env = pipeline_sandbox.settings_env()
    assert env["WORKDAY_OPEN_STATUS"] == "OPEN"
    assert env["WORKDAY_REPORT_CATEGORY"] == "Document_Category_ID=HR_MISC"
    status = "Job_Requisition_Status_Reference"
    upper = await wd.call(requisitions_request(criteria=ref(status, "Job_Requisition_Status_ID", "OPEN")))
    assert upper.status == 200
    assert set(upper.ids(status, "Job_Requisition_Status_ID")) == {"OPEN"}
    assert set(upper.ids("Role_Reference", "Organization_Role_ID")) == {"PRIMARY_RECRUITER"}
    refused = await wd.call(requisitions_request(criteria=ref(status, "Job_Requisition_Status_ID", "Open")))
    assert refused.faultcode == "SOAP-ENV:Client.validationError"  # IDs are the tenant's, as spelled


async def test_a_client_with_the_default_conventions_is_refused(pipeline_sandbox: SandboxServer) -> None:
    client = client_for(pipeline_sandbox, open_status="Open")
    try:
        with pytest.raises(ValidationError, match="'Open' is not a valid ID value"):
            await client.requisitions()
    finally:
        await client.aclose()


async def test_the_whole_pipeline_runs_against_a_tenant_with_other_conventions(pipeline: Pipeline) -> None:
    listed = {r.requisition_id: r for r in await pipeline.ctx.workday.requisitions()}
    assert set(listed) == set(seed.OPEN_REQUISITION_IDS)
    assert all(r.status == "OPEN" and r.recruiter_name for r in listed.values())
    app_id = await evaluated(pipeline, seed.DATA_ANALYST_REQUISITION_ID, STRONG_ANALYST)
    await pipeline.run("generate_report", application_id=app_id)
    await pipeline.run("upload_report", application_id=app_id)
    assert (await application(pipeline.db, STRONG_ANALYST)).status == "complete"
    [uploaded] = [a for a in pipeline.sandbox.tenant.attachments(CANDIDATE) if a.filename.startswith("CandidateReport")]
    assert (uploaded.category.id_type, uploaded.category.value) == ("Document_Category_ID", "HR_MISC")
    [report] = await rows(pipeline.db, "SELECT * FROM reports WHERE application_id = :a", a=app_id)
    assert report.uploaded_to_workday is True
    assert await activity(pipeline.db, app_id, "report_uploaded")
    # Its own reading of the human decision: SCREEN is no advance here, POSITION_FILLED no rejection.
    rid = await requisition_id(pipeline.db, seed.DATA_ANALYST_REQUISITION_ID)
    pipeline.sandbox.tenant.advance_stage(STRONG_ANALYST, "SCREEN")
    pipeline.sandbox.tenant.advance_stage(OTHER_ANALYST, "INTERVIEW", disposition="POSITION_FILLED")
    await pipeline.run("sync", requisition_id=rid)
    assert (await application(pipeline.db, STRONG_ANALYST)).human_decision is None
    assert (await application(pipeline.db, OTHER_ANALYST)).human_decision == "advanced"
    pipeline.sandbox.tenant.advance_stage(STRONG_ANALYST, "SCREEN", disposition="EXPERIENCE/SKILLS")
    await pipeline.run("sync", requisition_id=rid)
    assert (await application(pipeline.db, STRONG_ANALYST)).human_decision == "rejected"


async def test_a_candidate_level_resume_is_found_in_the_tenants_own_category(pipeline: Pipeline) -> None:
    resume = await pipeline.ctx.workday.resume(
        candidate_id=seed.CANDIDATE_LEVEL_RESUME_CANDIDATE_ID,
        application_id=seed.CANDIDATE_LEVEL_RESUME_APPLICATION_ID,
    )
    assert resume is not None and resume.category == "CV_AND_LETTER"
