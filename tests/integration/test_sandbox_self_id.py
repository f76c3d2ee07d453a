"""The sandbox tenant answers self-identification for part of its candidates, as Workday's v46 schema has it."""

from __future__ import annotations

from datetime import UTC, datetime

from airecruiter.adapters.workday import envelope
from airecruiter.adapters.workday.envelope import Paging
from airecruiter.sandbox import SandboxServer, seed
from airecruiter.sandbox.self_id import DECLINED_ETHNICITY, DECLINED_GENDER, SEEDED_SELF_ID
from tests.integration.sandbox_fixtures import RawWorkday
from tests.integration.workday_helpers import client_for
from tests.workday_schema import body_payload, errors_where_present

APPLIED = "//wd:Job_Application_Data/wd:Job_Applied_To_Data"


async def test_part_of_the_candidates_carry_self_id_that_validates_against_v46(wd: RawWorkday) -> None:
    request = envelope.get_candidates_by_requisition(
        "v45.0", Paging(1, 100, datetime.now(UTC)), seed.BACKEND_REQUISITION_ID
    )
    answer = await wd.call("", raw=request.to_bytes())
    assert answer.status == 200, answer.response.text
    assert errors_where_present(body_payload(answer.response.content)) == []
    applied = answer.xpath(APPLIED)
    with_self_id = [
        a for a in applied if a.xpath("wd:Personal_Information_Data", namespaces={"wd": "urn:com.workday/bsvc"})
    ]
    assert 0 < len(with_self_id) < len(applied)
    genders = answer.xpath(f"{APPLIED}/wd:Personal_Information_Data/wd:Gender_Reference/wd:ID[@wd:type='Gender_Code']")
    assert DECLINED_GENDER in {g.text for g in genders}  # a declined answer among them
    assert not answer.xpath("//wd:Global_Personal_Information_Data | //wd:Ethnicity_Visual_Survey_Reference")


async def test_our_client_reads_the_seeded_self_id(sandbox: SandboxServer) -> None:
    client = client_for(sandbox)
    try:
        found = {
            a.application_id: a.self_identification async for a in client.applications(seed.BACKEND_REQUISITION_ID)
        }
    finally:
        await client.aclose()
    for application_id, read in found.items():
        seeded = SEEDED_SELF_ID.get(application_id)
        if seeded is None:
            assert read is None
            continue
        assert read is not None
        assert (read.gender_id, read.ethnicity_ids, read.hispanic_or_latino) == (
            seeded.gender,
            seeded.ethnicities,
            seeded.hispanic_or_latino,
        )
    assert any(s.ethnicities == (DECLINED_ETHNICITY,) for s in SEEDED_SELF_ID.values())
