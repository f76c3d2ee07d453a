"""Workday's responses as a recruiter sees them: the fixtures of workday-soap.md §10 read into records,
and each HTTP status + body turned into the error the queue acts on."""

from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from lxml import etree

from airecruiter.adapters.workday.parse import (
    CandidateRecord,
    Fault,
    data_items,
    envelope_body,
    find_fault,
    page_info,
    parse_attachment_info,
    parse_candidate,
    parse_candidate_attachment,
    parse_requisition,
    payload,
    uploaded_attachment_id,
)
from airecruiter.adapters.workday.transport import _AuthenticationRefused, _interpret
from airecruiter.adapters.workday.xml import WD_NS, Element, local
from airecruiter.errors import (
    ConfigurationError,
    ParseError,
    PermanentError,
    ValidationError,
    WorkdayRateLimitError,
    policy_for,
)
from airecruiter.ports.workday import Application, Attachment, AttachmentInfo, Requisition
from tests.workday_schema import errors_where_present

FIXTURES = Path(__file__).parent / "workday_fixtures"
RESUME_PDF = b"%PDF-1.4\n%fake resume for tests\n%%EOF\n"
PACIFIC = timezone(timedelta(hours=-8))
ENDPOINT = "https://x/ccx/service/acme/Recruiting/v45.0"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def response_from(data: bytes, operation: str) -> Element:
    return payload(envelope_body(data), operation)


def response(name: str, operation: str) -> Element:
    return response_from(fixture(name), operation)


def candidates(name: str) -> list[CandidateRecord]:
    return [parse_candidate(c) for c in data_items(response(name, "Get_Candidates"), "Candidate")]


def requisitions(name: str) -> list[Requisition]:
    return [parse_requisition(r) for r in data_items(response(name, "Get_Job_Requisitions"), "Job_Requisition")]


def applications_by_id(record: CandidateRecord) -> dict[str, Application]:
    return {a.application_id: a for a in record.applications}


def fault_of(name: str) -> Fault:
    fault = find_fault(envelope_body(fixture(name)))
    assert fault is not None
    return fault


# --- requisitions (F4 and the recruiter alternatives of §5.1) ---------------------------------


def test_f4_requisition_is_read_with_its_title_html_description_status_and_recruiter() -> None:
    [requisition] = requisitions("f04_get_job_requisitions_response.xml")
    assert requisition.requisition_id == "R-00042"
    assert requisition.wid == "3b6f0c1e9a2d4e7f8a1b2c3d4e5f6a7b"
    assert requisition.title == "Senior Data Engineer"
    assert requisition.description == (
        "<p>We are hiring a <b>Senior Data Engineer</b>.</p><ul><li>Python</li><li>SQL</li></ul>"
    )
    assert requisition.summary == "Build and run our data pipelines."
    assert requisition.status == "Open"
    assert (requisition.recruiter_name, requisition.recruiter_id) == ("Dana Reyes", "21045")


def test_the_recruiter_is_found_in_the_v31_shape_too_and_never_the_hiring_manager() -> None:
    # v31 (v26.1 XSD): Role_Assignee_Reference directly under Role_Assignment_Data; the variant also
    # carries a Hiring_Manager assignment (Sam Okafor), listed first.
    assert requisitions("variant_recruiter_v31_role_assignee_reference.xml") == requisitions(
        "f04_get_job_requisitions_response.xml"
    )


def _f04_with(recruiter_assignment: str) -> Element:
    """F4 with its Primary_Recruiter assignment replaced by `recruiter_assignment` (wd-prefixed XML)."""
    root = etree.fromstring(fixture("f04_get_job_requisitions_response.xml"))
    [assignment] = root.iter(f"{{{WD_NS}}}Role_Assignment_Data")
    parent = assignment.getparent()
    parent.remove(assignment)
    if recruiter_assignment:
        parent.append(etree.fromstring(f'<wd:X xmlns:wd="{WD_NS}">{recruiter_assignment}</wd:X>')[0])
    return response_from(etree.tostring(root), "Get_Job_Requisitions")


