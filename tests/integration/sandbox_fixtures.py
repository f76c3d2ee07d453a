"""The sandbox Workday tenant for tests, and a raw-HTTP helper that speaks its protocol without our client.

`running_sandbox(**chaos)` yields a started `SandboxServer` on a free loopback port (for the
Workday client's tests too). `RawWorkday` sends hand-written SOAP envelopes with httpx and parses
the answers with lxml, so the server is tested independently of `airecruiter.adapters.workday`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from airecruiter.sandbox import Chaos, SandboxServer, Tenant

NS = {"wd": "urn:com.workday/bsvc", "env": "http://schemas.xmlsoap.org/soap/envelope/"}
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
VERSION = "v45.0"


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    """A started sandbox over the seeded tenant, fresh for each test."""
    async with running_sandbox() as server:
        yield server


@pytest.fixture
async def wd(sandbox: SandboxServer) -> AsyncIterator[RawWorkday]:
    """A raw SOAP client of that sandbox (no client code of ours)."""
    async with raw_client(sandbox) as client:
        yield client


@asynccontextmanager
async def running_sandbox(
    *,
    scale: int = 0,
    state_dir: Path | None = None,
    tenant: Tenant | None = None,
    conventions: str = "default",
    **chaos_overrides: Any,
) -> AsyncIterator[SandboxServer]:
    """A started sandbox over the seeded tenant (plus `scale` candidates), with these chaos switches."""
    server = SandboxServer(
        tenant, chaos=Chaos(**chaos_overrides), state_dir=state_dir, scale=scale, conventions=conventions
    )
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def envelope(body: str, *, descriptors: bool = False) -> str:
    """A SOAP 1.1 envelope around a request element written with the `bsvc` prefix."""
    header = ""
    if descriptors:
        header = (
            "<soapenv:Header><bsvc:Workday_Common_Header><bsvc:Include_Reference_Descriptors_In_Response>true"
            "</bsvc:Include_Reference_Descriptors_In_Response></bsvc:Workday_Common_Header></soapenv:Header>"
        )
    return (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}" xmlns:bsvc="urn:com.workday/bsvc">{header}'
        f"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    )


def ref(name: str, id_type: str, value: str) -> str:
    """A request reference element."""
    return f'<bsvc:{name}><bsvc:ID bsvc:type="{id_type}">{value}</bsvc:ID></bsvc:{name}>'


def response_filter(page: int | None = None, count: int | None = None, as_of: str | None = None) -> str:
    """A Response_Filter with the given fields."""
    parts = []
    if as_of is not None:
        parts.append(f"<bsvc:As_Of_Entry_DateTime>{as_of}</bsvc:As_Of_Entry_DateTime>")
    if page is not None:
        parts.append(f"<bsvc:Page>{page}</bsvc:Page>")
    if count is not None:
        parts.append(f"<bsvc:Count>{count}</bsvc:Count>")
    return f"<bsvc:Response_Filter>{''.join(parts)}</bsvc:Response_Filter>"


def get_candidates(
    criteria: str | None = None,
    *,
    references: str | None = None,
    page: int | None = 1,
    count: int | None = 100,
    as_of: str | None = None,
    exclude_attachments: bool = True,
) -> str:
    """A Get_Candidates_Request element."""
    selection = ""
    if references is not None:
        selection = f"<bsvc:Request_References>{references}</bsvc:Request_References>"
    elif criteria is not None:
        selection = f"<bsvc:Request_Criteria>{criteria}</bsvc:Request_Criteria>"
    group = (
        "<bsvc:Response_Group><bsvc:Include_Reference>true</bsvc:Include_Reference><bsvc:Exclude_All_Attachments>"
        f"{'true' if exclude_attachments else 'false'}</bsvc:Exclude_All_Attachments></bsvc:Response_Group>"
    )
    return (
        f'<bsvc:Get_Candidates_Request bsvc:version="{VERSION}">{selection}'
        f"{response_filter(page, count, as_of)}{group}</bsvc:Get_Candidates_Request>"
    )


class SoapAnswer:
    """An HTTP response with its parsed SOAP envelope."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.status = response.status_code
        self.root = etree.fromstring(response.content) if response.content.startswith(b"<?xml") else None

    def xpath(self, path: str) -> list[Any]:
        """XPath over the envelope with the wd/env prefixes."""
        assert self.root is not None, self.response.text
        return list(self.root.xpath(path, namespaces=NS))

    def text(self, path: str) -> str:
        """The text of the single node `path` selects."""
        [node] = self.xpath(path)
        return str(node.text if hasattr(node, "text") else node)

    @property
    def faultcode(self) -> str | None:
        """The fault code, when this is a fault."""
        nodes = self.xpath("//env:Fault/faultcode") if self.root is not None else []
        return nodes[0].text if nodes else None

    @property
    def faultstring(self) -> str | None:
        """The fault string, when this is a fault."""
        nodes = self.xpath("//env:Fault/faultstring") if self.root is not None else []
        return nodes[0].text if nodes else None

    def results(self) -> dict[str, int]:
        """Response_Results as numbers."""
        names = ("Total_Results", "Total_Pages", "Page_Results", "Page")
        # Page is absent when nothing matched, as a tenant sends it.
        return {
            n: int(self.text(f"//wd:Response_Results/wd:{n}"))
            for n in names
            if self.xpath(f"//wd:Response_Results/wd:{n}")
        }

    def ids(self, reference: str, id_type: str) -> list[str]:
        """Business ids of every `reference` of that type, in document order."""
        return [str(n.text) for n in self.xpath(f"//wd:{reference}/wd:ID[@wd:type='{id_type}']")]


