"""The SOAP requests we send Workday, element for element against workday-soap.md §10 (F2, F3, F5, F8–F10).

Workday validates requests against its XSD, so a wrong namespace, a missing attribute or an element
out of sequence is a refused sync or a lost report; these tests pin the bytes the builders produce.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from airecruiter.adapters.workday import envelope
from airecruiter.adapters.workday.envelope import Paging, Request
from airecruiter.adapters.workday.xml import SOAP_NS, WD_NS

FIXTURES = Path(__file__).parent / "workday_fixtures"
VERSION = "v43.2"
SNAPSHOT = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
REPORT_PDF = b"%PDF-1.4\n%fake report for tests\n%%EOF\n"
NS = {"soapenv": SOAP_NS, "bsvc": WD_NS}
ATTACHMENT = "bsvc:Candidate_Attachment_Data/bsvc:Attachment_Data"
Element = etree._Element


def fixture(name: str) -> Element:
    return etree.fromstring((FIXTURES / name).read_bytes())


def sent(request: Request) -> Element:
    """The envelope as Workday receives it."""
    return etree.fromstring(request.to_bytes())


def operation_root(root: Element) -> Element:
    [element] = root.find("soapenv:Body", NS)
    return element


def shape(element: Element) -> tuple[object, ...]:
    """Namespace-qualified names, attributes and text, children in order; indentation ignored."""
    return (
        element.tag,
        tuple(sorted(element.attrib.items())),
        (element.text or "").strip() or None,
        tuple(shape(c) for c in element if isinstance(c.tag, str)),
    )


def names(element: Element) -> list[str]:
    return [etree.QName(c).localname for c in element]


def put(**overrides: object) -> Request:
    arguments: dict[str, object] = {
        "candidate_id": "C000731",
        "filename": "Screening_Report_JA-000101_r1.pdf",
        "content": REPORT_PDF,
        "content_type": "application/pdf",
        "category_type": "Document_Category__Workday_Owned__ID",
        "category_id": "OTHER_DOCUMENTS",
        "comment": "Automated screening report for R-00042",
    }
    arguments.update(overrides)
    return envelope.put_candidate_attachment(VERSION, **arguments)  # type: ignore[arg-type]


# --- Get_Job_Requisitions (F2, F3) ------------------------------------------------------------


def test_open_requisitions_request_is_f2() -> None:
    request = envelope.get_job_requisitions(VERSION, Paging(1, 100, SNAPSHOT), status="Open", updated=None)
    root = sent(request)
    assert shape(root) == shape(fixture("f02_get_job_requisitions_request.xml"))
    # Spelled out, for the reader: namespace, version attribute, descriptors header, XSD order.
    body = operation_root(root)
    assert body.tag == f"{{{WD_NS}}}Get_Job_Requisitions_Request"
    assert body.get(f"{{{WD_NS}}}version") == VERSION
    assert names(body) == ["Request_Criteria", "Response_Filter", "Response_Group"]
    assert (
        root.findtext(
            "soapenv:Header/bsvc:Workday_Common_Header/bsvc:Include_Reference_Descriptors_In_Response",
            namespaces=NS,
        )
        == "true"
    )
    assert names(body.find("bsvc:Response_Filter", NS)) == [
        "As_Of_Effective_Date",
        "As_Of_Entry_DateTime",
        "Page",
        "Count",
    ]
    assert body.findtext("bsvc:Response_Group/bsvc:Include_Roles", namespaces=NS) == "true"


def test_updated_window_criteria_are_f3_in_utc() -> None:
    berlin = timezone(timedelta(hours=1))
    window = (datetime(2026, 3, 7, 12, 55, tzinfo=berlin), datetime(2026, 3, 8, 13, 0, tzinfo=berlin))
    request = envelope.get_job_requisitions(VERSION, Paging(1, 100, SNAPSHOT), status=None, updated=window)
    criteria = operation_root(sent(request)).find("bsvc:Request_Criteria", NS)
    assert shape(criteria) == shape(fixture("f03_requisitions_updated_window_criteria.xml"))


def test_a_snapshot_inside_a_second_keeps_its_milliseconds() -> None:
    # Truncated to the second, a snapshot would hide an upload made a moment ago from the
    # duplicate check of a retried upload.
    moment = datetime(2026, 3, 8, 12, 0, 0, 437_901, tzinfo=UTC)
    request = envelope.get_candidate_attachments(VERSION, Paging(1, 10, moment), "C000731")
    assert (
        operation_root(sent(request)).findtext("bsvc:Response_Filter/bsvc:As_Of_Entry_DateTime", namespaces=NS)
        == "2026-03-08T12:00:00.437Z"
    )


def test_the_effective_date_is_the_snapshot_s_utc_date() -> None:
    # 00:30 in Berlin is still the previous day in UTC: the date and the instant name the same moment.
    moment = datetime(2026, 3, 9, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    root = operation_root(sent(envelope.get_candidates_by_requisition(VERSION, Paging(2, 5, moment), "R-1")))
    assert root.findtext("bsvc:Response_Filter/bsvc:As_Of_Effective_Date", namespaces=NS) == "2026-03-08"
    assert root.findtext("bsvc:Response_Filter/bsvc:As_Of_Entry_DateTime", namespaces=NS) == "2026-03-08T23:30:00Z"


def test_status_and_window_together_keep_the_xsd_order() -> None:
    window = (datetime(2026, 3, 7, 11, 55, tzinfo=UTC), SNAPSHOT)
    request = envelope.get_job_requisitions(VERSION, Paging(1, 100, SNAPSHOT), status="Open", updated=window)
    criteria = operation_root(sent(request)).find("bsvc:Request_Criteria", NS)
    assert names(criteria) == ["Transaction_Log_Criteria_Data", "Job_Requisition_Status_Reference"]


def test_requisition_by_id_uses_references_before_the_filter() -> None:
    request = envelope.get_job_requisitions(
        VERSION, Paging(1, 100, SNAPSHOT), status=None, updated=None, requisition_ids=["R-00042"]
    )
    body = operation_root(sent(request))
    assert names(body) == ["Request_References", "Response_Filter", "Response_Group"]
    refs = body.find("bsvc:Request_References", NS)
    assert refs.get(f"{{{WD_NS}}}Skip_Non_Existing_Instances") == "true"
    [ref_id] = refs.findall("bsvc:Job_Requisition_Reference/bsvc:ID", NS)
    assert (ref_id.get(f"{{{WD_NS}}}type"), ref_id.text) == ("Job_Requisition_ID", "R-00042")


def test_the_version_attribute_is_the_configured_one() -> None:
    request = envelope.get_job_requisitions("v45.0", Paging(1, 100, SNAPSHOT), status="Open", updated=None)
    assert operation_root(sent(request)).get(f"{{{WD_NS}}}version") == "v45.0"


# --- Get_Candidates (F5 and its fallback, F8) -------------------------------------------------


def test_candidates_of_a_requisition_page_two_is_f5() -> None:
    request = envelope.get_candidates_by_requisition(VERSION, Paging(2, 100, SNAPSHOT), "R-00042")
    assert shape(sent(request)) == shape(fixture("f05_get_candidates_request.xml"))


def test_applied_window_fallback_is_f5_with_its_criteria_replaced() -> None:
    request = envelope.get_candidates_applied(
        VERSION, Paging(2, 100, SNAPSHOT), datetime(2026, 3, 6, 12, 0, tzinfo=UTC), SNAPSHOT
    )
    ours = sent(request)
    expected = fixture("f05_get_candidates_request.xml")
    old = operation_root(expected).find("bsvc:Request_Criteria", NS)
    old.getparent().replace(old, fixture("f05_applied_window_criteria.xml"))
    assert shape(ours) == shape(expected)


def test_one_candidate_with_attachments_is_f8() -> None:
    request = envelope.get_candidate_with_attachments(VERSION, "C000731")
    assert shape(sent(request)) == shape(fixture("f08_get_candidate_with_attachments_request.xml"))


# --- Get_Candidate_Attachments (F9) -----------------------------------------------------------


def test_candidate_attachments_request_is_f9_plus_the_snapshot_time() -> None:
    request = envelope.get_candidate_attachments(VERSION, Paging(1, 10, SNAPSHOT), "C000731")
    ours = sent(request)
    response_filter = operation_root(ours).find("bsvc:Response_Filter", NS)
    # §4: every paged request pins As_Of_Effective_Date and As_Of_Entry_DateTime (F9 leaves both out);
    # they come first in the filter, in XSD order.
    assert names(response_filter) == ["As_Of_Effective_Date", "As_Of_Entry_DateTime", "Page", "Count"]
    assert response_filter[0].text == "2026-03-08"
    assert response_filter[1].text == "2026-03-08T12:00:00Z"
    response_filter.remove(response_filter[1])
    response_filter.remove(response_filter[0])
    assert shape(ours) == shape(fixture("f09_get_candidate_attachments_request.xml"))


# --- Put_Candidate_Attachment (F10) -----------------------------------------------------------


def test_report_upload_is_f10() -> None:
    assert shape(sent(put())) == shape(fixture("f10_put_candidate_attachment_request.xml"))


def test_report_upload_structure() -> None:
    body = operation_root(sent(put()))
    assert body.get(f"{{{WD_NS}}}Add_Only") == "true"
    assert names(body) == ["Candidate_Reference", "Candidate_Attachment_Data"]
    data = body.find("bsvc:Candidate_Attachment_Data", NS)
    assert data.find("bsvc:Candidate_Reference", NS) is None
    assert names(data) == ["Attachment_Data", "Document_Category_Reference"]
    assert names(data.find("bsvc:Attachment_Data", NS)) == [
        "Filename",
        "File_Content",
        "Mime_Type_Reference",
        "Comment",
    ]


def test_report_upload_without_comment_has_no_comment_element() -> None:
    attachment = operation_root(sent(put(comment=None))).find(ATTACHMENT, NS)
    assert names(attachment) == ["Filename", "File_Content", "Mime_Type_Reference"]


@pytest.mark.parametrize("content", [REPORT_PDF, b"", bytes(range(256)) * 64], ids=["report", "empty", "all-bytes"])
def test_file_content_is_base64_of_exactly_the_bytes(content: bytes) -> None:
    body = operation_root(sent(put(content=content)))
    encoded = body.findtext(f"{ATTACHMENT}/bsvc:File_Content", namespaces=NS)
    assert base64.b64decode(encoded or "", validate=True) == content


# --- the descriptors header --------------------------------------------------------------------

OTHER_BUILDERS: list[Callable[[], Request]] = [
    lambda: envelope.get_candidates_by_requisition(VERSION, Paging(1, 100, SNAPSHOT), "R-00042"),
    lambda: envelope.get_candidates_applied(VERSION, Paging(1, 100, SNAPSHOT), SNAPSHOT, SNAPSHOT),
    lambda: envelope.get_candidate_with_attachments(VERSION, "C000731"),
    lambda: envelope.get_candidate_attachments(VERSION, Paging(1, 10, SNAPSHOT), "C000731"),
    put,
]


@pytest.mark.parametrize(
    "build", OTHER_BUILDERS, ids=["by-requisition", "applied", "with-attachments", "attachments", "put"]
)
def test_only_get_job_requisitions_asks_for_descriptors(build: Callable[[], Request]) -> None:
    root = sent(build())
    assert root.find("soapenv:Header", NS) is None
    assert names(root) == ["Body"]


# --- hostile values are data, never markup ------------------------------------------------------

HOSTILE = [
    "<b>Ana</b>",
    "A & B",
    "x]]>y",
    'say "hi"',
    "it's",
    "<![CDATA[boom]]>",
    "&amp;lt;",
    '</bsvc:ID><bsvc:ID bsvc:type="WID">x',
    "Résumé – Ana Silva.pdf",
    "  padded  ",
]

# (what, build the request with the value, where the value lands below the operation element)
PLACES: list[tuple[str, Callable[[str], Request], str]] = [
    (
        "candidate id, résumé lookup",
        lambda v: envelope.get_candidate_with_attachments(VERSION, v),
        "bsvc:Request_References/bsvc:Candidate_Reference/bsvc:ID",
    ),
    (
        "candidate id, attachment list",
        lambda v: envelope.get_candidate_attachments(VERSION, Paging(1, 10, SNAPSHOT), v),
        "bsvc:Request_Criteria/bsvc:Candidate_Reference/bsvc:ID",
    ),
    (
        "requisition id, candidates",
        lambda v: envelope.get_candidates_by_requisition(VERSION, Paging(1, 100, SNAPSHOT), v),
        "bsvc:Request_Criteria/bsvc:Job_Requisition_Reference/bsvc:ID",
    ),
    (
        "requisition id, requisitions",
        lambda v: envelope.get_job_requisitions(
            VERSION, Paging(1, 100, SNAPSHOT), status=None, updated=None, requisition_ids=[v]
        ),
        "bsvc:Request_References/bsvc:Job_Requisition_Reference/bsvc:ID",
    ),
    ("candidate id, upload", lambda v: put(candidate_id=v), "bsvc:Candidate_Reference/bsvc:ID"),
    ("filename, upload", lambda v: put(filename=v), f"{ATTACHMENT}/bsvc:Filename"),
    ("comment, upload", lambda v: put(comment=v), f"{ATTACHMENT}/bsvc:Comment"),
]


def _structure(element: Element) -> list[str]:
    return [str(e.tag) for e in element.iter()]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(("what", "build", "path"), PLACES, ids=[p[0] for p in PLACES])
def test_markup_in_a_value_round_trips_exactly(
    what: str, build: Callable[[str], Request], path: str, value: str
) -> None:
    ours = operation_root(sent(build(value)))
    assert ours.findtext(path, namespaces=NS) == value
    plain = operation_root(sent(build("plain")))
    assert _structure(ours) == _structure(plain), f"the {what} changed the request's structure"


def test_the_request_declares_utf8_and_is_encoded_so() -> None:
    data = put(filename="Résumé_Ana.pdf").to_bytes()
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "Résumé_Ana.pdf".encode() in data
