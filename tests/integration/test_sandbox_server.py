"""The sandbox tenant's transport over raw HTTP: the token endpoint, Bearer auth, versions, malformed input."""

from __future__ import annotations

import asyncio
import base64

import httpx
import pytest

from airecruiter.sandbox import SandboxServer
from tests.integration.sandbox_fixtures import RawWorkday, running_sandbox

GJR = (
    '<bsvc:Get_Job_Requisitions_Request bsvc:version="v45.0"><bsvc:Response_Filter><bsvc:Count>10</bsvc:Count>'
    "</bsvc:Response_Filter></bsvc:Get_Job_Requisitions_Request>"
)
GET_CANDIDATES = (
    '<bsvc:Get_Candidates_Request bsvc:version="v45.0"><bsvc:Response_Filter><bsvc:Count>10</bsvc:Count>'
    "</bsvc:Response_Filter></bsvc:Get_Candidates_Request>"
)


def _form(sandbox: SandboxServer, **overrides: str) -> dict[str, str]:
    form = {
        "grant_type": "refresh_token",
        "refresh_token": sandbox.refresh_token,
        "client_id": sandbox.client_id,
        "client_secret": sandbox.client_secret,
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v}


async def test_token_with_client_credentials_in_the_body(sandbox: SandboxServer, wd: RawWorkday) -> None:
    response = await wd.http.post(sandbox.token_url, data=_form(sandbox), headers={"Accept": "application/json"})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["access_token"] and "refresh_token" not in body
    assert (await wd.call(GJR, token=body["access_token"])).status == 200


async def test_token_with_http_basic_client_authentication(sandbox: SandboxServer, wd: RawWorkday) -> None:
    basic = base64.b64encode(f"{sandbox.client_id}:{sandbox.client_secret}".encode()).decode()
    response = await wd.http.post(
        sandbox.token_url,
        headers={"Authorization": f"Basic {basic}"},
        data={"grant_type": "refresh_token", "refresh_token": sandbox.refresh_token},
    )
    assert response.status_code == 200
    first = response.json()["access_token"]
    again = await wd.http.post(sandbox.token_url, data=_form(sandbox))
    assert again.json()["access_token"] != first  # tokens are random


async def test_token_errors_follow_rfc_6749(sandbox: SandboxServer, wd: RawWorkday) -> None:
    wrong_client = await wd.http.post(sandbox.token_url, data=_form(sandbox, client_secret="nope"))
    assert (wrong_client.status_code, wrong_client.json()) == (401, {"error": "invalid_client"})
    basic = base64.b64encode(b"someone:else").decode()
    wrong_basic = await wd.http.post(
        sandbox.token_url,
        headers={"Authorization": f"Basic {basic}"},
        data={"grant_type": "refresh_token", "refresh_token": sandbox.refresh_token},
    )
    assert wrong_basic.status_code == 401 and "Basic" in wrong_basic.headers["www-authenticate"]
    wrong_grant = await wd.http.post(sandbox.token_url, data=_form(sandbox, refresh_token="rt-revoked"))
    assert wrong_grant.status_code == 400
    assert wrong_grant.json() == {"error": "invalid_grant", "error_description": "Invalid refresh token"}
    other_grant = await wd.http.post(sandbox.token_url, data=_form(sandbox, grant_type="client_credentials"))
    assert (other_grant.status_code, other_grant.json()["error"]) == (400, "unsupported_grant_type")
    as_json = await wd.http.post(sandbox.token_url, json=_form(sandbox))
    assert (as_json.status_code, as_json.json()["error"]) == (400, "invalid_request")


async def test_rotated_refresh_token_revokes_the_old_one(sandbox: SandboxServer, wd: RawWorkday) -> None:
    sandbox.chaos.rotate_refresh_token = True
    old = sandbox.refresh_token
    response = await wd.http.post(sandbox.token_url, data=_form(sandbox))
    new = response.json()["refresh_token"]
    assert new != old and sandbox.refresh_token == new
    stale = await wd.http.post(sandbox.token_url, data=_form(sandbox, refresh_token=old))
    assert stale.json()["error"] == "invalid_grant"
    assert (await wd.http.post(sandbox.token_url, data=_form(sandbox, refresh_token=new))).status_code == 200


async def test_html_errors_and_missing_expires_in(sandbox: SandboxServer, wd: RawWorkday) -> None:
    sandbox.chaos.html_error = True
    page = await wd.http.post(sandbox.token_url, data=_form(sandbox, refresh_token="rt-revoked"))
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "<html>" in page.text
    sandbox.chaos.omit_expires_in = True
    body = (await wd.http.post(sandbox.token_url, data=_form(sandbox))).json()
    assert "expires_in" not in body and body["token_type"] == "Bearer"


