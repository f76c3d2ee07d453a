"""The offline scorer on the sandbox tenant's own résumés and jobs, read through the Workday client.

A recruiter running the demo without Claude must still see matching candidates ranked above the
ones who do not fit: every strong match scores a lower risk than every weak one for its job.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from airecruiter.adapters.documents.reader import ResumeReader
from airecruiter.adapters.llm.offline import OfflineLLM
from airecruiter.adapters.workday.client import WorkdayClient
from airecruiter.sandbox import seed
from tests.integration.sandbox_fixtures import running_sandbox
from tests.integration.workday_helpers import client_for


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[WorkdayClient]:
    async with running_sandbox() as sandbox:
        c = client_for(sandbox)
        yield c
        await c.aclose()


async def _risk(client: WorkdayClient, reader: ResumeReader, application_id: str, title: str, job: str) -> float:
    seeded = next(a for a in seed.seeded_applications() if a.application_id == application_id)
    resume = await client.resume(candidate_id=seeded.candidate_id, application_id=application_id)
    assert resume is not None, application_id
    text = reader.extract_sync(resume.content, resume.filename).text
    analysis = await OfflineLLM().analyze_resume(
        prompt="offline", prompt_version=1, resume_text=text, job_title=title, job_description=job
    )
    return analysis.risk_score


@pytest.mark.parametrize("requisition_id", seed.OPEN_REQUISITION_IDS)
async def test_strong_matches_score_a_lower_risk_than_weak_ones(client: WorkdayClient, requisition_id: str) -> None:
    requisition = await client.requisition(requisition_id)
    assert requisition is not None
    reader = ResumeReader()
    strong = seed.applications_by_fit(requisition_id, "strong")
    weak = [a for a in seed.applications_by_fit(requisition_id, "weak") if a != seed.IMAGE_ONLY_APPLICATION_ID]
    assert strong and weak, "the seed has both kinds for every open requisition"
    strong_risks = [await _risk(client, reader, a, requisition.title, requisition.description) for a in strong]
    weak_risks = [await _risk(client, reader, a, requisition.title, requisition.description) for a in weak]
    assert max(strong_risks) < min(weak_risks), (strong_risks, weak_risks)
