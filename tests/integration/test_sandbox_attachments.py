"""Get_Candidate_Attachments and Put_Candidate_Attachment over raw HTTP, checked through the control API."""

from __future__ import annotations

import base64
import io
import re

import docx
import pytest

from airecruiter.sandbox import SandboxServer
from airecruiter.sandbox.seed import CANDIDATE_LEVEL_RESUME_CANDIDATE_ID
from tests.integration.sandbox_fixtures import RawWorkday, ref, response_filter

REPORT = b"%PDF-1.4\n%fake report for tests\n%%EOF\n"
OTHER = ref("Document_Category_Reference", "Document_Category__Workday_Owned__ID", "OTHER_DOCUMENTS")


def attachment_data(
    filename: str = "Screening_Report_JA-000101_r1.pdf",
    content: bytes = REPORT,
    *,
    encoded: str | None = None,
    mime: str | None = "application/pdf",
) -> str:
    mime_ref = ref("Mime_Type_Reference", "Content_Type_ID", mime) if mime else ""
    return (
        f"<bsvc:Attachment_Data><bsvc:Filename>{filename}</bsvc:Filename>"
        f"<bsvc:File_Content>{encoded if encoded is not None else base64.b64encode(content).decode()}"
        f"</bsvc:File_Content>{mime_ref}<bsvc:Comment>Automated screening report</bsvc:Comment>"
        "</bsvc:Attachment_Data>"
    )


def put(candidate: str | None = "C000101", body: str | None = None, *, add_only: str = "true") -> str:
    candidate_ref = ref("Candidate_Reference", "Candidate_ID", candidate) if candidate else ""
    inner = (
        body
        if body is not None
        else (f"<bsvc:Candidate_Attachment_Data>{attachment_data()}{OTHER}</bsvc:Candidate_Attachment_Data>")
    )
    return (
        f'<bsvc:Put_Candidate_Attachment_Request bsvc:Add_Only="{add_only}" bsvc:version="v45.0">'
        f"{candidate_ref}{inner}</bsvc:Put_Candidate_Attachment_Request>"
    )


def get_attachments(candidate: str, group: str = "") -> str:
    return (
        '<bsvc:Get_Candidate_Attachments_Request bsvc:version="v45.0"><bsvc:Request_Criteria>'
        f"{ref('Candidate_Reference', 'Candidate_ID', candidate)}</bsvc:Request_Criteria>{response_filter(1, 10)}"
        f"<bsvc:Response_Group><bsvc:Include_Reference>true</bsvc:Include_Reference>{group}</bsvc:Response_Group>"
        "</bsvc:Get_Candidate_Attachments_Request>"
    )


async def test_candidate_level_resume(wd: RawWorkday) -> None:
    answer = await wd.call(get_attachments(CANDIDATE_LEVEL_RESUME_CANDIDATE_ID))
    assert answer.results()["Total_Results"] == 1
    data = "//wd:Candidate_Attachment/wd:Candidate_Attachment_Data"
    assert (
        answer.text(f"{data}/wd:Document_Category_Reference/wd:ID[@wd:type='Document_Category__Workday_Owned__ID']")
        == "CANDIDATE_RESUME_AND_COVER_LETTER"
    )
    assert answer.text(f"{data}/wd:Attachment_Data/wd:Filename") == "Sara_Lindqvist_Resume.docx"
    content = base64.b64decode(answer.text(f"{data}/wd:Attachment_Data/wd:File_Content"))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    assert "Power BI" in text and "Sara Lindqvist" in text
    assert answer.ids("Candidate_Attachment/wd:Candidate_Reference", "Candidate_ID") == ["C000110"]
    assert not (await wd.call(get_attachments("C000101"))).xpath("//wd:Candidate_Attachment")  # résumé per application


async def test_attachments_response_group_takes_only_include_reference(wd: RawWorkday) -> None:
    extra = "<bsvc:Include_Attachment_Data>true</bsvc:Include_Attachment_Data>"
    answer = await wd.call(get_attachments("C000110", extra))
    assert answer.status == 500 and answer.faultcode == "SOAP-ENV:Client.validationError"