def _role(role_id: str, assignee: str) -> str:
    return (
        f'<wd:Role_Assignment_Data><wd:Role_Reference><wd:ID wd:type="Organization_Role_ID">{role_id}</wd:ID>'
        f"</wd:Role_Reference>{assignee}</wd:Role_Assignment_Data>"
    )


WORKER = (
    '<wd:Worker_Reference wd:Descriptor="Dana Reyes"><wd:ID wd:type="Employee_ID">21045</wd:ID></wd:Worker_Reference>'
)
POSITION = (
    '<wd:Role_Assignee_Reference wd:Descriptor="P-77 Recruiter"><wd:ID wd:type="Position_ID">P-77</wd:ID>'
    "</wd:Role_Assignee_Reference>"
)


def test_a_requisition_with_only_a_hiring_manager_has_no_recruiter() -> None:
    answer = _f04_with(_role("Hiring_Manager", f"<wd:Role_Assignee>{WORKER}</wd:Role_Assignee>"))
    [requisition] = [parse_requisition(r) for r in data_items(answer, "Job_Requisition")]
    assert (requisition.recruiter_name, requisition.recruiter_id) == (None, None)
    assert requisition.requisition_id == "R-00042"


def test_the_v4x_role_assignee_prefers_the_worker_over_the_position() -> None:
    # v46: Role_Assignee/{Role_Assignee_Reference* (positions), Worker_Reference?}, positions first.
    answer = _f04_with(_role("Primary_Recruiter", f"<wd:Role_Assignee>{POSITION}{WORKER}</wd:Role_Assignee>"))
    [requisition] = [parse_requisition(r) for r in data_items(answer, "Job_Requisition")]
    assert (requisition.recruiter_name, requisition.recruiter_id) == ("Dana Reyes", "21045")


def test_a_v4x_role_assignee_with_only_a_position_names_the_position() -> None:
    answer = _f04_with(_role("Recruiter", f"<wd:Role_Assignee>{POSITION}</wd:Role_Assignee>"))
    [requisition] = [parse_requisition(r) for r in data_items(answer, "Job_Requisition")]
    assert requisition.recruiter_name == "P-77 Recruiter"


def test_recruiter_roles_are_a_setting_compared_without_case() -> None:
    answer = _f04_with(_role("TALENT_PARTNER", f"<wd:Role_Assignee>{WORKER}</wd:Role_Assignee>"))
    [element] = data_items(answer, "Job_Requisition")
    assert parse_requisition(element).recruiter_id is None  # not a recruiter role by default
    assert parse_requisition(element, recruiter_roles=("Talent_Partner",)).recruiter_id == "21045"
    upper = _f04_with(_role("PRIMARY_RECRUITER", f"<wd:Role_Assignee>{WORKER}</wd:Role_Assignee>"))
    [element] = data_items(upper, "Job_Requisition")
    assert parse_requisition(element).recruiter_id == "21045"


# --- candidates and applications (F6 v4x, F7 v31, prefixes) -----------------------------------


def test_f6_candidate_has_both_applications_with_stage_disposition_and_contact() -> None:
    [record] = candidates("f06_get_candidates_response_v4x.xml")
    assert record.candidate_id == "C000731"
    assert [a.application_id for a in record.applications] == ["JA-000101", "JA-000087"]
    current, rejected = record.applications

    assert current.candidate_id == "C000731"
    assert current.requisition_id == "R-00042"
    assert current.stage == "Screen"
    assert current.disposition is None
    assert current.status == "Screen"
    assert current.status_changed_at == datetime(2026, 3, 2, 16, 5, 44, 120000, tzinfo=PACIFIC)
    assert current.status_changed_at.utcoffset() == timedelta(hours=-8)
    assert current.applied_at == datetime(2026, 2, 14, 9, 31, 7, tzinfo=PACIFIC)

    assert rejected.requisition_id == "R-00031"
    assert rejected.stage == "Review"
    assert rejected.disposition == "Experience/Skills"
    assert rejected.status == "Experience/Skills"
    assert rejected.status_changed_at == datetime(2025, 11, 20, 8, 12, tzinfo=PACIFIC)

    for application in record.applications:
        assert (application.first_name, application.last_name) == ("Ana", "Silva")
        assert application.candidate_name == "Ana Silva"
        assert application.email == "ana.silva@example.com"
        assert application.phone == "+49 30 1234567"
        assert not application.withdrawn and not application.do_not_hire


