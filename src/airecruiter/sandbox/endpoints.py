"""The tenant's HTTP endpoints: the OAuth2 token endpoint and the Recruiting SOAP endpoint (spec 9.1, 9.5)."""

from __future__ import annotations

import asyncio
import base64
import binascii
import collections
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import structlog
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send

from airecruiter.sandbox.auth import OAuthError, TokenStore
from airecruiter.sandbox.chaos import Chaos
from airecruiter.sandbox.faults import (
    UNEXPECTED_ERROR,
    AuthenticationFault,
    ClientFault,
    ProcessingFault,
    SoapFault,
    ValidationFault,
    not_granted_fault,
    version_fault,
)
from airecruiter.sandbox.soap import UNPARSED, ParsedRequest, SoapService, parse_request
from airecruiter.sandbox.tenant import Tenant

log = structlog.get_logger(__name__)
MAX_BODY_BYTES = 64 * 1024 * 1024  # room for a 30 MB attachment in base64 plus the envelope
MAX_TOKEN_BODY_BYTES = 64 * 1024
XML = "text/xml; charset=utf-8"
HTML_UNAVAILABLE = "<html><body>Service temporarily unavailable</body></html>"
_THROTTLE_CYCLE = ("http429", "http500_empty", "http500_html")


@dataclass
class CallCounters:
    """What arrived at the tenant, for tests that count calls."""

    soap_requests: int = 0
    token_requests: int = 0
    tokens_issued: int = 0
    throttled: int = 0
    dropped: int = 0
    in_flight: int = 0  # SOAP requests being answered right now
    peak_in_flight: int = 0  # the most answered at once since the last reset
    operations: Counter[str] = field(default_factory=Counter)  # received, per operation
    succeeded: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)  # per faultcode

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready counters."""
        return {
            "soap_requests": self.soap_requests,
            "token_requests": self.token_requests,
            "tokens_issued": self.tokens_issued,
            "throttled": self.throttled,
            "dropped": self.dropped,
            "peak_in_flight": self.peak_in_flight,
            "operations": dict(self.operations),
            "succeeded": dict(self.succeeded),
            "faults": dict(self.faults),
        }

    def reset(self) -> None:
        """Back to zero."""
        self.soap_requests = self.token_requests = self.tokens_issued = self.throttled = self.dropped = 0
        self.peak_in_flight = self.in_flight
        self.operations.clear()
        self.succeeded.clear()
        self.faults.clear()


class Guardrail:
    """Workday's answer to a client looping on invalid requests: K faults within T seconds → 429 for a while."""

    def __init__(self, chaos: Chaos) -> None:
        self.chaos = chaos
        self._faults: collections.deque[float] = collections.deque()
        self.blocked_until = 0.0

    def note_invalid(self) -> None:
        """Count one invalid request; trip the guardrail when there were too many."""
        limit = self.chaos.invalid_request_guardrail
        if not limit:
            return
        now = time.monotonic()
        self._faults.append(now)
        while self._faults and self._faults[0] < now - self.chaos.guardrail_window_seconds:
            self._faults.popleft()
        if len(self._faults) >= limit:
            self.blocked_until = now + self.chaos.guardrail_block_seconds
            self._faults.clear()

    def retry_after(self) -> int | None:
        """Seconds left while blocked; None when requests may pass."""
        if not self.chaos.invalid_request_guardrail:
            return None
        left = self.blocked_until - time.monotonic()
        return max(1, int(left + 0.999)) if left > 0 else None


@dataclass
class SandboxState:
    """Everything the endpoints share."""

    tenant: Tenant
    chaos: Chaos
    tokens: TokenStore
    service: SoapService
    calls: CallCounters = field(default_factory=CallCounters)
    guardrail: Guardrail = field(init=False)

    def __post_init__(self) -> None:
        self.guardrail = Guardrail(self.chaos)


def state_of(request: Request) -> SandboxState:
    """The sandbox behind a request."""
    state: SandboxState = request.app.state.sandbox
    return state


# token endpoint ----------------------------------------------------------------------------------------------