async def test_expired_tokens_are_refused(sandbox: SandboxServer, wd: RawWorkday) -> None:
    sandbox.chaos.ttl = 1
    token = await wd.token()
    assert (await wd.call(GJR, token=token)).status == 200
    await asyncio.sleep(1.1)
    assert (await wd.call(GJR, token=token)).status == 401
    fresh = await wd.token()
    expired = await wd.control("POST", "tokens/expire")
    assert expired.json()["expired"] >= 1
    assert (await wd.call(GJR, token=fresh)).status == 401


async def test_token_dies_after_n_calls(sandbox: SandboxServer, wd: RawWorkday) -> None:
    sandbox.chaos.expire_token_after_n_calls = 2
    token = await wd.token()
    assert [(await wd.call(GJR, token=token)).status for _ in range(3)] == [200, 200, 401]
    assert (await wd.call(GJR, token=await wd.token())).status == 200


async def test_missing_or_unknown_bearer_token(sandbox: SandboxServer, wd: RawWorkday) -> None:
    unknown = await wd.call(GJR, token="at-nobody")
    assert unknown.status == 401
    assert unknown.response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert unknown.faultcode == "SOAP-ENV:Client.authenticationError"
    assert unknown.faultstring == "invalid username or password"
    assert not unknown.xpath("//detail")
    sandbox.chaos.auth_failure_style = "fault500"
    as_fault = await wd.call(GJR, token="")
    assert as_fault.status == 500 and "www-authenticate" not in as_fault.response.headers
    assert as_fault.faultcode == "SOAP-ENV:Client.authenticationError"


async def test_fault_envelope_is_workdays(wd: RawWorkday) -> None:
    answer = await wd.call(GJR, version="v41.0")
    assert answer.status == 500 and answer.response.headers["content-type"] == "text/xml; charset=utf-8"
    text = answer.response.text
    assert "<SOAP-ENV:Envelope" in text
    assert (
        '<SOAP-ENV:Fault xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wd="urn:com.workday/bsvc">'
    ) in text
    assert answer.faultcode == "SOAP-ENV:Client.validationError"
    message = "Invalid request service version"  # what a real tenant says of a version it does not serve
    assert answer.faultstring == f"Validation error occurred. {message}"
    assert answer.text("//wd:Validation_Fault/wd:Validation_Error/wd:Message") == message


@pytest.mark.parametrize("version", ["v41.9", "v48.0", "v45", "45.0", "latest"])
async def test_unsupported_versions(wd: RawWorkday, version: str) -> None:
    answer = await wd.call(GJR, version=version)
    assert answer.status == 500 and "Invalid request service version" in (answer.faultstring or "")


async def test_an_operation_without_a_grant_gets_the_web_service_or_version_fault(
    sandbox: SandboxServer, wd: RawWorkday
) -> None:
    sandbox.chaos.ungranted_operations = "Get_Candidates, Put_Candidate_Attachment"
    assert (await wd.call(GJR)).status == 200
    answer = await wd.call(GET_CANDIDATES)
    assert answer.status == 500 and answer.faultcode == "SOAP-ENV:Client.validationError"
    message = "The web service or version is invalid for the requested operation"
    assert answer.text("//wd:Validation_Fault/wd:Validation_Error/wd:Message") == message


async def test_supported_versions_switch(sandbox: SandboxServer, wd: RawWorkday) -> None:
    for version in ("v42.0", "v43.2", "v47.0"):
        assert (await wd.call(GJR, version=version)).status == 200
    sandbox.chaos.supported_versions = "v31.2,v44.0..v44.9"
    assert (await wd.call(GJR, version="v31.2")).status == 200
    assert (await wd.call(GJR, version="v43.2")).status == 500
    answer = await wd.call(GJR, version="v44.2")
    assert answer.text("//wd:Get_Job_Requisitions_Response/@wd:version") == "v44.2"