def test_f6_page_info_says_page_two_of_two() -> None:
    info = page_info(response("f06_get_candidates_response_v4x.xml", "Get_Candidates"))
    assert (info.total_results, info.total_pages, info.page, info.page_results) == (101, 2, 2, 1)
    assert info.as_of_entry == "2026-03-08T12:00:00.000Z"


SHARED_FIELDS = (
    "application_id",
    "candidate_id",
    "requisition_id",
    "first_name",
    "last_name",
    "email",
    "stage",
    "disposition",
    "status",
    "status_changed_at",
    "applied_at",
    "withdrawn",
    "do_not_hire",
)


def test_f7_older_shape_gives_the_same_application_as_f6() -> None:
    [old] = candidates("f07_get_candidates_response_v31.xml")
    [new] = candidates("f06_get_candidates_response_v4x.xml")
    assert old.candidate_id == "C000731"
    assert [a.application_id for a in old.applications] == ["JA-000101"]
    old_app, new_app = old.applications[0], applications_by_id(new)["JA-000101"]
    assert {f: getattr(old_app, f) for f in SHARED_FIELDS} == {f: getattr(new_app, f) for f in SHARED_FIELDS}
    assert old_app.status_changed_at is not None and old_app.status_changed_at.tzinfo is not None


def test_a_response_without_response_results_is_one_complete_page() -> None:
    info = page_info(response("f07_get_candidates_response_v31.xml", "Get_Candidates"))
    assert (info.total_results, info.total_pages, info.page, info.page_results) == (1, 1, 1, 1)


@pytest.mark.parametrize("variant", ["variant_candidates_prefix_ns0.xml", "variant_candidates_default_namespace.xml"])
def test_prefixes_do_not_matter(variant: str) -> None:
    assert candidates(variant) == candidates("f06_get_candidates_response_v4x.xml")
    assert page_info(response(variant, "Get_Candidates")) == page_info(
        response("f06_get_candidates_response_v4x.xml", "Get_Candidates")
    )


def test_zero_results_is_an_empty_last_page() -> None:
    answer = response("variant_zero_results.xml", "Get_Candidates")
    info = page_info(answer)
    assert (info.total_results, info.total_pages, info.page_results) == (0, 0, 0)
    assert info.page >= info.total_pages  # the paging loop stops here
    assert list(data_items(answer, "Candidate")) == []


@pytest.mark.parametrize("count", ["inf", "1e999", "NaN", "-Infinity", "lots", pytest.param("9" * 400, id="400-nines")])
def test_a_total_that_is_not_a_count_is_a_parse_error(count: str) -> None:
    data = fixture("f06_get_candidates_response_v4x.xml").replace(
        b"<wd:Total_Results>101</wd:Total_Results>", f"<wd:Total_Results>{count}</wd:Total_Results>".encode()
    )
    with pytest.raises(ParseError):
        page_info(response_from(data, "Get_Candidates"))


# --- résumés and attachments (F8, F9, F11) ----------------------------------------------------


def test_f8_resume_arrives_decoded_with_its_content_type() -> None:
    [record] = candidates("f08_get_candidates_response_with_resume.xml")
    assert [a.application_id for a in record.applications] == ["JA-000101"]
    [resume] = record.resumes["JA-000101"]
    assert resume == Attachment(filename="Ana_Silva_CV.pdf", content_type="application/pdf", content=RESUME_PDF)
    assert len(resume.content) == 38


