"""What the sandbox answers, checked against Workday's real v46 XSD (read from ../shared, skipped where absent)."""

from __future__ import annotations

from tests.integration.sandbox_fixtures import RawWorkday, ref
from tests.integration.test_sandbox_requisitions import request as requisitions_request
from tests.workday_schema import body_payload, xsd_errors

OPEN = ref("Job_Requisition_Status_Reference", "Job_Requisition_Status_ID", "Open")


async def test_requisitions_with_roles_validate_against_v46(wd: RawWorkday) -> None:
    answer = await wd.call(requisitions_request(criteria=OPEN), descriptors=True)
    assert answer.status == 200, answer.response.text
    assert answer.xpath("//wd:Role_Assignment_Data/wd:Role_Assignee/wd:Worker_Reference")
    assert xsd_errors(body_payload(answer.response.content)) == []
