"""Fault injection: throttling in its three shapes, server errors, dropped connections, the guardrail."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from airecruiter.sandbox import Chaos, SandboxServer
from tests.integration.sandbox_fixtures import RawWorkday, get_candidates, raw_client, running_sandbox

GJR = (
    '<bsvc:Get_Job_Requisitions_Request bsvc:version="v45.0"><bsvc:Response_Filter><bsvc:Count>10</bsvc:Count>'
    "</bsvc:Response_Filter></bsvc:Get_Job_Requisitions_Request>"
)


@pytest.fixture
async def wd(sandbox: SandboxServer) -> AsyncIterator[RawWorkday]:
    async with raw_client(sandbox) as client:
        await client.token()
        yield client


async def test_throttle_alternates_between_429_and_both_500_shapes(sandbox: SandboxServer, wd: RawWorkday) -> None:
    sandbox.chaos.throttle_every = 2
    answers = [await wd.call(GJR) for _ in range(6)]
    assert [a.status for a in answers] == [200, 429, 200, 500, 200, 500]
    limited = answers[1].response
    assert limited.headers["retry-after"] == "2" and limited.headers["content-type"].startswith("text/plain")
    assert answers[3].response.content == b""
    assert answers[5].response.headers["content-type"].startswith("text/html") and "<html>" in answers[5].response.text
    assert sandbox.calls.throttled == 3 and sandbox.calls.operations["Get_Job_Requisitions"] == 6
    assert sandbox.calls.succeeded["Get_Job_Requisitions"] == 3


@pytest.mark.parametrize(
    ("style", "status", "content_type"),
    [
        ("http429", 429, "text/plain"),
        ("http500_empty", 500, None),
        ("http500_html", 500, "text/html"),
    ],
)
async def test_throttle_styles(
    sandbox: SandboxServer, wd: RawWorkday, style: str, status: int, content_type: str | None
) -> None:
    sandbox.chaos.update({"throttle_every": 1, "throttle_style": style})
    answer = await wd.call(GJR)
    assert answer.status == status and answer.root is None
    if content_type:
        assert answer.response.headers["content-type"].startswith(content_type)


async def test_server_error_every_n(sandbox: SandboxServer, wd: RawWorkday) -> None:
    sandbox.chaos.server_error_every = 3
    answers = [await wd.call(GJR) for _ in range(3)]
    assert [a.status for a in answers] == [200, 200, 500]
    assert answers[2].faultcode == "SOAP-ENV:Server.processingError"
    assert answers[2].faultstring == "Processing error occurred. An unexpected error occurred."


async def test_dropped_connection_mid_response(sandbox: SandboxServer, wd: RawWorkday) -> None:
    sandbox.chaos.drop_connection_every = 2
    assert (await wd.call(GJR)).status == 200
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        await wd.call(GJR)
    assert (await wd.call(GJR)).status == 200  # the next request on a new connection works
    assert sandbox.calls.dropped == 1


async def test_invalid_request_guardrail(sandbox: SandboxServer, wd: RawWorkday) -> None:
    sandbox.chaos.update({"invalid_request_guardrail": 3, "guardrail_block_seconds": 30})
    for _ in range(3):
        assert (await wd.call(get_candidates(page=0))).status == 500
    blocked = await wd.call(GJR)
    assert blocked.status == 429 and int(blocked.response.headers["retry-after"]) > 0
    sandbox.chaos.guardrail_block_seconds = 0
    sandbox.state.guardrail.blocked_until = 0.0
    assert (await wd.call(GJR)).status == 200


async def test_latency(sandbox: SandboxServer, wd: RawWorkday) -> None:
    sandbox.chaos.latency_ms = 50
    assert (await wd.call(GJR)).status == 200


async def test_chaos_through_the_control_api(sandbox: SandboxServer, wd: RawWorkday) -> None:
    changed = await wd.control("PATCH", "chaos", json={"throttle_every": 5, "shape": "v31"})
    assert changed.status_code == 200 and changed.json()["throttle_every"] == 5
    assert sandbox.chaos.shape == "v31" and sandbox.chaos.throttle_every == 5
    for bad in (
        {"shape": "v99"},
        {"throttle_every": "often"},
        {"nope": 1},
        {"ttl": 0},
        {"html_error": 1},
        {"supported_versions": "v45"},
    ):
        refused = await wd.control("PATCH", "chaos", json=bad)
        assert refused.status_code == 400 and refused.json()["error"]
    assert sandbox.chaos.shape == "v31"  # a refused update changes nothing
    reset = await wd.control("DELETE", "chaos")
    assert reset.json() == Chaos().as_dict()


async def test_call_counters(sandbox: SandboxServer, wd: RawWorkday) -> None:
    await wd.call(GJR)
    await wd.call(get_candidates(page=0))
    counters = (await wd.control("GET", "calls")).json()
    assert counters["operations"] == {"Get_Job_Requisitions": 1, "Get_Candidates": 1}
    assert counters["succeeded"] == {"Get_Job_Requisitions": 1}
    assert counters["faults"] == {"SOAP-ENV:Client.validationError": 1}
    assert counters["token_requests"] == counters["tokens_issued"] == 1
    assert (await wd.control("DELETE", "calls")).json()["soap_requests"] == 0


async def test_chaos_set_at_construction() -> None:
    async with running_sandbox(throttle_every=1, throttle_style="http429") as sandbox, raw_client(sandbox) as wd:
        assert (await wd.call(GJR)).status == 429
