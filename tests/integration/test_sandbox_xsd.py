"""What the sandbox answers, checked against Workday's real v46 XSD (read from ../shared, skipped where absent)."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.integration.sandbox_fixtures import RawWorkday, ref
from tests.integration.test_sandbox_requisitions import request as requisitions_request
from tests.unit.test_sandbox_schema import MUTATIONS, mutated
from tests.workday_schema import body_payload, xsd_errors

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