async def test_put_candidate_attachment_creates_a_downloadable_file(sandbox: SandboxServer, wd: RawWorkday) -> None:
    answer = await wd.call(put())
    assert answer.status == 200
    assert answer.ids("Put_Candidate_Attachment_Response/wd:Candidate_Reference", "Candidate_ID") == ["C000101"]
    [wid] = answer.ids("Put_Candidate_Attachment_Response/wd:Attachment_Reference", "WID")
    assert re.fullmatch(r"[0-9a-f]{32}", wid)
    listed = (await wd.control("GET", "attachments", params={"candidate": "C000101", "origin": "upload"})).json()
    [row] = listed["attachments"]
    assert row == {
        **row,
        "wid": wid,
        "filename": "Screening_Report_JA-000101_r1.pdf",
        "category": "OTHER_DOCUMENTS",
        "size": len(REPORT),
        "candidate_id": "C000101",
        "application_id": None,
        "origin": "upload",
        "content_type": "application/pdf",
        "comment": "Automated screening report",
    }
    downloaded = await wd.control("GET", f"attachments/{wid}/content")
    assert downloaded.content == REPORT and downloaded.headers["content-type"] == "application/pdf"
    again = await wd.call(get_attachments("C000101"))
    assert again.ids("Candidate_Attachment_Reference", "WID") == [wid]
    assert sandbox.calls.operations["Put_Candidate_Attachment"] == 1
    assert (await wd.control("GET", "calls")).json()["succeeded"]["Put_Candidate_Attachment"] == 1


async def test_add_only_always_creates_and_replace_overwrites(sandbox: SandboxServer, wd: RawWorkday) -> None:
    first = (await wd.call(put())).ids("Attachment_Reference", "WID")[0]
    second = (await wd.call(put())).ids("Attachment_Reference", "WID")[0]
    assert first != second  # a retried upload duplicates: clients must check by filename first
    replacing = (
        f"<bsvc:Candidate_Attachment_Data>{ref('Candidate_Attachment_Reference', 'WID', first)}"
        f"{attachment_data('Report_r2.pdf', b'%PDF-1.7 second')}{OTHER}</bsvc:Candidate_Attachment_Data>"
    )
    replaced = await wd.call(put(body=replacing, add_only="false"))
    assert replaced.ids("Attachment_Reference", "WID") == [first]
    assert sandbox.tenant.attachment(first) is not None
    assert (await wd.control("GET", f"attachments/{first}/content")).content == b"%PDF-1.7 second"
    assert len(sandbox.tenant.attachments("C000101")) == 3  # the seeded résumé and two reports


async def test_attach_to_one_application(sandbox: SandboxServer, wd: RawWorkday) -> None:
    body = (
        "<bsvc:Job_Application_Attachment_Data>"
        f"{ref('Job_Application_Reference', 'Job_Application_ID', 'JA-000108')}{attachment_data(mime=None)}"
        "</bsvc:Job_Application_Attachment_Data>"
    )
    answer = await wd.call(put("C000108", body))
    assert answer.status == 200
    assert answer.ids("Job_Application_Attachment_Data/wd:Job_Application_Reference", "Job_Application_ID") == [
        "JA-000108"
    ]
    assert answer.text("//wd:Job_Applications_Updated") == "1"
    [wid] = answer.ids("Job_Application_Attachment_Reference", "WID")
    meta = (await wd.control("GET", f"attachments/{wid}")).json()
    assert meta["application_id"] == "JA-000108" and meta["category"] is None
    assert meta["content_type"] == "application/pdf"  # guessed from the file name
    wrong_owner = await wd.call(put("C000101", body))
    assert "does not belong to candidate 'C000101'" in (wrong_owner.faultstring or "")
    by_requisition = body.replace(
        ref("Job_Application_Reference", "Job_Application_ID", "JA-000108"),
        ref("Job_Requisition_Reference", "Job_Requisition_ID", "R-00101"),
    )
    assert (await wd.call(put("C000108", by_requisition))).status == 200
    assert len(sandbox.tenant.application("JA-000119").resumes) == 2