def test_f9_candidate_attachment_has_its_category_and_wid() -> None:
    answer = response("f09_get_candidate_attachments_response.xml", "Get_Candidate_Attachments")
    [element] = data_items(answer, "Candidate_Attachment")
    assert parse_candidate_attachment(element) == Attachment(
        filename="Ana_Silva_CV.pdf",
        content_type="application/pdf",
        content=RESUME_PDF,
        attachment_id="a77ac4000000000000000000000000c1",
        category="CANDIDATE_RESUME_AND_COVER_LETTER",
    )
    assert parse_attachment_info(element) == AttachmentInfo(
        filename="Ana_Silva_CV.pdf",
        attachment_id="a77ac4000000000000000000000000c1",
        category="CANDIDATE_RESUME_AND_COVER_LETTER",
    )
    assert page_info(answer).total_pages == 1


@pytest.mark.parametrize(
    ("name", "wid"),
    [
        ("f11_put_candidate_attachment_response.xml", "a77ac4000000000000000000000000c2"),
    ],
)
def test_the_uploaded_attachment_id_is_read_under_either_name(name: str, wid: str) -> None:
    assert uploaded_attachment_id(response(name, "Put_Candidate_Attachment")) == wid


# --- faults (F12–F16) ------------------------------------------------------------------------

FAULTS = [
    (
        "f12_fault_unknown_candidate.xml",
        "validationError",
        "Invalid ID value.  'C999999' is not a valid ID value for type = 'Candidate_ID'",
        ["/bsvc:Put_Candidate_Attachment_Request[1]/bsvc:Candidate_Reference[1]"],
    ),
    (
        "f13_fault_page_zero.xml",
        "validationError",
        "Page Number cannot be zero.",
        ["/bsvc:Get_Candidates_Request[1]/bsvc:Response_Filter[1]/bsvc:Page[1]"],
    ),
    ("f14_fault_not_authorized.xml", "processingError", "The task submitted is not authorized.", []),
    ("f15_fault_authentication.xml", "authenticationError", "invalid username or password", []),
    (
        "f16_fault_version.xml",
        "validationError",
        "The web service or version is invalid for the requested operation",
        [],
    ),
]


@pytest.mark.parametrize(("name", "kind", "words", "xpaths"), FAULTS)
def test_fault_kind_words_and_xpath_are_kept(name: str, kind: str, words: str, xpaths: list[str]) -> None:
    fault = fault_of(name)
    assert fault.kind == kind
    assert fault.xpaths == xpaths
    assert words in fault.describe()


@pytest.mark.parametrize(("name", "kind", "words", "xpaths"), FAULTS)
def test_fault_description_says_it_once(name: str, kind: str, words: str, xpaths: list[str]) -> None:
    # Workday's faultstring is "Validation error occurred. {message}": the message must not be shown twice.
    assert fault_of(name).describe() == words


def test_a_success_envelope_holds_no_fault() -> None:
    assert find_fault(envelope_body(fixture("f06_get_candidates_response_v4x.xml"))) is None


# --- HTTP status + body → our error classes (transport._interpret) ----------------------------


def interpret(
    status: int, body: bytes = b"", *, operation: str = "Get_Candidates", headers: dict[str, str] | None = None
) -> Element:
    answer = httpx.Response(
        status,
        content=body,
        headers=headers or {"Content-Type": "text/xml; charset=utf-8"},
        request=httpx.Request("POST", ENDPOINT),
    )
    return _interpret(operation, answer, answer.content)


def test_unknown_candidate_is_a_validation_error_with_workdays_words_and_xpath() -> None:
    with pytest.raises(ValidationError) as caught:
        interpret(500, fixture("f12_fault_unknown_candidate.xml"), operation="Put_Candidate_Attachment")
    message = str(caught.value)
    assert "'C999999' is not a valid ID value for type = 'Candidate_ID'" in message
    assert "/bsvc:Put_Candidate_Attachment_Request[1]/bsvc:Candidate_Reference[1]" in message
    assert not policy_for(caught.value).retries


def test_page_zero_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match=re.escape("Page Number cannot be zero.")):
        interpret(500, fixture("f13_fault_page_zero.xml"))


@pytest.mark.parametrize("status", [500, 200])
def test_missing_write_permission_is_permanent_but_not_a_validation_error(status: int) -> None:
    with pytest.raises(PermanentError) as caught:
        interpret(status, fixture("f14_fault_not_authorized.xml"), operation="Put_Candidate_Attachment")
    assert not isinstance(caught.value, ValidationError)
    assert "The task submitted is not authorized." in str(caught.value)
    assert not policy_for(caught.value).retries


