"""What the sandbox answers, checked against Workday's real v46 XSD (read from ../shared, skipped where absent)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from lxml import etree

from airecruiter.adapters.workday import envelope
from airecruiter.adapters.workday.envelope import Paging, Request
from airecruiter.sandbox import SandboxServer, seed
from tests.integration.sandbox_fixtures import RawWorkday, ref
from tests.integration.test_sandbox_requisitions import request as requisitions_request
from tests.integration.workday_helpers import client_for
from tests.unit.test_sandbox_schema import MUTATIONS, mutated
from tests.workday_schema import WD, body_payload, xsd_errors

OPEN = ref("Job_Requisition_Status_Reference", "Job_Requisition_Status_ID", "Open")


async def test_requisitions_with_roles_validate_against_v46(wd: RawWorkday) -> None:
    answer = await wd.call(requisitions_request(criteria=OPEN), descriptors=True)
    assert answer.status == 200, answer.response.text
    assert answer.xpath("//wd:Role_Assignment_Data/wd:Role_Assignee/wd:Worker_Reference")
    assert xsd_errors(body_payload(answer.response.content)) == []


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
async def test_an_invalid_request_gets_the_fault_a_real_tenant_sends(wd: RawWorkday, kind: str) -> None:
    root, message = mutated(kind)
    answer = await wd.call("", raw=etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    assert answer.status == 500
    assert answer.faultcode == "SOAP-ENV:Client.validationError"
    assert message in (answer.faultstring or "")
    assert answer.xpath("//wd:Validation_Fault/wd:Validation_Error/wd:Xpath")  # and where


async def test_a_response_group_flag_v46_does_not_have_is_refused(wd: RawWorkday) -> None:
    flag = "<bsvc:Include_Requisition_Compensation>true</bsvc:Include_Requisition_Compensation>"
    group = f"<bsvc:Response_Group>{flag}</bsvc:Response_Group>"
    answer = await wd.call(requisitions_request(criteria=OPEN, group=group))
    assert answer.status == 500 and "Include_Requisition_Compensation" in (answer.faultstring or "")


# --- every response in the v4x shape validates against the real v46 XSD ----------------------------------

NOW = datetime.now(UTC)
FUTURE = NOW + timedelta(days=30)


def _page(page: int = 1, count: int = 100) -> Paging:
    return Paging(page, count, NOW)


RESPONSES: dict[str, Callable[[], Request]] = {
    "requisitions_open": lambda: envelope.get_job_requisitions("v45.0", _page(), status="Open", updated=None),
    "requisitions_window": lambda: envelope.get_job_requisitions(
        "v45.0", _page(), status=None, updated=(NOW - timedelta(days=400), NOW)
    ),
    "requisition_by_id": lambda: envelope.get_job_requisitions(
        "v45.0", _page(), status=None, updated=None, requisition_ids=[seed.BACKEND_REQUISITION_ID]
    ),
    "candidates_page_1": lambda: envelope.get_candidates_by_requisition(
        "v45.0", _page(1, 2), seed.BACKEND_REQUISITION_ID
    ),
    "candidates_page_2": lambda: envelope.get_candidates_by_requisition(
        "v45.0", _page(2, 2), seed.BACKEND_REQUISITION_ID
    ),
    "candidates_applied": lambda: envelope.get_candidates_applied("v45.0", _page(), NOW - timedelta(days=90), NOW),
    "candidates_zero_results": lambda: envelope.get_candidates_applied("v45.0", _page(), FUTURE, FUTURE),
    "candidate_with_attachments": lambda: envelope.get_candidate_with_attachments(
        "v45.0", seed.CANDIDATE_LEVEL_RESUME_CANDIDATE_ID
    ),
    "candidate_attachments": lambda: envelope.get_candidate_attachments(
        "v45.0", _page(1, 10), seed.CANDIDATE_LEVEL_RESUME_CANDIDATE_ID
    ),
    "put_attachment": lambda: envelope.put_candidate_attachment(
        "v45.0",
        candidate_id=seed.CANDIDATE_LEVEL_RESUME_CANDIDATE_ID,
        filename="CandidateReport_1.pdf",
        content=b"%PDF-1.7\n% report\n%%EOF\n",
        content_type="application/pdf",
        category_type="Document_Category__Workday_Owned__ID",
        category_id="OTHER_DOCUMENTS",
        comment="report",
    ),
}


@pytest.mark.parametrize("name", sorted(RESPONSES))
async def test_every_response_validates_against_v46(wd: RawWorkday, name: str) -> None:
    answer = await wd.call("", raw=RESPONSES[name]().to_bytes())
    assert answer.status == 200, answer.response.text
    assert xsd_errors(body_payload(answer.response.content)) == []


async def test_paging_pages_and_zero_results_are_what_a_tenant_sends(wd: RawWorkday) -> None:
    second = await wd.call("", raw=RESPONSES["candidates_page_2"]().to_bytes())
    assert second.results()["Page"] == 2
    empty = await wd.call("", raw=RESPONSES["candidates_zero_results"]().to_bytes())
    assert empty.text("//wd:Response_Results/wd:Total_Results") == "0"
    assert not empty.xpath("//wd:Response_Results/wd:Page")  # no Page on zero results


async def test_the_response_filter_is_echoed_as_sent(wd: RawWorkday) -> None:
    as_of = "2099-01-01T13:00:00.000+01:00"  # an offset, and a Count with a leading zero: echoed verbatim
    sent = f"<bsvc:Response_Filter><bsvc:As_Of_Entry_DateTime>{as_of}</bsvc:As_Of_Entry_DateTime>"
    sent += "<bsvc:Count>05</bsvc:Count></bsvc:Response_Filter>"
    answer = await wd.call(f'<bsvc:Get_Candidates_Request bsvc:version="v45.0">{sent}</bsvc:Get_Candidates_Request>')
    assert answer.status == 200, answer.response.text
    assert answer.text("//wd:Get_Candidates_Response/wd:Response_Filter/wd:As_Of_Entry_DateTime") == as_of
    assert answer.text("//wd:Get_Candidates_Response/wd:Response_Filter/wd:Count") == "05"
    assert not answer.xpath("//wd:Response_Filter/wd:Page")  # not sent, so not filled in


async def test_the_echo_of_only_what_was_sent_validates_and_our_client_pages_through_it(
    sandbox: SandboxServer, wd: RawWorkday
) -> None:
    sent = "<bsvc:Response_Filter><bsvc:Count>05</bsvc:Count></bsvc:Response_Filter>"
    answer = await wd.call(f'<bsvc:Get_Candidates_Request bsvc:version="v45.0">{sent}</bsvc:Get_Candidates_Request>')
    assert answer.status == 200, answer.response.text
    assert answer.text("//wd:Get_Candidates_Response/wd:Response_Filter/wd:Count") == "05"
    assert not answer.xpath("//wd:Response_Filter/wd:Page | //wd:Response_Filter/wd:As_Of_Entry_DateTime")
    assert xsd_errors(body_payload(answer.response.content)) == []
    bare = await wd.call('<bsvc:Get_Candidates_Request bsvc:version="v45.0"/>')
    assert bare.status == 200 and not bare.xpath("//wd:Response_Filter")
    assert xsd_errors(body_payload(bare.response.content)) == []
    # Our client pins every page to its own As_Of_Entry_DateTime, so it needs no server-filled echo.
    client = client_for(sandbox, page_size=2)
    try:
        found = {a.application_id async for a in client.applications(seed.DATA_ANALYST_REQUISITION_ID)}
    finally:
        await client.aclose()
    assert found == {
        a.application_id for a in seed.seeded_applications() if a.requisition_id == seed.DATA_ANALYST_REQUISITION_ID
    }


async def test_the_v31_recruiter_shape_inside_a_v4x_response_is_refused_by_v46(wd: RawWorkday) -> None:
    answer = await wd.call("", raw=RESPONSES["requisitions_open"]().to_bytes())
    response = body_payload(answer.response.content)
    for assignee in response.iter(f"{{{WD}}}Role_Assignee"):
        [worker] = list(assignee)
        worker.tag = f"{{{WD}}}Role_Assignee_Reference"
        assignee.addprevious(worker)
        assignee.getparent().remove(assignee)
    assert any("Role_Assignee_Reference" in e for e in xsd_errors(response))


FAULTS: dict[str, tuple[dict[str, Any], str, Callable[[], Request]]] = {
    "unknown candidate": ({}, "v45.0", lambda: envelope.get_candidate_with_attachments("v45.0", "C999999")),
    "page out of range": ({}, "v45.0", lambda: envelope.get_candidates_applied("v45.0", _page(0), NOW, NOW)),
    "read-only attachments": ({"attachments_read_only": True}, "v45.0", lambda: RESPONSES["put_attachment"]()),
    "unsupported version": ({}, "v30.0", lambda: RESPONSES["requisitions_open"]()),
    "no grant": ({"ungranted_operations": "Get_Job_Requisitions"}, "v45.0", lambda: RESPONSES["requisitions_open"]()),
    "unexpected error": ({"server_error_every": 1}, "v45.0", lambda: RESPONSES["requisitions_open"]()),
    "authentication": ({"auth_failure_style": "fault500"}, "v45.0", lambda: RESPONSES["requisitions_open"]()),
    "invalid request": ({}, "v45.0", lambda: RESPONSES["requisitions_open"]()),
}


@pytest.mark.parametrize("name", sorted(FAULTS))
async def test_every_fault_detail_validates_against_v46(sandbox: SandboxServer, wd: RawWorkday, name: str) -> None:
    switches, version, build = FAULTS[name]
    for switch, value in switches.items():
        setattr(sandbox.chaos, switch, value)
    body = build().to_bytes()
    if name == "invalid request":
        body = body.replace(
            b"<bsvc:Include_Roles>", b"<bsvc:Include_Nothing>true</bsvc:Include_Nothing><bsvc:Include_Roles>"
        )
    token = "not-a-token" if name == "authentication" else None
    answer = await wd.call("", raw=body, version=version, token=token)
    assert answer.status == 500 and answer.faultcode, answer.response.text
    details = answer.xpath("//env:Fault/detail/*")
    assert details or name == "authentication"
    for detail in details:
        assert xsd_errors(detail) == []


async def test_v4x_contact_data_splits_the_calling_code_from_the_number(wd: RawWorkday) -> None:
    answer = await wd.call("", raw=RESPONSES["candidates_applied"]().to_bytes())
    codes = answer.ids("Contact_Data/wd:Country_Phone_Code_Reference", "Country_Phone_Code_ID")
    assert "DEU_49" in codes
    assert not any(n.text.startswith("+") for n in answer.xpath("//wd:Contact_Data/wd:Phone_Number"))