class RawWorkday:
    """Hand-written SOAP over httpx against a sandbox: tokens, calls, the control API."""

    def __init__(self, sandbox: SandboxServer, http: httpx.AsyncClient) -> None:
        self.sandbox = sandbox
        self.http = http
        self._token: str | None = None

    async def token(self) -> str:
        """A fresh access token from the refresh-token grant."""
        response = await self.http.post(
            self.sandbox.token_url,
            data={
                "grant_type": "refresh_token",
                "refresh_token": self.sandbox.refresh_token,
                "client_id": self.sandbox.client_id,
                "client_secret": self.sandbox.client_secret,
            },
        )
        assert response.status_code == 200, response.text
        self._token = str(response.json()["access_token"])
        return self._token

    async def call(
        self,
        body: str,
        *,
        version: str = VERSION,
        token: str | None = None,
        descriptors: bool = False,
        raw: str | bytes | None = None,
        tenant: str | None = None,
    ) -> SoapAnswer:
        """POST one SOAP request (a request element, or a `raw` body) with a Bearer token."""
        access = token if token is not None else (self._token or await self.token())
        url = f"{self.sandbox.base_url}/ccx/service/{tenant or self.sandbox.tenant_id}/Recruiting/{version}"
        content = raw if raw is not None else envelope(body, descriptors=descriptors)
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
        if access:  # an empty token sends no Authorization header at all
            headers["Authorization"] = f"Bearer {access}"
        response = await self.http.post(url, content=content, headers=headers)
        return SoapAnswer(response)

    async def control(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Call the /_sandbox/ control API (changes as JSON, as it requires)."""
        headers = {"Content-Type": "application/json"} if method != "GET" else {}
        return await self.http.request(
            method,
            f"{self.sandbox.base_url}/_sandbox/{path}",
            headers={**headers, **kwargs.pop("headers", {})},
            **kwargs,
        )


@asynccontextmanager
async def raw_client(sandbox: SandboxServer) -> AsyncIterator[RawWorkday]:
    """A RawWorkday with its own HTTP client."""
    async with httpx.AsyncClient(timeout=60) as http:
        yield RawWorkday(sandbox, http)
