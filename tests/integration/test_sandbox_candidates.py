"""Get_Candidates against the sandbox over raw HTTP: paging, snapshots, criteria, both response shapes."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from airecruiter.sandbox import SandboxServer
from airecruiter.sandbox.seed import (
    BACKEND_REQUISITION_ID,
    CANDIDATE_LEVEL_RESUME_CANDIDATE_ID,
    DATA_ANALYST_REQUISITION_ID,
    TWO_APPLICATIONS_APPLICATION_IDS,
    TWO_APPLICATIONS_CANDIDATE_ID,
)
from tests.integration.sandbox_fixtures import (
    NS,
    RawWorkday,
    SoapAnswer,
    get_candidates,
    ref,
)

DA = ref("Job_Requisition_Reference", "Job_Requisition_ID", DATA_ANALYST_REQUISITION_ID)


def candidate_ids(answer: SoapAnswer) -> list[str]:
    return answer.ids("Candidate/wd:Candidate_Reference", "Candidate_ID")


def stage_of(answer: SoapAnswer, application_id: str) -> str:
    return answer.text(
        f"//wd:Job_Application_Data[.//wd:Job_Application_ID='{application_id}' or "
        f"wd:Job_Application_Reference/wd:ID='{application_id}']"
        "//wd:Stage_Reference/wd:ID[@wd:type='Recruiting_Stage_ID']"
    )


async def test_pages_of_five_over_the_whole_seed(wd: RawWorkday) -> None:
    as_of = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # the client pins the snapshot, as ours does
    first = await wd.call(get_candidates(count=5, as_of=as_of))
    assert first.text("//wd:Response_Filter/wd:As_Of_Entry_DateTime") == as_of  # echoed as sent
    assert first.results() == {"Total_Results": 18, "Total_Pages": 4, "Page_Results": 5, "Page": 1}
    seen = candidate_ids(first)
    for page in (2, 3, 4):
        answer = await wd.call(get_candidates(page=page, count=5, as_of=as_of))
        assert answer.results()["Total_Results"] == 18 and answer.results()["Page"] == page
        seen += candidate_ids(answer)
    assert len(seen) == len(set(seen)) == 18
    assert answer.results()["Page_Results"] == 3


async def test_a_paged_run_sees_the_data_as_of_page_one(sandbox: SandboxServer, wd: RawWorkday) -> None:
    as_of = (datetime.now(UTC) + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")  # a client clock ahead
    first = await wd.call(get_candidates(count=5, as_of=as_of))
    tenant = sandbox.tenant
    newcomer = tenant.add_candidate("Zoe", "Late", "zoe.late@example.com")
    tenant.add_application(newcomer.candidate_id, BACKEND_REQUISITION_ID)
    tenant.advance_stage("JA-000117", "Interview")  # Fatima, on page 4
    rest = [await wd.call(get_candidates(page=p, count=5, as_of=as_of)) for p in (2, 3, 4)]
    assert {a.results()["Total_Results"] for a in [first, *rest]} == {18}
    run = [cid for answer in [first, *rest] for cid in candidate_ids(answer)]
    assert newcomer.candidate_id not in run and len(set(run)) == 18
    assert stage_of(rest[-1], "JA-000117") == "Review"
    fresh = await wd.call(get_candidates(count=100))
    assert fresh.results()["Total_Results"] == 19 and newcomer.candidate_id in candidate_ids(fresh)
    assert stage_of(fresh, "JA-000117") == "Interview"


@pytest.mark.parametrize(
    ("page", "count", "message", "xpath"),
    [
        (0, 5, "Page Number cannot be zero.", "/bsvc:Get_Candidates_Request[1]/bsvc:Response_Filter[1]/bsvc:Page[1]"),
        (-1, 5, "Page Number cannot be zero.", "/bsvc:Get_Candidates_Request[1]/bsvc:Response_Filter[1]/bsvc:Page[1]"),
        (
            1,
            1000,
            "Count must be between 1 and 999",
            "/bsvc:Get_Candidates_Request[1]/bsvc:Response_Filter[1]/bsvc:Count[1]",
        ),
        (
            1,
            0,
            "Count must be between 1 and 999",
            "/bsvc:Get_Candidates_Request[1]/bsvc:Response_Filter[1]/bsvc:Count[1]",
        ),
    ],
)
async def test_response_filter_faults(wd: RawWorkday, page: int, count: int, message: str, xpath: str) -> None:
    answer = await wd.call(get_candidates(page=page, count=count))
    assert answer.status == 500 and answer.faultcode == "SOAP-ENV:Client.validationError"
    assert answer.faultstring == f"Validation error occurred. {message}"
    assert answer.text("//wd:Validation_Error/wd:Message") == message
    assert answer.text("//wd:Validation_Error/wd:Detail_Message") == message
    assert answer.text("//wd:Validation_Error/wd:Xpath") == xpath


async def test_count_999_and_default_count(wd: RawWorkday) -> None:
    assert (await wd.call(get_candidates(count=999))).results()["Total_Results"] == 18
    default = await wd.call(get_candidates(page=None, count=None))
    # Count 100 by default: all 18 on page 1 of 1; the echo fills in neither Count nor Page.
    assert default.results() == {"Total_Results": 18, "Total_Pages": 1, "Page_Results": 18, "Page": 1}
    assert not default.xpath("//wd:Response_Filter/wd:Count | //wd:Response_Filter/wd:Page")


async def test_requisition_filter_keeps_every_application_of_the_candidate(
    sandbox: SandboxServer, wd: RawWorkday
) -> None:
    answer = await wd.call(get_candidates(DA))
    ids = candidate_ids(answer)
    assert len(ids) == 5 and TWO_APPLICATIONS_CANDIDATE_ID in ids
    person = f"//wd:Candidate[wd:Candidate_Reference/wd:ID='{TWO_APPLICATIONS_CANDIDATE_ID}']"
    assert answer.ids(
        f"Candidate[wd:Candidate_Reference/wd:ID='{TWO_APPLICATIONS_CANDIDATE_ID}']//wd:Job_Application_Reference",
        "Job_Application_ID",
    ) == list(TWO_APPLICATIONS_APPLICATION_IDS)
    assert len(answer.xpath(f"{person}//wd:Job_Application_Data")) == 2  # the client must filter
    sandbox.chaos.trim_applications_to_requisition = True
    trimmed = await wd.call(get_candidates(DA))
    assert len(trimmed.xpath(f"{person}//wd:Job_Application_Data")) == 1


async def test_rejected_requisition_filter_and_applied_window_fallback(sandbox: SandboxServer, wd: RawWorkday) -> None:
    sandbox.chaos.reject_requisition_filter = True
    refused = await wd.call(get_candidates(DA))
    assert refused.status == 500 and refused.faultcode == "SOAP-ENV:Client.validationError"
    assert refused.faultstring == (
        "Validation error occurred. Invalid ID value.  'R-00102' is not a valid ID value "
        "for type = 'Job_Requisition_ID'"
    )
    now = datetime.now(UTC)
    applied = (
        f"<bsvc:Applied_From>{(now - timedelta(hours=48)).strftime('%Y-%m-%dT%H:%M:%SZ')}</bsvc:Applied_From>"
        f"<bsvc:Applied_Through>{now.strftime('%Y-%m-%dT%H:%M:%SZ')}</bsvc:Applied_Through>"
    )
    window = await wd.call(get_candidates(applied))
    ids = candidate_ids(window)
    assert "C000101" in ids and "C000111" not in ids  # applied 20 h ago vs 80 h ago
    assert "C000118" not in ids  # applied 300 hours ago


async def test_empty_criteria(sandbox: SandboxServer, wd: RawWorkday) -> None:
    assert (await wd.call(get_candidates())).results()["Total_Results"] == 18  # no Request_Criteria at all
    empty = get_candidates("")  # an empty <bsvc:Request_Criteria></bsvc:Request_Criteria>
    assert (await wd.call(empty)).results() == {"Total_Results": 0, "Total_Pages": 0, "Page_Results": 0}  # no Page
    sandbox.chaos.empty_criteria_returns_nothing = False
    assert (await wd.call(empty)).results()["Total_Results"] == 18


async def test_stage_email_and_name_criteria(wd: RawWorkday) -> None:
    screen = await wd.call(get_candidates(ref("Recruiting_Stage_Reference", "Recruiting_Stage_ID", "Screen")))
    assert sorted(candidate_ids(screen)) == ["C000102", "C000108", "C000113"]
    by_mail = await wd.call(
        get_candidates("<bsvc:Candidate_Email_Address>ANA.SILVA@EXAMPLE.COM</bsvc:Candidate_Email_Address>")
    )
    assert candidate_ids(by_mail) == ["C000101"]
    both = DA + ref("Recruiting_Stage_Reference", "Recruiting_Stage_ID", "Screen")
    assert candidate_ids(await wd.call(get_candidates(both))) == [TWO_APPLICATIONS_CANDIDATE_ID]
    unknown_stage = await wd.call(get_candidates(ref("Recruiting_Stage_Reference", "Recruiting_Stage_ID", "Hired")))
    assert "'Hired' is not a valid ID value" in (unknown_stage.faultstring or "")


async def test_transaction_log_on_candidates(sandbox: SandboxServer, wd: RawWorkday) -> None:
    start = datetime.now(UTC) - timedelta(seconds=2)
    sandbox.tenant.advance_stage("JA-000109", "Screen")
    end = datetime.now(UTC) + timedelta(seconds=2)
    log = (
        "<bsvc:Transaction_Log_Criteria_Data><bsvc:Transaction_Date_Range_Data>"
        f"<bsvc:Updated_From>{start.isoformat()}</bsvc:Updated_From>"
        f"<bsvc:Updated_Through>{end.isoformat()}</bsvc:Updated_Through>"
        "</bsvc:Transaction_Date_Range_Data></bsvc:Transaction_Log_Criteria_Data>"
    )
    assert candidate_ids(await wd.call(get_candidates(log))) == ["C000109"]
    sandbox.chaos.ignore_transaction_log = True
    assert (await wd.call(get_candidates(log))).results()["Total_Results"] == 18


async def test_v4x_shape(wd: RawWorkday) -> None:
    answer = await wd.call(get_candidates(references=ref("Candidate_Reference", "Candidate_ID", "C000108")))
    person = "//wd:Candidate/wd:Candidate_Data"
    assert answer.text(f"{person}/wd:Name_Data/wd:Legal_Name/wd:Name_Detail_Data/wd:First_Name") == "Aisha"
    assert answer.text(f"{person}/wd:Contact_Data/wd:Email_Address") == "aisha.karimi@example.com"
    assert answer.text(f"{person}/wd:Status_Data/wd:Withdrawn") == "0"
    app = f"{person}/wd:Job_Application_Data[1]"
    assert answer.text(f"{app}/wd:Job_Application_Reference/wd:ID[@wd:type='Job_Application_ID']") == "JA-000108"
    assert answer.text(f"{app}/wd:Job_Applied_To_Data/wd:Job_Application_ID") == "JA-000108"
    applied = answer.text(f"{app}/wd:Job_Applied_To_Data/wd:Job_Application_Date")
    assert applied.endswith("-08:00") and applied[19] == "." and len(applied) == 29
    assert datetime.fromisoformat(applied) > datetime.now(UTC) - timedelta(days=5)
    assert answer.text(f"{app}//wd:Stage_Reference/wd:ID[@wd:type='Recruiting_Stage_ID']") == "Screen"


async def test_v31_shape(sandbox: SandboxServer, wd: RawWorkday) -> None:
    sandbox.chaos.shape = "v31"
    answer = await wd.call(get_candidates(references=ref("Candidate_Reference", "Candidate_ID", "C000108")))
    person = "//wd:Candidate/wd:Candidate_Data"
    assert answer.text(f"{person}/wd:Name_Data/wd:First_Name") == "Aisha"
    assert not answer.xpath("//wd:Legal_Name") and not answer.xpath("//wd:Job_Application_ID")
    assert not answer.xpath(f"{person}/wd:Job_Application_Data/wd:Job_Application_Reference")
    assert answer.ids("Job_Applied_To_Data/wd:Job_Application_Reference", "Job_Application_ID") == list(
        TWO_APPLICATIONS_APPLICATION_IDS
    )


async def test_attachments_included_unless_excluded(wd: RawWorkday) -> None:
    refs = ref("Candidate_Reference", "Candidate_ID", "C000101")
    without = await wd.call(get_candidates(references=refs))
    assert not without.xpath("//wd:Resume_Attachment_Data")
    answer = await wd.call(get_candidates(references=refs, exclude_attachments=False))
    resume = "//wd:Job_Application_Data/wd:Resume_Attachment_Data"
    assert answer.text(f"{resume}/wd:Filename") == "Ana_Silva_Resume.pdf"
    assert base64.b64decode(answer.text(f"{resume}/wd:File_Content")).startswith(b"%PDF-")
    assert answer.text(f"{resume}/wd:Mime_Type_Reference/wd:ID[@wd:type='Content_Type_ID']") == "application/pdf"
    sara = ref("Candidate_Reference", "Candidate_ID", CANDIDATE_LEVEL_RESUME_CANDIDATE_ID)
    level = await wd.call(get_candidates(references=sara, exclude_attachments=False))
    assert not level.xpath("//wd:Resume_Attachment_Data")
    category = "//wd:Candidate_Attachment_Data/wd:Document_Category_Reference/wd:ID"
    assert (
        level.text(f"{category}[@wd:type='Document_Category__Workday_Owned__ID']")
        == "CANDIDATE_RESUME_AND_COVER_LETTER"
    )


async def test_references_unknown_and_skipped(wd: RawWorkday) -> None:
    refs = ref("Candidate_Reference", "Candidate_ID", "C999999") + ref("Candidate_Reference", "Candidate_ID", "C000101")
    answer = await wd.call(get_candidates(references=refs))
    assert (
        answer.text("//wd:Validation_Error/wd:Message")
        == "Invalid ID value.  'C999999' is not a valid ID value for type = 'Candidate_ID'"
    )
    skipping = get_candidates(references=refs).replace(
        "<bsvc:Request_References>", '<bsvc:Request_References bsvc:Skip_Non_Existing_Instances="true">'
    )
    assert candidate_ids(await wd.call(skipping)) == ["C000101"]
    mei = await wd.call(get_candidates(references=ref("Candidate_Reference", "Candidate_ID", "C000103")))
    wid = mei.text("//wd:Candidate_Reference/wd:ID[@wd:type='WID']")
    by_wid = await wd.call(get_candidates(references=ref("Candidate_Reference", "WID", wid)))
    assert candidate_ids(by_wid) == ["C000103"]


async def test_both_references_and_criteria_is_a_fault(wd: RawWorkday) -> None:
    body = get_candidates(references=ref("Candidate_Reference", "Candidate_ID", "C000101")).replace(
        "</bsvc:Request_References>", f"</bsvc:Request_References><bsvc:Request_Criteria>{DA}</bsvc:Request_Criteria>"
    )
    answer = await wd.call(body)
    assert answer.faultcode == "SOAP-ENV:Client.validationError" and "not both" in (answer.faultstring or "")


async def test_response_group_only_takes_its_two_flags(wd: RawWorkday) -> None:
    body = get_candidates().replace(
        "</bsvc:Response_Group>", "<bsvc:Include_Roles>true</bsvc:Include_Roles></bsvc:Response_Group>"
    )
    answer = await wd.call(body)
    assert answer.faultcode == "SOAP-ENV:Client.validationError"
    assert answer.text("//wd:Xpath") == "/bsvc:Get_Candidates_Request[1]/bsvc:Response_Group[1]/bsvc:Include_Roles[1]"


async def test_descriptors_on_candidate_references(wd: RawWorkday) -> None:
    answer = await wd.call(
        get_candidates(references=ref("Candidate_Reference", "Candidate_ID", "C000113")), descriptors=True
    )
    assert answer.text("//wd:Candidate/wd:Candidate_Reference/@wd:Descriptor") == "María González"
    assert answer.text("//wd:Stage_Reference/@wd:Descriptor") == "Screen"
    labels = answer.root.xpath("//@wd:Descriptor", namespaces=NS) if answer.root is not None else []
    assert len(labels) >= 5


async def test_as_of_a_past_instant(wd: RawWorkday) -> None:
    fifty_hours_ago = (datetime.now(UTC) - timedelta(hours=50)).strftime("%Y-%m-%dT%H:%M:%SZ")
    tomasz = ref("Candidate_Reference", "Candidate_ID", "C000102")
    then = await wd.call(get_candidates(references=tomasz, as_of=fifty_hours_ago))
    assert stage_of(then, "JA-000102") == "Review"  # applied 70 h ago, moved to Screen 30 h ago
    assert stage_of(await wd.call(get_candidates(references=tomasz)), "JA-000102") == "Screen"
    month_ago = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    before = await wd.call(get_candidates(as_of=month_ago))
    assert before.results()["Total_Results"] == 0