def test_wrong_api_version_names_the_setting() -> None:
    with pytest.raises(ConfigurationError, match="WORKDAY_API_VERSION"):
        interpret(500, fixture("f16_fault_version.xml"))
    with pytest.raises(ConfigurationError, match="set WORKDAY_API_VERSION to a version the tenant serves"):
        interpret(500, fixture("variant_fault_invalid_request_service_version.xml"))


def test_the_web_service_or_version_fault_asks_for_the_recruiting_grant() -> None:
    with pytest.raises(ConfigurationError) as caught:
        interpret(500, fixture("f16_fault_version.xml"), operation="Get_Candidates")
    assert "lacks the security grant for the Recruiting web service" in str(caught.value)
    assert "Candidate Data: Job Application" in str(caught.value)
    assert not policy_for(caught.value).retries


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, "f15_fault_authentication.xml"), (401, "f15_fault_authentication.xml"), (401, None)],
)
def test_refused_token_asks_for_a_refresh(status: int, body: str | None) -> None:
    with pytest.raises(_AuthenticationRefused):
        interpret(status, fixture(body) if body else b"")


def test_http_429_waits_as_long_as_workday_asked() -> None:
    with pytest.raises(WorkdayRateLimitError) as caught:
        interpret(429, b"Too many requests", headers={"Retry-After": "2", "Content-Type": "text/plain"})
    assert caught.value.retry_after == 2.0
    policy = policy_for(caught.value)
    assert (policy.backoff, policy.max_attempts) == ("fixed", 10)


@pytest.mark.parametrize("retry_after", [None, "Wed, 21 Oct 2026 07:28:00 GMT", "soon"])
def test_http_429_without_a_usable_retry_after_uses_the_policy(retry_after: str | None) -> None:
    headers = {"Content-Type": "text/plain"} | ({"Retry-After": retry_after} if retry_after else {})
    with pytest.raises(WorkdayRateLimitError) as caught:
        interpret(429, b"Too many requests", headers=headers)
    assert caught.value.retry_after is None


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"", "text/xml"), (b"<html><body>Service temporarily unavailable</body></html>", "text/html")],
)
def test_http_500_without_a_soap_fault_is_overload(body: bytes, content_type: str) -> None:
    with pytest.raises(WorkdayRateLimitError):
        interpret(500, body, headers={"Content-Type": content_type})


def test_http_404_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="WORKDAY_TENANT_URL") as caught:
        interpret(404)
    assert ENDPOINT in str(caught.value)


def test_http_200_with_garbage_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        interpret(200, b"\x00\xffnot xml at all <<<")


def test_http_200_with_another_operations_answer_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="Get_Candidates_Response"):
        interpret(200, fixture("f04_get_job_requisitions_response.xml"), operation="Get_Candidates")


@pytest.mark.parametrize(
    ("operation", "name"),
    [
        ("Get_Candidates", "f06_get_candidates_response_v4x.xml"),
        ("Get_Job_Requisitions", "f04_get_job_requisitions_response.xml"),
        ("Put_Candidate_Attachment", "f11_put_candidate_attachment_response.xml"),
    ],
)
def test_success_returns_the_operations_response(operation: str, name: str) -> None:
    element = interpret(200, fixture(name), operation=operation)
    assert local(element) == f"{operation}_Response"
    assert element.tag == f"{{{WD_NS}}}{operation}_Response"


def test_names_and_titles_from_workday_carry_no_control_or_bidi_characters() -> None:
    # A Workday field is data: a bidi override must not make a name read backwards in the console,
    # and a line break or escape must not reach a mail header or a terminal.
    data = (
        fixture("f06_get_candidates_response_v4x.xml")
        .replace(b">Ana<", "> \u202eAna\u202c\n\t<".encode())
        .replace(b">Silva<", ">Sil\u200bva\u2066\u2069<".encode())
    )
    [record] = [parse_candidate(c) for c in data_items(response_from(data, "Get_Candidates"), "Candidate")]
    assert {(a.first_name, a.last_name) for a in record.applications} == {("Ana", "Silva")}


