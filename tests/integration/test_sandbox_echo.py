"""The Response_Filter echo as a real tenant sends it, and paging pinned by the client's own snapshot time."""

from __future__ import annotations

import httpx
import pytest
from lxml import etree

from airecruiter.sandbox import SandboxServer
from airecruiter.sandbox.seed import OPEN_REQUISITION_IDS
from tests.integration.sandbox_fixtures import RawWorkday
from tests.integration.test_sandbox_xsd import RESPONSES
from tests.integration.workday_helpers import client_for
from tests.workday_schema import WD, body_payload, xsd_errors

PAGED = sorted(name for name in RESPONSES if b"Response_Filter>" in RESPONSES[name]().to_bytes())


def _filter_fields(root: etree._Element) -> list[tuple[str, str]]:
    found = root.find(f".//{{{WD}}}Response_Filter")
    assert found is not None
    return [(etree.QName(e).localname, (e.text or "").strip()) for e in found]


@pytest.mark.parametrize("name", PAGED)
async def test_the_echo_is_the_filter_our_client_sent(wd: RawWorkday, name: str) -> None:
    sent = RESPONSES[name]().to_bytes()
    answer = await wd.call("", raw=sent)
    assert answer.status == 200, answer.response.text
    response = body_payload(answer.response.content)
    ours = _filter_fields(etree.fromstring(sent))
    assert [field for field, _ in ours] == ["As_Of_Effective_Date", "As_Of_Entry_DateTime", "Page", "Count"]
    assert _filter_fields(response) == ours
    assert xsd_errors(response) == []


async def test_zero_results_echo_the_filter_but_carry_no_page_in_the_results(wd: RawWorkday) -> None:
    answer = await wd.call("", raw=RESPONSES["candidates_zero_results"]().to_bytes())
    assert answer.results() == {"Total_Results": 0, "Total_Pages": 0, "Page_Results": 0}
    assert not answer.xpath("//wd:Response_Results/wd:Page")
    assert answer.text("//wd:Response_Filter/wd:Page") == "1"  # what was sent, nothing more


async def test_a_requisition_closed_between_page_one_and_two_does_not_shift_the_pages(
    sandbox: SandboxServer,
) -> None:
    client = client_for(sandbox, page_size=1)
    pages: list[bytes] = []

    async def close_the_first_after_page_one(response: httpx.Response) -> None:
        if b"Get_Job_Requisitions_Request" not in response.request.content:
            return
        pages.append(response.request.content)
        if len(pages) == 1:
            await response.aread()
            first = etree.fromstring(response.content).findtext(f".//{{{WD}}}ID[@{{{WD}}}type='Job_Requisition_ID']")
            assert first is not None
            sandbox.tenant.touch_requisition(first, status="Closed")

    client._http.event_hooks["response"].append(close_the_first_after_page_one)
    try:
        found = [r.requisition_id for r in await client.requisitions()]
    finally:
        await client.aclose()
    # Unpinned, page 2 would be read after the close and skip the requisition that moved up to page 1.
    assert sorted(found) == sorted(OPEN_REQUISITION_IDS) and len(pages) == len(OPEN_REQUISITION_IDS)
    filters = [_filter_fields(etree.fromstring(body)) for body in pages]
    assert len({tuple(f for f in fields if f[0] != "Page") for fields in filters}) == 1  # same snapshot each page
    assert [dict(fields)["Page"] for fields in filters] == [str(n) for n in range(1, len(pages) + 1)]
