"""Whatever a client sends, the sandbox answers with a response or a client-side fault, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from airecruiter.sandbox import Chaos, seed_tenant
from airecruiter.sandbox.faults import ProcessingFault, SoapFault
from airecruiter.sandbox.soap import SoapService, parse_request
from airecruiter.sandbox.xmlutil import SOAP_NS, WD_NS
from tests.integration.sandbox_fixtures import envelope, get_candidates, ref, response_filter

OPERATIONS = ("Get_Job_Requisitions", "Get_Candidates", "Get_Candidate_Attachments", "Put_Candidate_Attachment")
NAMES = (
    "Request_References",
    "Request_Criteria",
    "Response_Filter",
    "Response_Group",
    "Page",
    "Count",
    "As_Of_Entry_DateTime",
    "As_Of_Effective_Date",
    "Candidate_Reference",
    "Job_Requisition_Reference",
    "Job_Application_Reference",
    "Recruiting_Stage_Reference",
    "Job_Requisition_Status_Reference",
    "ID",
    "Transaction_Log_Criteria_Data",
    "Transaction_Date_Range_Data",
    "Updated_From",
    "Updated_Through",
    "Applied_From",
    "Applied_Through",
    "Candidate_Email_Address",
    "First_Name",
    "Internal_Workers_Only",
    "Include_Reference",
    "Exclude_All_Attachments",
    "Include_Roles",
    "Candidate_Attachment_Data",
    "Attachment_Data",
    "Filename",
    "File_Content",
    "Mime_Type_Reference",
    "Document_Category_Reference",
    "Comment",
    "Job_Application_Attachment_Data",
    "Candidate_Attachment_Reference",
    "Worker_Reference",
    "Unknown_Element",
)
TEXTS = st.sampled_from(
    [
        "",
        "1",
        "0",
        "-3",
        "1.5",
        "999",
        "1000",
        "true",
        "false",
        "yes",
        "C000101",
        "R-00101",
        "JA-000108",
        "Screen",
        "2026-03-08T12:00:00Z",
        "2026-13-45T99:00:00Z",
        "2026-03-08",
        "JVBERi0xLjQK",
        "!!notbase64",
        "OTHER_DOCUMENTS",
        "application/pdf",
        "Ana.Silva@Example.com",
        "\u00e9\u00e8\u4e2d",
        "x" * 300,
    ]
) | st.text(max_size=20)
ID_TYPES = st.sampled_from(
    [
        "WID",
        "Candidate_ID",
        "Job_Requisition_ID",
        "Job_Application_ID",
        "Recruiting_Stage_ID",
        "Content_Type_ID",
        "Document_Category__Workday_Owned__ID",
        "Nope",
        "",
    ]
)


@st.composite
def element(draw: st.DrawFn, depth: int = 0) -> etree._Element:
    node = etree.Element(f"{{{WD_NS}}}{draw(st.sampled_from(NAMES))}")
    if draw(st.booleans()):
        node.set(f"{{{WD_NS}}}type", draw(ID_TYPES))
    if depth < 3 and draw(st.booleans()):
        for kid in draw(st.lists(element(depth + 1), max_size=4)):
            node.append(kid)
    else:
        text = draw(TEXTS)
        node.text = "".join(ch for ch in text if ch.isprintable())
    return node


@st.composite
def request(draw: st.DrawFn) -> bytes:
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"s": SOAP_NS, "b": WD_NS})
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    operation = etree.SubElement(body, f"{{{WD_NS}}}{draw(st.sampled_from(OPERATIONS))}_Request")
    if draw(st.booleans()):
        operation.set(f"{{{WD_NS}}}Add_Only", draw(st.sampled_from(["true", "false", "maybe"])))
    for kid in draw(st.lists(element(), max_size=4)):
        operation.append(kid)
    return bytes(etree.tostring(envelope))


SERVICE = SoapService(seed_tenant(), Chaos())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request())
def test_random_requests_never_crash_the_sandbox(body: bytes) -> None:
    try:
        answer = SERVICE.execute(parse_request(body), "v45.0")
    except ProcessingFault as fault:
        raise AssertionError(f"unexpected server error for {body!r}") from fault
    except SoapFault as fault:
        assert fault.envelope().startswith(b"<?xml")
    else:
        assert etree.fromstring(answer).tag == f"{{{SOAP_NS}}}Envelope"


def _valid_requests() -> list[str]:
    put = (
        '<bsvc:Put_Candidate_Attachment_Request bsvc:Add_Only="true" bsvc:version="v45.0">'
        f"{ref('Candidate_Reference', 'Candidate_ID', 'C000101')}<bsvc:Candidate_Attachment_Data>"
        "<bsvc:Attachment_Data><bsvc:Filename>r.pdf</bsvc:Filename><bsvc:File_Content>JVBERi0xLjQK</bsvc:File_Content>"
        f"{ref('Mime_Type_Reference', 'Content_Type_ID', 'application/pdf')}</bsvc:Attachment_Data>"
        f"{ref('Document_Category_Reference', 'Document_Category__Workday_Owned__ID', 'OTHER_DOCUMENTS')}"
        "</bsvc:Candidate_Attachment_Data><bsvc:Job_Application_Attachment_Data>"
        f"{ref('Job_Application_Reference', 'Job_Application_ID', 'JA-000101')}<bsvc:Attachment_Data>"
        "<bsvc:Filename>a.pdf</bsvc:Filename><bsvc:File_Content>JVBERi0xLjQK</bsvc:File_Content>"
        "</bsvc:Attachment_Data></bsvc:Job_Application_Attachment_Data></bsvc:Put_Candidate_Attachment_Request>"
    )
    requisitions = (
        "<bsvc:Get_Job_Requisitions_Request><bsvc:Request_Criteria>"
        f"{ref('Job_Requisition_Status_Reference', 'Job_Requisition_Status_ID', 'Open')}"
        "<bsvc:Transaction_Log_Criteria_Data><bsvc:Transaction_Date_Range_Data>"
        "<bsvc:Updated_From>2026-01-01T00:00:00Z</bsvc:Updated_From>"
        "<bsvc:Updated_Through>2030-01-01T00:00:00Z</bsvc:Updated_Through>"
        "</bsvc:Transaction_Date_Range_Data></bsvc:Transaction_Log_Criteria_Data></bsvc:Request_Criteria>"
        f"{response_filter(1, 2)}<bsvc:Response_Group><bsvc:Include_Roles>true</bsvc:Include_Roles>"
        "</bsvc:Response_Group></bsvc:Get_Job_Requisitions_Request>"
    )
    resume = SERVICE.tenant.candidate("C000110").attachments[0].wid
    attachments = (
        "<bsvc:Get_Candidate_Attachments_Request><bsvc:Request_References>"
        f"{ref('Candidate_Attachment_Reference', 'WID', resume)}"
        "</bsvc:Request_References>"
        f"<bsvc:Request_Criteria>{ref('Candidate_Reference', 'Candidate_ID', 'C000110')}"
        "</bsvc:Request_Criteria></bsvc:Get_Candidate_Attachments_Request>"
    )
    candidates = get_candidates(
        ref("Job_Requisition_Reference", "Job_Requisition_ID", "R-00102")
        + ref("Recruiting_Stage_Reference", "Recruiting_Stage_ID", "Screen")
        + "<bsvc:Applied_From>2026-01-01T00:00:00Z</bsvc:Applied_From>",
        count=3,
        as_of="2030-01-01T00:00:00Z",
        exclude_attachments=False,
    )
    return [envelope(body, descriptors=True) for body in (put, requisitions, attachments, candidates)]


TEMPLATES = _valid_requests()


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    root = etree.fromstring(draw(st.sampled_from(TEMPLATES)).encode())
    request_element = root.find(f"{{{SOAP_NS}}}Body")[0]  # type: ignore[index]
    nodes = list(request_element.iter())
    for _ in range(draw(st.integers(1, 4))):
        node = draw(st.sampled_from(nodes))
        action = draw(st.sampled_from(["text", "attribute", "drop", "duplicate", "rename"]))
        parent = node.getparent()
        if action == "text" and not len(node):
            node.text = "".join(ch for ch in draw(TEXTS) if ch.isprintable())
        elif action == "attribute":
            node.set(
                f"{{{WD_NS}}}{draw(st.sampled_from(['type', 'Skip_Non_Existing_Instances', 'Add_Only']))}",
                draw(st.sampled_from(["WID", "true", "false", "Candidate_ID", "??"])),
            )
        elif action == "drop" and parent is not None and node is not request_element:
            parent.remove(node)
            nodes = list(request_element.iter())
        elif action == "duplicate" and parent is not None and node is not request_element:
            parent.append(etree.fromstring(etree.tostring(node)))
            nodes = list(request_element.iter())
        elif action == "rename" and node is not request_element:
            node.tag = f"{{{WD_NS}}}{draw(st.sampled_from(NAMES))}"
    return bytes(etree.tostring(root))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_valid_requests_never_crash_the_sandbox(body: bytes) -> None:
    try:
        answer = SERVICE.execute(parse_request(body), "v45.0")
    except ProcessingFault as fault:
        raise AssertionError(f"unexpected server error for {body!r}") from fault
    except SoapFault:
        return
    assert etree.fromstring(answer).tag == f"{{{SOAP_NS}}}Envelope"