# --- phones, and several Job_Applied_To_Data under one application ---------------------------------------


def _f06_first_candidate() -> etree._Element:
    root = etree.fromstring(fixture("f06_get_candidates_response_v4x.xml"))
    return next(root.iter(f"{{{WD_NS}}}Candidate"))


def _wd(xml: str) -> etree._Element:
    return etree.fromstring(f'<wd:X xmlns:wd="{WD_NS}">{xml}</wd:X>')[0]


def test_the_phone_keeps_its_country_code_and_extension() -> None:
    candidate = _f06_first_candidate()
    [contact] = candidate.iter(f"{{{WD_NS}}}Contact_Data")
    [number] = contact.iter(f"{{{WD_NS}}}Phone_Number")
    number.text = "30 1234567"
    number.addprevious(
        _wd(
            '<wd:Country_Phone_Code_Reference wd:Descriptor="Germany (+49)">'
            '<wd:ID wd:type="Country_Phone_Code_ID">DEU_49</wd:ID></wd:Country_Phone_Code_Reference>'
        )
    )
    number.addnext(_wd("<wd:Phone_Extension>12</wd:Phone_Extension>"))
    assert errors_where_present(candidate.getparent().getparent()) == []  # the v46 shape of Contact_Data
    [first, *_] = parse_candidate(candidate).applications
    assert first.phone == "+49 30 1234567 ext. 12"
    del candidate.iter(f"{{{WD_NS}}}Country_Phone_Code_Reference").__next__().attrib[f"{{{WD_NS}}}Descriptor"]
    assert parse_candidate(candidate).applications[0].phone == "+49 30 1234567 ext. 12"  # from DEU_49


def test_a_number_written_with_its_own_plus_is_kept() -> None:
    [first, *_] = parse_candidate(_f06_first_candidate()).applications
    assert first.phone == "+49 30 1234567"


def test_several_applied_to_data_under_one_application_keep_their_own_ids_and_resumes() -> None:
    root = etree.fromstring(fixture("f08_get_candidates_response_with_resume.xml"))
    candidate = next(root.iter(f"{{{WD_NS}}}Candidate"))
    application_data = next(candidate.iter(f"{{{WD_NS}}}Job_Application_Data"))
    [applied] = application_data.findall(f"{{{WD_NS}}}Job_Applied_To_Data")
    second = copy.deepcopy(applied)
    [second_id] = second.findall(f"{{{WD_NS}}}Job_Application_ID")
    second_id.text = "JA-009999"
    [requisition] = second.findall(f"{{{WD_NS}}}Job_Requisition_Reference")
    for node in requisition:
        node.text = "R-00777" if node.get(f"{{{WD_NS}}}type") == "Job_Requisition_ID" else "f" * 32
    applied.addnext(second)
    assert errors_where_present(candidate.getparent().getparent()) == []
    record = parse_candidate(candidate)
    by_requisition = {a.requisition_id: a.application_id for a in record.applications}
    first_id = by_requisition[next(r for r in by_requisition if r != "R-00777")]
    assert by_requisition["R-00777"] == "JA-009999" and first_id != "JA-009999"
    assert record.resumes["JA-009999"] == record.resumes[first_id]  # the application's files, for each
    assert record.resumes["JA-009999"] is not record.resumes[first_id]


def test_an_applied_to_without_its_own_id_does_not_borrow_the_shared_one_when_it_has_siblings() -> None:
    candidate = _f06_first_candidate()
    application_data = next(candidate.iter(f"{{{WD_NS}}}Job_Application_Data"))
    [applied] = application_data.findall(f"{{{WD_NS}}}Job_Applied_To_Data")
    sibling = copy.deepcopy(applied)
    sibling.remove(sibling.find(f"{{{WD_NS}}}Job_Application_ID"))
    applied.addnext(sibling)
    with pytest.raises(ParseError, match="lacks its id"):
        parse_candidate(candidate)