async def test_unknown_tenant_and_wsdl(sandbox: SandboxServer, wd: RawWorkday) -> None:
    answer = await wd.call(GJR, tenant="globex")
    assert answer.status == 404 and answer.response.content == b""
    token = await wd.http.post(f"{sandbox.base_url}/ccx/oauth2/globex/token", data=_form(sandbox))
    assert token.status_code == 404
    wsdl = await wd.http.get(f"{sandbox.base_url}/ccx/service/acme/Recruiting/v45.0?wsdl")
    assert wsdl.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        b"<soapenv:Envelope",
        b"",
        b"\xff\xfe not xml",
        b"<a><b></a>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>',
    ],
)
async def test_unparseable_xml_is_a_client_fault(wd: RawWorkday, body: bytes) -> None:
    answer = await wd.call("", raw=body)
    assert answer.status == 500
    assert (answer.faultcode, answer.faultstring) == ("SOAP-ENV:Client", "Invalid XML")
    assert "root:" not in answer.response.text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<bsvc:Get_Job_Applications_Request/>", "Invalid request: unsupported operation Get_Job_Applications"),
        ("<Get_Candidates_Request/>", "Invalid request: unsupported operation Get_Candidates"),
        ("", "Invalid request: the SOAP Body is empty"),
    ],
)
async def test_unsupported_operations(wd: RawWorkday, body: str, message: str) -> None:
    answer = await wd.call(body)
    assert answer.status == 500 and answer.faultcode == "SOAP-ENV:Client.validationError"
    assert answer.faultstring == f"Validation error occurred. {message}"


async def test_not_a_soap_envelope(wd: RawWorkday) -> None:
    answer = await wd.call("", raw=b"<Envelope><Body/></Envelope>")
    assert answer.status == 500 and answer.faultcode == "SOAP-ENV:Client"


async def test_any_prefixes_are_accepted(wd: RawWorkday) -> None:
    body = (
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        '<Get_Job_Requisitions_Request xmlns="urn:com.workday/bsvc" xmlns:w="urn:com.workday/bsvc" w:version="v45.0">'
        "<Response_Filter><Count>2</Count></Response_Filter></Get_Job_Requisitions_Request></s:Body></s:Envelope>"
    )
    answer = await wd.call("", raw=body)
    assert answer.status == 200 and answer.results()["Page_Results"] == 2
    # Attributes are qualified (attributeFormDefault="qualified"): a bare version= is refused.
    unqualified = await wd.call("", raw=body.replace(' xmlns:w="urn:com.workday/bsvc" w:version=', " version="))
    assert unqualified.faultcode == "SOAP-ENV:Client.validationError"
    assert "must be qualified (wd:version)" in (unqualified.faultstring or "")
    assert answer.response.text.count("<env:Envelope") == 1 and "<wd:Job_Requisition>" in answer.response.text


async def test_oversized_body_is_refused_without_reading_it_all(wd: RawWorkday) -> None:
    answer = await wd.call("", raw=b"<" + b"x" * (65 * 1024 * 1024))
    assert answer.status == 500 and answer.faultcode == "SOAP-ENV:Client"


async def test_control_api_health_and_settings(sandbox: SandboxServer, wd: RawWorkday) -> None:
    assert (await wd.control("GET", "health")).json() == {"status": "ok", "tenant": "acme"}
    settings = (await wd.control("GET", "settings")).json()
    assert settings == sandbox.settings_env()
    assert settings["WORKDAY_TENANT_URL"] == sandbox.base_url and settings["WORKDAY_TENANT_ID"] == "acme"


async def test_port_zero_picks_a_free_port_and_a_taken_port_raises() -> None:
    async with running_sandbox() as first:
        assert first.port > 0
        second = SandboxServer(port=first.port)
        with pytest.raises(OSError):
            await second.start()
        async with httpx.AsyncClient() as http:
            assert (await http.get(f"{first.base_url}/_sandbox/health")).status_code == 200


async def test_the_control_api_answers_only_requests_addressed_to_the_sandbox(sandbox: SandboxServer) -> None:
    # A page on evil.example that rebinds its name to 127.0.0.1 sends Host: evil.example.
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as http:
        for host in ("evil.example", "evil.example:8100", "127.0.0.1.evil.example"):
            refused = await http.get("/_sandbox/settings", headers={"Host": host})
            assert refused.status_code == 403, host
            assert "addressed to the sandbox itself" in refused.json()["error"]
            assert "client_secret" not in refused.text.lower()
        port = sandbox.base_url.rsplit(":", 1)[1]
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
            assert (await http.get("/_sandbox/health", headers={"Host": host})).status_code == 200, host


async def test_the_control_api_takes_changes_only_as_json(sandbox: SandboxServer) -> None:
    # What a web page can send cross-origin without a preflight: forms and text/plain.
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as http:
        for content_type in ("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"):
            refused = await http.post("/_sandbox/tokens/expire", headers={"Content-Type": content_type})
            assert refused.status_code == 415, content_type
            refused = await http.patch(
                "/_sandbox/chaos", content=b'{"throttle_every": 2}', headers={"Content-Type": content_type}
            )
            assert refused.status_code == 415, content_type
        assert (await http.get("/_sandbox/chaos")).json()["throttle_every"] != 2
        accepted = await http.post("/_sandbox/tokens/expire", headers={"Content-Type": "application/json"})
        assert accepted.status_code == 200
