"""The seeded tenant: realistic data, real résumé files with the special cases, determinism, scale mode."""

from __future__ import annotations

import ctypes
import io
import re
from datetime import UTC, datetime, timedelta

import docx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from airecruiter.sandbox import seed_tenant
from airecruiter.sandbox.resumes import DOCX, PDF
from airecruiter.sandbox.seed import (
    CANDIDATE_LEVEL_RESUME_APPLICATION_ID,
    CANDIDATE_LEVEL_RESUME_CANDIDATE_ID,
    DOCX_APPLICATION_IDS,
    IDEAL_FIT,
    IMAGE_ONLY_APPLICATION_ID,
    INJECTION_APPLICATION_ID,
    INJECTION_TEXT,
    OPEN_REQUISITION_IDS,
    SCALE_REQUISITION_ID,
    TWO_APPLICATIONS_APPLICATION_IDS,
    TWO_APPLICATIONS_CANDIDATE_ID,
    TWO_COLUMN_APPLICATION_IDS,
    applications_by_fit,
    profile,
    seeded_applications,
)
from tests.integration.sandbox_fixtures import get_candidates, raw_client, ref, running_sandbox


def pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    return "".join(page.get_textpage().get_text_range() for page in document)


def test_requisitions_and_recruiters() -> None:
    tenant = seed_tenant()
    requisitions = list(tenant.requisitions.values())
    statuses = {r.requisition_id: r.state.current.status.value for r in requisitions}
    assert [r for r, s in statuses.items() if s == "Open"] == list(OPEN_REQUISITION_IDS)
    assert "Closed" in statuses.values()
    for requisition in requisitions:
        assert requisition.roles and requisition.roles[0].role.value == "Primary_Recruiter"
        assert re.fullmatch(r"\d{5}", requisition.roles[0].worker.employee_id)
        assert requisition.job_description.startswith("<h2>") and "<ul>" in requisition.job_description
    for requisition_id in OPEN_REQUISITION_IDS:
        assert len(tenant.requisition(requisition_id).job_description) > 1200
        assert IDEAL_FIT[requisition_id]
        assert applications_by_fit(requisition_id, "strong") and applications_by_fit(requisition_id, "weak")


def test_candidates_and_applications() -> None:
    tenant = seed_tenant()
    now = datetime.now(UTC)
    candidates = list(tenant.candidates.values())
    assert len(candidates) >= 15
    assert all(re.fullmatch(r"[a-z.]+@example\.(com|org)", c.email) for c in candidates)
    stages = [a.state.current.stage.value for a in tenant.applications.values()]
    assert stages.count("Review") > len(stages) / 2 and "Screen" in stages
    two = tenant.candidate(TWO_APPLICATIONS_CANDIDATE_ID)
    assert [a.application_id for a in two.applications] == list(TWO_APPLICATIONS_APPLICATION_IDS)
    assert len({a.requisition.requisition_id for a in two.applications}) == 2
    assert sum(len(c.applications) > 1 for c in candidates) == 1
    for application in tenant.applications.values():
        if application.requisition.requisition_id in OPEN_REQUISITION_IDS:
            assert now - timedelta(days=5) < application.applied_at < now
            assert application.applied_at <= application.state.current.status_timestamp < now
    assert {a.application_id for a in seeded_applications()} == {a.application_id for a in tenant.applications.values()}


def test_resume_placement() -> None:
    tenant = seed_tenant()
    level = tenant.candidate(CANDIDATE_LEVEL_RESUME_CANDIDATE_ID)
    assert not tenant.application(CANDIDATE_LEVEL_RESUME_APPLICATION_ID).resumes
    [attachment] = level.attachments
    assert attachment.category is not None and attachment.category.value == "CANDIDATE_RESUME_AND_COVER_LETTER"
    without = [a for a in tenant.applications.values() if not a.resumes]
    assert [a.application_id for a in without] == [CANDIDATE_LEVEL_RESUME_APPLICATION_ID]
    types = {a.content_type for a in tenant.attachments()}
    assert types == {PDF, DOCX}


def test_exactly_one_image_only_pdf_and_the_others_have_text() -> None:
    tenant = seed_tenant()
    empty = []
    for application in tenant.applications.values():
        for resume in application.resumes:
            if resume.content_type == PDF:
                text = pdf_text(resume.content)
                if not text.strip():
                    empty.append(application.application_id)
                else:
                    assert application.candidate.last_name in text
    assert empty == [IMAGE_ONLY_APPLICATION_ID]
    scan = pdfium.PdfDocument(tenant.application(IMAGE_ONLY_APPLICATION_ID).resumes[0].content)
    assert any(obj.type == pdfium_raw.FPDF_PAGEOBJ_IMAGE for obj in scan[0].get_objects())