def _basic(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


def _oauth_error(chaos: Chaos, error: OAuthError, used_basic: bool) -> Response:
    headers = {"Cache-Control": "no-store"}
    if error.status == 401 and used_basic:
        headers["WWW-Authenticate"] = 'Basic realm="workday"'
    if chaos.html_error:
        page = (
            f"<html><head><title>Error</title></head><body><h1>{error.status} {error.error}</h1>"
            "<p>The request could not be completed.</p></body></html>"
        )
        return HTMLResponse(page, status_code=error.status, headers=headers)
    return JSONResponse(error.payload(), status_code=error.status, headers=headers)


async def token_endpoint(request: Request) -> Response:
    """POST /ccx/oauth2/{tenant}/token: the refresh-token grant."""
    sandbox = state_of(request)
    if request.path_params["tenant"] != sandbox.tenant.tenant_id:
        return Response(status_code=404)
    sandbox.calls.token_requests += 1
    basic = _basic(request.headers.get("authorization"))
    try:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            raise OAuthError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded")
        body = await _read_body(request, MAX_TOKEN_BODY_BYTES)
        if body is None:
            raise OAuthError(400, "invalid_request", "request body too large")
        form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        payload = sandbox.tokens.grant(form, basic)
    except OAuthError as error:
        return _oauth_error(sandbox.chaos, error, basic is not None)
    sandbox.calls.tokens_issued += 1
    return JSONResponse(payload, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is larger than `limit` (read no further than that)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


# SOAP endpoint -----------------------------------------------------------------------------------------------


def fault_response(
    sandbox: SandboxState, fault: SoapFault, status: int = 500, headers: dict[str, str] | None = None
) -> Response:
    """A SOAP fault over HTTP; client mistakes count toward the invalid-request guardrail."""
    sandbox.calls.faults[fault.faultcode] += 1
    if isinstance(fault, ValidationFault | AuthenticationFault | ClientFault):
        sandbox.guardrail.note_invalid()
    return Response(fault.envelope(), status_code=status, media_type=XML, headers=headers)


def _throttle_response(sandbox: SandboxState) -> Response:
    sandbox.calls.throttled += 1
    style: str = sandbox.chaos.throttle_style
    if style == "alternate":
        style = _THROTTLE_CYCLE[(sandbox.calls.throttled - 1) % len(_THROTTLE_CYCLE)]
    if style == "http429":
        return Response("Too many requests", status_code=429, media_type="text/plain", headers={"Retry-After": "2"})
    if style == "http500_html":
        return HTMLResponse(HTML_UNAVAILABLE, status_code=500)
    return Response(b"", status_code=500)


def _every(n: int, count: int) -> bool:
    return n > 0 and count % n == 0


class TruncatedResponse(Response):
    """Announces the full Content-Length, sends half the body, then lets the server drop the connection."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send headers and half of the body, and return without finishing the response."""
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": self.body[: len(self.body) // 2], "more_body": True})
        # Returning with the body unfinished makes uvicorn close the socket mid-response.


async def soap_endpoint(request: Request) -> Response:
    """POST /ccx/service/{tenant}/Recruiting/{version}; never lets an exception escape as a bare 500."""
    sandbox = state_of(request)
    if request.path_params["tenant"] != sandbox.tenant.tenant_id:
        return Response(status_code=404)
    try:
        return await _soap(request, sandbox)
    except ClientDisconnect:
        return Response(status_code=400)
    except Exception:
        log.exception("sandbox_request_failed")
        return fault_response(sandbox, ProcessingFault(UNEXPECTED_ERROR))


async def _soap(request: Request, sandbox: SandboxState) -> Response:
    calls = sandbox.calls
    calls.in_flight += 1
    calls.peak_in_flight = max(calls.peak_in_flight, calls.in_flight)
    try:
        return await _answer(request, sandbox)
    finally:
        calls.in_flight -= 1


async def _answer(request: Request, sandbox: SandboxState) -> Response:
    chaos, calls = sandbox.chaos, sandbox.calls
    calls.soap_requests += 1
    number = calls.soap_requests
    body = await _read_body(request, MAX_BODY_BYTES)
    parsed: ParsedRequest | SoapFault
    if body is None:
        parsed = ClientFault(f"Invalid request: the message exceeds {MAX_BODY_BYTES // (1024 * 1024)} MB")
    else:
        try:
            parsed = parse_request(body)
        except SoapFault as fault:
            parsed = fault
    operation = parsed.operation if isinstance(parsed, ParsedRequest) else UNPARSED
    calls.operations[operation] += 1
    if chaos.latency_ms:
        await asyncio.sleep(chaos.latency_ms / 1000)
    blocked = sandbox.guardrail.retry_after()
    if blocked is not None:
        calls.throttled += 1
        return Response(
            "Too many invalid requests", status_code=429, media_type="text/plain", headers={"Retry-After": str(blocked)}
        )
    if _every(chaos.throttle_every, number):
        return _throttle_response(sandbox)
    if _every(chaos.server_error_every, number):
        return fault_response(sandbox, ProcessingFault(UNEXPECTED_ERROR))
    if not sandbox.tokens.authorize(request.headers.get("authorization")):
        if chaos.auth_failure_style == "fault500":
            return fault_response(sandbox, AuthenticationFault())
        return fault_response(sandbox, AuthenticationFault(), 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    if not chaos.supports_version(request.path_params["version"]):
        return fault_response(sandbox, version_fault())
    if not chaos.grants(operation):
        return fault_response(sandbox, not_granted_fault())
    if isinstance(parsed, SoapFault):
        return fault_response(sandbox, parsed)
    try:
        answer = sandbox.service.execute(parsed, request.path_params["version"])
    except SoapFault as fault:
        return fault_response(sandbox, fault)
    calls.succeeded[operation] += 1
    if _every(chaos.drop_connection_every, number):
        calls.dropped += 1
        return TruncatedResponse(answer, media_type=XML)
    return Response(answer, media_type=XML)


async def wsdl_endpoint(request: Request) -> Response:
    """GET on the service URL (with or without ?wsdl): the sandbox publishes no WSDL."""
    return Response(status_code=404)