async def test_unknown_candidate_fault_matches_f12(wd: RawWorkday) -> None:
    answer = await wd.call(put("C999999"))
    message = "Invalid ID value.  'C999999' is not a valid ID value for type = 'Candidate_ID'"
    assert (answer.status, answer.faultcode) == (500, "SOAP-ENV:Client.validationError")
    assert answer.faultstring == f"Validation error occurred. {message}"
    assert answer.text("//wd:Validation_Error/wd:Detail_Message") == message
    assert (
        answer.text("//wd:Validation_Error/wd:Xpath")
        == "/bsvc:Put_Candidate_Attachment_Request[1]/bsvc:Candidate_Reference[1]"
    )


async def test_read_only_attachments_fault_matches_f14(sandbox: SandboxServer, wd: RawWorkday) -> None:
    sandbox.chaos.attachments_read_only = True
    answer = await wd.call(put())
    assert (answer.status, answer.faultcode) == (500, "SOAP-ENV:Server.processingError")
    assert answer.faultstring == "Processing error occurred. The task submitted is not authorized."
    assert answer.text("//wd:Processing_Fault/wd:Detail_Message") == "The task submitted is not authorized."
    assert not sandbox.tenant.attachments("C000101")[1:]


async def test_oversized_file_is_refused(sandbox: SandboxServer, wd: RawWorkday) -> None:
    big = b"%PDF-1.7\n" + b"0" * (30 * 1024 * 1024 - 8)
    answer = await wd.call(
        put(
            body=f"<bsvc:Candidate_Attachment_Data>{attachment_data(content=big)}{OTHER}"
            "</bsvc:Candidate_Attachment_Data>"
        )
    )
    assert answer.status == 500
    assert answer.faultstring == "Validation error occurred. File exceeds maximum size"
    assert len(sandbox.tenant.attachments("C000101")) == 1


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (
            f"<bsvc:Candidate_Attachment_Data>{attachment_data(encoded='not base64!!')}{OTHER}"
            "</bsvc:Candidate_Attachment_Data>",
            "File_Content is not valid base64",
        ),
        (
            f"<bsvc:Candidate_Attachment_Data>{attachment_data('')}{OTHER}</bsvc:Candidate_Attachment_Data>",
            "Filename is required",
        ),
        (
            f"<bsvc:Candidate_Attachment_Data>{attachment_data()}</bsvc:Candidate_Attachment_Data>",
            "Document_Category_Reference is required",
        ),
        (
            f"<bsvc:Candidate_Attachment_Data>{attachment_data()}"
            f"{ref('Document_Category_Reference', 'Document_Category_ID', 'NOPE')}</bsvc:Candidate_Attachment_Data>",
            "'NOPE' is not a valid ID value for type = 'Document_Category_ID'",
        ),
        (
            f"<bsvc:Candidate_Attachment_Data>{attachment_data(mime='application/x-nope')}{OTHER}"
            "</bsvc:Candidate_Attachment_Data>",
            "'application/x-nope' is not a valid ID value",
        ),
        ("", "Candidate_Attachment_Data or Job_Application_Attachment_Data is required"),
    ],
)
async def test_put_validation(sandbox: SandboxServer, wd: RawWorkday, body: str, fragment: str) -> None:
    answer = await wd.call(put(body=body))
    assert answer.faultcode == "SOAP-ENV:Client.validationError" and fragment in (answer.faultstring or "")
    assert len(sandbox.tenant.attachments("C000101")) == 1  # nothing was stored


async def test_tenant_defined_category(wd: RawWorkday) -> None:
    body = (
        f"<bsvc:Candidate_Attachment_Data>{attachment_data()}"
        f"{ref('Document_Category_Reference', 'Document_Category_ID', 'AI_SCREENING_REPORT')}"
        "</bsvc:Candidate_Attachment_Data>"
    )
    wid = (await wd.call(put(body=body))).ids("Attachment_Reference", "WID")[0]
    assert (await wd.control("GET", f"attachments/{wid}")).json()["category"] == "AI_SCREENING_REPORT"


async def test_control_api_download_unknown_and_listing(wd: RawWorkday) -> None:
    assert (await wd.control("GET", "attachments/0000/content")).status_code == 404
    everything = (await wd.control("GET", "attachments")).json()["attachments"]
    assert len(everything) == 19  # one résumé per application, Sara's at candidate level, Aisha's twice
    assert all(row["size"] > 0 for row in everything)
    assert (await wd.control("GET", "attachments", params={"candidate": "C404"})).status_code == 404