def test_injection_pdf_hides_white_text() -> None:
    tenant = seed_tenant()
    content = tenant.application(INJECTION_APPLICATION_ID).resumes[0].content
    page = pdfium.PdfDocument(content)[0].get_textpage()
    assert INJECTION_TEXT in page.get_text_range()
    found = page.search(INJECTION_TEXT[:28]).get_next()
    assert found is not None
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    assert pdfium_raw.FPDFText_GetFillColor(page, found[0], red, green, blue, alpha)
    assert (red.value, green.value, blue.value) == (255, 255, 255)
    others = [
        r
        for a in tenant.applications.values()
        if a.application_id != INJECTION_APPLICATION_ID
        for r in a.resumes
        if r.content_type == PDF
    ]
    assert all(INJECTION_TEXT not in pdf_text(r.content) for r in others)


def test_docx_and_two_column_resumes() -> None:
    tenant = seed_tenant()
    for application_id in DOCX_APPLICATION_IDS:
        application = tenant.application(application_id)
        document = docx.Document(io.BytesIO(application.resumes[0].content))
        text = "\n".join(p.text for p in document.paragraphs)
        assert application.candidate.name in text and len(document.tables) == 1
    for application_id in TWO_COLUMN_APPLICATION_IDS:
        resume = tenant.application(application_id).resumes[0]
        assert resume.filename.endswith("_CV.pdf")
        assert profile(tenant.application(application_id).candidate.candidate_id).skills[0] in pdf_text(resume.content)


def test_matching_and_non_matching_resumes_differ_in_substance() -> None:
    tenant = seed_tenant()
    keywords = {
        "R-00101": ("PostgreSQL", "Python"),
        "R-00102": ("SQL", "Tableau"),
        "R-00103": ("Zendesk", "Freshdesk", "Intercom"),
    }
    for requisition_id, words in keywords.items():
        for fit, expected in (("strong", True), ("weak", False)):
            for application_id in applications_by_fit(requisition_id, fit):
                person = profile(tenant.application(application_id).candidate.candidate_id)
                text = " ".join([person.summary, *person.skills, *(b for r in person.experience for b in r.bullets)])
                assert any(w in text for w in words) is expected, (application_id, fit)


def test_seed_is_deterministic() -> None:
    anchor = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    first, second = seed_tenant(anchor=anchor), seed_tenant(anchor=anchor)
    assert list(first.candidates) == list(second.candidates)
    assert list(first.applications) == list(second.applications)
    assert [a.wid for a in first.attachments()] == [a.wid for a in second.attachments()]
    assert first.attachments()[0].content == second.attachments()[0].content
    assert first.application("JA-000101").applied_at == anchor - timedelta(hours=20)
    assert all(re.fullmatch(r"[0-9a-f]{32}", wid) for wid in first.candidates)


async def test_scale_mode_pages_ten_thousand_candidates() -> None:
    async with running_sandbox(scale=10_000) as sandbox, raw_client(sandbox) as wd:
        criteria = ref("Job_Requisition_Reference", "Job_Requisition_ID", SCALE_REQUISITION_ID)
        as_of = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # pinned by the client on page 1
        first = await wd.call(get_candidates(criteria, count=100, as_of=as_of))
        assert first.results() == {"Total_Results": 10_000, "Total_Pages": 100, "Page_Results": 100, "Page": 1}
        seen = set(first.ids("Candidate/wd:Candidate_Reference", "Candidate_ID"))
        for page in (2, 50, 100):
            answer = await wd.call(get_candidates(criteria, page=page, count=100, as_of=as_of))
            assert answer.results()["Page_Results"] == 100
            seen |= set(answer.ids("Candidate/wd:Candidate_Reference", "Candidate_ID"))
        assert len(seen) == 400
        scale_resumes = [a for a in sandbox.tenant.attachments() if a.lazy]
        assert len(scale_resumes) == 10_000 and not any(a.generated for a in scale_resumes)
        listing = (await wd.control("GET", "attachments", params={"candidate": "C200001"})).json()["attachments"]
        assert listing[0]["size"] is None  # not rendered until someone asks for the bytes
        pdf = await wd.control("GET", f"attachments/{listing[0]['wid']}/content")
        assert pdf.content.startswith(b"%PDF-") and "Alex" in pdf_text(pdf.content)
