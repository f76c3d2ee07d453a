"""Get_Job_Requisitions against the sandbox over raw HTTP: roles, status criteria, the transaction log."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from airecruiter.sandbox import SandboxServer
from airecruiter.sandbox.seed import BACKEND_REQUISITION_ID, CLOSED_REQUISITION_ID, OPEN_REQUISITION_IDS
from tests.integration.sandbox_fixtures import RawWorkday, ref, response_filter

FULL_GROUP = (
    "<bsvc:Response_Group><bsvc:Include_Reference>true</bsvc:Include_Reference>"
    "<bsvc:Include_Job_Requisition_Definition_Data>true</bsvc:Include_Job_Requisition_Definition_Data>"
    "<bsvc:Include_Job_Requisition_Restrictions_Data>true</bsvc:Include_Job_Requisition_Restrictions_Data>"
    "<bsvc:Include_Roles>true</bsvc:Include_Roles></bsvc:Response_Group>"
)
OPEN = ref("Job_Requisition_Status_Reference", "Job_Requisition_Status_ID", "Open")


def request(
    *,
    criteria: str | None = None,
    references: str | None = None,
    group: str | None = FULL_GROUP,
    page: int = 1,
    count: int = 100,
    as_of: str | None = None,
) -> str:
    parts = [
        f"<bsvc:Request_References>{references}</bsvc:Request_References>" if references else "",
        f"<bsvc:Request_Criteria>{criteria}</bsvc:Request_Criteria>" if criteria else "",
        response_filter(page, count, as_of),
        group or "",
    ]
    return (
        f'<bsvc:Get_Job_Requisitions_Request bsvc:version="v45.0">{"".join(parts)}</bsvc:Get_Job_Requisitions_Request>'
    )


def window(start: datetime, end: datetime) -> str:
    return (
        "<bsvc:Transaction_Log_Criteria_Data><bsvc:Transaction_Date_Range_Data>"
        f"<bsvc:Updated_From>{start.strftime('%Y-%m-%dT%H:%M:%SZ')}</bsvc:Updated_From>"
        f"<bsvc:Updated_Through>{end.strftime('%Y-%m-%dT%H:%M:%SZ')}</bsvc:Updated_Through>"
        "</bsvc:Transaction_Date_Range_Data></bsvc:Transaction_Log_Criteria_Data>"
    )


async def test_open_requisitions_with_roles_and_descriptors(wd: RawWorkday) -> None:
    answer = await wd.call(request(criteria=OPEN), descriptors=True)
    assert answer.status == 200
    assert answer.results() == {"Total_Results": 3, "Total_Pages": 1, "Page_Results": 3, "Page": 1}
    ids = answer.ids("Job_Requisition/wd:Job_Requisition_Reference", "Job_Requisition_ID")
    assert ids == list(OPEN_REQUISITION_IDS)
    [first] = answer.xpath("//wd:Job_Requisition[1]")
    ids = first.xpath("wd:Job_Requisition_Reference/wd:ID/@wd:type", namespaces={"wd": "urn:com.workday/bsvc"})
    assert ids == ["WID", "Job_Requisition_ID"]  # WID first, then the business id
    wid = answer.text("//wd:Job_Requisition[1]/wd:Job_Requisition_Reference/wd:ID[@wd:type='WID']")
    assert re.fullmatch(r"[0-9a-f]{32}", wid)
    label = answer.text("//wd:Job_Requisition[1]/wd:Job_Requisition_Reference/@wd:Descriptor")
    assert label == "R-00101 Senior Backend Engineer (Python/PostgreSQL) (Open)"
    role = "//wd:Job_Requisition[1]//wd:Role_Assignment_Data"
    assert answer.text(f"{role}/wd:Role_Reference/wd:ID[@wd:type='Organization_Role_ID']") == "Primary_Recruiter"
    assert answer.text(f"{role}/wd:Role_Assignee/wd:Worker_Reference/wd:ID[@wd:type='Employee_ID']") == "21045"
    assert answer.text(f"{role}/wd:Role_Assignee/wd:Worker_Reference/@wd:Descriptor") == "Dana Reyes"
    assert not answer.xpath(f"{role}/wd:Role_Assignee_Reference")  # v31's shape, which v46 rejects
    detail = "//wd:Job_Requisition[1]//wd:Job_Requisition_Detail_Data"
    assert answer.text(f"{detail}/wd:Job_Posting_Title") == "Senior Backend Engineer (Python/PostgreSQL)"
    description = answer.text(f"{detail}/wd:Job_Description")
    assert description.startswith("<h2>") and "<li>" in description and "PostgreSQL" in description
    assert len(description) > 1000
    assert "&lt;li&gt;" in answer.response.text  # HTML travels as escaped text
    assert answer.text(f"{detail}/wd:Available_for_Recruiting") == "1"
    assert answer.xpath("//wd:Response_Group/wd:Include_Roles")[0].text == "1"  # echoed as 1/0
    assert (
        answer.text("//wd:Job_Requisition[1]//wd:Primary_Location_Reference/wd:ID[@wd:type='Location_ID']")
        == "LOC_BERLIN"
    )


async def test_default_group_has_definition_and_restrictions_but_no_roles(wd: RawWorkday) -> None:
    answer = await wd.call(request(criteria=OPEN, group=None))
    assert len(answer.xpath("//wd:Job_Requisition_Detail_Data")) == 3
    assert len(answer.xpath("//wd:Hiring_Requirement_Data")) == 3
    assert not answer.xpath("//wd:Role_Assignment_Data")
    assert not answer.xpath("//@wd:Descriptor")  # no header, no descriptors
    assert not answer.xpath("//wd:Response_Group")


async def test_status_criteria_and_all_requisitions(wd: RawWorkday) -> None:
    closed = await wd.call(
        request(criteria=ref("Job_Requisition_Status_Reference", "Job_Requisition_Status_ID", "Closed"))
    )
    assert closed.ids("Job_Requisition/wd:Job_Requisition_Reference", "Job_Requisition_ID") == [CLOSED_REQUISITION_ID]
    assert closed.text("//wd:Available_for_Recruiting") == "0"
    everything = await wd.call(request())
    assert everything.results()["Total_Results"] == 4


async def test_transaction_log_window(sandbox: SandboxServer, wd: RawWorkday) -> None:
    now = datetime.now(UTC)
    recent = await wd.call(request(criteria=window(now - timedelta(hours=24), now)))
    assert set(recent.ids("Job_Requisition/wd:Job_Requisition_Reference", "Job_Requisition_ID")) == set(
        OPEN_REQUISITION_IDS
    )
    old = await wd.call(request(criteria=window(now - timedelta(days=9), now - timedelta(days=7))))
    assert old.ids("Job_Requisition/wd:Job_Requisition_Reference", "Job_Requisition_ID") == [CLOSED_REQUISITION_ID]
    minute = await wd.call(request(criteria=window(now - timedelta(seconds=60), now + timedelta(seconds=60))))
    assert minute.results()["Total_Results"] == 0
    sandbox.tenant.touch_requisition(CLOSED_REQUISITION_ID, status="Open")
    later = datetime.now(UTC) + timedelta(seconds=1)
    touched = await wd.call(request(criteria=window(now - timedelta(seconds=60), later) + OPEN))
    assert touched.ids("Job_Requisition/wd:Job_Requisition_Reference", "Job_Requisition_ID") == [CLOSED_REQUISITION_ID]


async def test_references_and_unknown_ids(wd: RawWorkday) -> None:
    both = ref("Job_Requisition_Reference", "Job_Requisition_ID", BACKEND_REQUISITION_ID) + ref(
        "Job_Requisition_Reference", "Job_Requisition_ID", "R-99999"
    )
    answer = await wd.call(request(references=both))
    assert answer.status == 500
    message = "Invalid ID value.  'R-99999' is not a valid ID value for type = 'Job_Requisition_ID'"
    assert answer.faultstring == f"Validation error occurred. {message}"
    assert (
        answer.text("//wd:Validation_Error/wd:Xpath")
        == "/bsvc:Get_Job_Requisitions_Request[1]/bsvc:Request_References[1]/bsvc:Job_Requisition_Reference[2]"
    )
    skipping = request(references=both).replace(
        "<bsvc:Request_References>", '<bsvc:Request_References bsvc:Skip_Non_Existing_Instances="true">'
    )
    skipped = await wd.call(skipping)
    assert skipped.ids("Job_Requisition/wd:Job_Requisition_Reference", "Job_Requisition_ID") == [BACKEND_REQUISITION_ID]
    wrong_type = await wd.call(request(references=ref("Job_Requisition_Reference", "Candidate_ID", "C000101")))
    assert wrong_type.faultstring == "Validation error occurred. Invalid ID type 'Candidate_ID' for Job_Requisition"


async def test_paging_requisitions(wd: RawWorkday) -> None:
    as_of = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    first = await wd.call(request(criteria=OPEN, count=2, as_of=as_of))
    echoed = first.text("//wd:Response_Filter/wd:As_Of_Entry_DateTime")
    assert echoed == as_of and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", echoed)
    second = await wd.call(request(criteria=OPEN, count=2, page=2, as_of=as_of))
    assert first.results() == {"Total_Results": 3, "Total_Pages": 2, "Page_Results": 2, "Page": 1}
    assert second.results() == {"Total_Results": 3, "Total_Pages": 2, "Page_Results": 1, "Page": 2}
    beyond = await wd.call(request(criteria=OPEN, count=2, page=5, as_of=as_of))
    assert beyond.results()["Page_Results"] == 0 and not beyond.xpath("//wd:Response_Data/*")


async def test_strict_about_unknown_elements(wd: RawWorkday) -> None:
    answer = await wd.call(request(criteria="<bsvc:Job_Requisition_Status>Open</bsvc:Job_Requisition_Status>"))
    assert answer.faultcode == "SOAP-ENV:Client.validationError"
    assert "unexpected element 'Job_Requisition_Status' in Request_Criteria" in (answer.faultstring or "")
    bad_flag = FULL_GROUP.replace("<bsvc:Include_Roles>true", "<bsvc:Include_Roles>yes")
    assert (await wd.call(request(group=bad_flag))).faultcode == "SOAP-ENV:Client.validationError"
    bad_date = window(datetime.now(UTC), datetime.now(UTC)).replace("Z</bsvc:Updated_From>", "X</bsvc:Updated_From>")
    assert (await wd.call(request(criteria=bad_date))).faultcode == "SOAP-ENV:Client.validationError"
