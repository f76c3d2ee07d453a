"""The Workday client against the sandbox tenant over HTTP: every operation, both response shapes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from airecruiter.adapters.workday.client import WorkdayClient
from airecruiter.ports.workday import Application
from airecruiter.sandbox import seed
from airecruiter.sandbox.server import SandboxServer
from tests.integration.sandbox_fixtures import running_sandbox
from tests.integration.workday_helpers import calls, client_for


@pytest.fixture(scope="module")
async def sandbox() -> AsyncIterator[SandboxServer]:
    """One well-behaved sandbox for the read-only tests of this module."""
    async with running_sandbox() as server:
        yield server


@pytest.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[WorkdayClient]:
    c = client_for(sandbox)
    yield c
    await c.aclose()


def _seeded(requisition_id: str) -> set[str]:
    return {a.application_id for a in seed.seeded_applications() if a.requisition_id == requisition_id}


async def test_open_requisitions_come_with_title_description_and_recruiter(client: WorkdayClient) -> None:
    found = {r.requisition_id: r for r in await client.requisitions()}
    assert set(found) == set(seed.OPEN_REQUISITION_IDS)
    backend = found[seed.BACKEND_REQUISITION_ID]
    assert backend.status == "Open"
    assert "Engineer" in backend.title
    assert "<" in backend.description and len(backend.description) > 500  # Workday's HTML, kept as it is
    assert backend.recruiter_name and backend.recruiter_id
    everything = {r.requisition_id for r in await client.requisitions(open_only=False)}
    assert seed.CLOSED_REQUISITION_ID in everything


async def test_requisitions_updated_in_a_window_are_only_those_touched_in_it() -> None:
    async with running_sandbox() as sandbox:
        client = client_for(sandbox)
        try:
            touched = sandbox.tenant.now() - timedelta(seconds=1)
            sandbox.tenant.touch_requisition(seed.DATA_ANALYST_REQUISITION_ID, at=touched)
            window = await client.requisitions(updated_from=touched - timedelta(minutes=1))
            assert [r.requisition_id for r in window] == [seed.DATA_ANALYST_REQUISITION_ID]
        finally:
            await client.aclose()


async def test_one_requisition_by_id_and_none_for_an_unknown_id(client: WorkdayClient) -> None:
    found = await client.requisition(seed.SUPPORT_LEAD_REQUISITION_ID)
    assert found is not None and found.requisition_id == seed.SUPPORT_LEAD_REQUISITION_ID
    assert await client.requisition("R-99999") is None


async def test_applications_are_the_requisitions_own_not_the_candidates_others(client: WorkdayClient) -> None:
    got = [a async for a in client.applications(seed.BACKEND_REQUISITION_ID)]
    assert {a.application_id for a in got} == _seeded(seed.BACKEND_REQUISITION_ID)
    assert all(a.requisition_id == seed.BACKEND_REQUISITION_ID for a in got)
    two = [a for a in got if a.candidate_id == seed.TWO_APPLICATIONS_CANDIDATE_ID]
    assert len(two) == 1  # the candidate's application to the other requisition is not this one's
    sample = got[0]
    assert sample.candidate_name and sample.email and "@" in sample.email
    assert sample.stage and sample.status_changed_at is not None and sample.status_changed_at.tzinfo


async def test_both_response_shapes_give_the_same_records() -> None:
    async with running_sandbox() as sandbox:
        client = client_for(sandbox)
        try:
            read: dict[str, list[Application]] = {}
            for shape in ("v4x", "v31"):
                sandbox.chaos.shape = shape
                read[shape] = sorted(
                    [a async for a in client.applications(seed.DATA_ANALYST_REQUISITION_ID)],
                    key=lambda a: a.application_id,
                )
        finally:
            await client.aclose()
    assert {a.application_id for a in read["v31"]} == _seeded(seed.DATA_ANALYST_REQUISITION_ID)
    # Self-identification sits in the v4x job-application data only (Personal_Information_Data): the
    # older shape has none, everything else is the same.
    assert all(a.self_identification is None for a in read["v31"])
    assert [replace(a, self_identification=None) for a in read["v4x"]] == read["v31"]


async def test_paging_keeps_one_snapshot_while_workday_changes_between_pages() -> None:
    async with running_sandbox() as sandbox:
        client = client_for(sandbox, page_size=2)
        tenant = sandbox.tenant
        expected = _seeded(seed.BACKEND_REQUISITION_ID)
        try:
            seen: list[Application] = []
            async for application in client.applications(seed.BACKEND_REQUISITION_ID):
                if not seen:
                    # After page 1: a new application arrives and a seen-later one changes stage.
                    newcomer = tenant.add_candidate("Nora", "Late", "nora.late@example.com")
                    tenant.add_application(newcomer.candidate_id, seed.BACKEND_REQUISITION_ID)
                    last = sorted(expected)[-1]
                    tenant.advance_stage(last, "Offer")
                seen.append(application)
            assert {a.application_id for a in seen} == expected
            assert len(seen) == len(expected)  # no application twice, none skipped
            assert all(a.stage != "Offer" for a in seen)
            again = {a.application_id: a for a in [a async for a in client.applications(seed.BACKEND_REQUISITION_ID)]}
            assert len(again) == len(expected) + 1
            assert again[sorted(expected)[-1]].stage == "Offer"
            assert calls(sandbox, "Get_Candidates") >= 2 * ((len(expected) + 1) // 2)
        finally:
            await client.aclose()


async def test_a_refused_requisition_filter_falls_back_to_the_application_date_window() -> None:
    async with running_sandbox(reject_requisition_filter=True) as sandbox:
        client = client_for(sandbox)
        try:
            first = {a.application_id async for a in client.applications(seed.BACKEND_REQUISITION_ID)}
            refused_before = calls(sandbox, "Get_Candidates")
            second = {a.application_id async for a in client.applications(seed.SUPPORT_LEAD_REQUISITION_ID)}
            # The client remembered the refusal: the second requisition cost one call, not a refused one too.
            assert calls(sandbox, "Get_Candidates") == refused_before + 1
        finally:
            await client.aclose()
    assert first == _seeded(seed.BACKEND_REQUISITION_ID)
    assert second == _seeded(seed.SUPPORT_LEAD_REQUISITION_ID)


async def test_resumes_come_from_the_application_or_the_candidates_attachments(client: WorkdayClient) -> None:
    by_id = {a.application_id: a for a in seed.seeded_applications()}
    pdf_id = seed.TWO_COLUMN_APPLICATION_IDS[0]
    pdf = await client.resume(candidate_id=by_id[pdf_id].candidate_id, application_id=pdf_id)
    assert pdf is not None and pdf.content.startswith(b"%PDF") and pdf.filename.endswith(".pdf")
    docx_id = seed.DOCX_APPLICATION_IDS[0]
    word = await client.resume(candidate_id=by_id[docx_id].candidate_id, application_id=docx_id)
    assert word is not None and word.content.startswith(b"PK") and word.filename.endswith(".docx")
    level = await client.resume(
        candidate_id=seed.CANDIDATE_LEVEL_RESUME_CANDIDATE_ID, application_id=seed.CANDIDATE_LEVEL_RESUME_APPLICATION_ID
    )
    assert level is not None and level.content[:4] in (b"%PDF", b"PK\x03\x04")
    assert level.category == "CANDIDATE_RESUME_AND_COVER_LETTER"


@pytest.mark.parametrize(("shape", "second_calls"), [("v4x", 0), ("v31", 1)])
async def test_a_candidate_level_resume_comes_inline_and_is_asked_for_only_when_it_did_not(
    shape: str, second_calls: int
) -> None:
    # v4x sends Candidate_Data/Candidate_Attachment_Data with Get_Candidates; the v31 shape has none,
    # so only there does the client ask Get_Candidate_Attachments for the same bytes.
    async with running_sandbox(shape=shape) as sandbox:
        client = client_for(sandbox)
        try:
            level = await client.resume(
                candidate_id=seed.CANDIDATE_LEVEL_RESUME_CANDIDATE_ID,
                application_id=seed.CANDIDATE_LEVEL_RESUME_APPLICATION_ID,
            )
        finally:
            await client.aclose()
        assert level is not None and level.category == "CANDIDATE_RESUME_AND_COVER_LETTER"
        assert level.content[:4] in (b"%PDF", b"PK\x03\x04") and level.attachment_id
        assert calls(sandbox, "Get_Candidates") == 1
        assert calls(sandbox, "Get_Candidate_Attachments") == second_calls


async def test_an_uploaded_report_lands_once_even_when_the_upload_is_retried() -> None:
    async with running_sandbox() as sandbox:
        client = client_for(sandbox)
        candidate = seed.INJECTION_CANDIDATE_ID
        report = b"%PDF-1.7\n% candidate report\n%%EOF\n"
        try:
            first = await client.upload_report(
                candidate_id=candidate,
                filename="CandidateReport_7.pdf",
                content=report,
                comment="AIRecruiter screening report",
            )
            retried = await client.upload_report(
                candidate_id=candidate, filename="CandidateReport_7.pdf", content=report
            )
            listed = await client.attachments(candidate)
        finally:
            await client.aclose()
        assert first.created and first.document_id
        assert not retried.created and retried.document_id == first.document_id
        assert calls(sandbox, "Put_Candidate_Attachment") == 1
        assert [a.filename for a in listed].count("CandidateReport_7.pdf") == 1
        stored = sandbox.tenant.attachment(first.document_id)
        assert stored is not None and stored.content == report


async def test_connected_is_true_against_the_sandbox_and_false_when_nothing_answers(
    client: WorkdayClient,
) -> None:
    assert await client.connected() is True
    async with running_sandbox() as sandbox:
        stopped = client_for(sandbox)
    try:
        assert await stopped.connected() is False
    finally:
        await stopped.aclose()


async def test_the_client_reads_the_datetimes_workday_wrote(client: WorkdayClient) -> None:
    got = [a async for a in client.applications(seed.SUPPORT_LEAD_REQUISITION_ID)]
    now = datetime.now(UTC)
    assert all(a.applied_at is not None and a.applied_at < now + timedelta(minutes=1) for a in got)


async def test_phones_keep_their_country_code_through_the_v4x_contact_data() -> None:
    async with running_sandbox() as sandbox:
        client = client_for(sandbox)
        try:
            read = [a async for a in client.applications(seed.DATA_ANALYST_REQUISITION_ID)]
        finally:
            await client.aclose()
        expected = {c.candidate_id: c.phone for c in sandbox.tenant.candidates.values()}
    assert read and all(a.phone == expected[a.candidate_id] for a in read)
    assert all(a.phone is None or a.phone.startswith("+") for a in read)
