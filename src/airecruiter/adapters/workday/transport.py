"""SOAP over HTTP to Workday, and the one place Workday's failures become our error classes.

A fault (docs/architecture.md: Workday, 5) may come with any HTTP status, so the body is read for a Fault first;
HTTP 429, or HTTP 500 whose body is empty or HTML (Workday's SOAP overload signal), is throttling;
a 401 or an authentication fault gets one token refresh and one retry.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

import httpx
import structlog

from airecruiter.adapters.workday.auth import REAUTHORISE, RefreshTokenRejectedError, TokenManager
from airecruiter.adapters.workday.envelope import Request
from airecruiter.adapters.workday.parse import Fault, envelope_body, find_fault, payload
from airecruiter.adapters.workday.xml import MAX_RESPONSE_BYTES, Element
from airecruiter.errors import (
    AIRecruiterError,
    ConfigurationError,
    NetworkError,
    ParseError,
    PermanentError,
    ValidationError,
    WorkdayRateLimitError,
    WorkdayUnexpectedError,
)

log = structlog.get_logger(__name__)

# Workday's catch-all processing fault. It names no cause and goes away on a later try, so it is
# retried (a few times); a processing fault that names its cause stays permanent.
UNEXPECTED_FAULT = "An unexpected error occurred."


# A version the tenant does not serve.
UNSUPPORTED_VERSION = "Invalid request service version"
# Despite its words, this one usually means the integration system user has no grant for the operation.
NOT_GRANTED = "The web service or version is invalid for the requested operation"
GRANT_ADVICE = (
    "Workday says this when the integration system user lacks the security grant for the Recruiting "
    "web service: give its security group Get access (and Put, for report uploads) to the domains "
    "'Candidate Data: Job Application', 'Candidate Data: Attachments' and 'Job Requisition Data' "
    "(Recruiting functional area), then activate the pending security policy changes"
)


class WorkdayValidationError(ValidationError):
    """Client.validationError, with the Xpaths and messages Workday named."""

    def __init__(self, message: str, *, details: tuple[str, ...] = (), xpaths: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.details = details
        self.xpaths = xpaths


class _AuthenticationRefused(Exception):
    """Workday refused the access token (HTTP 401 or an authentication fault)."""


class Pacer(Protocol):
    """Spaces the starts of calls to one tenant by a minimum interval."""

    async def wait_turn(self) -> None:
        """Return when this call may start."""


class LocalPacer:
    """The minimum interval between calls of this process (every process paces on its own)."""

    def __init__(self, min_interval: float) -> None:
        self._min_interval = min_interval
        self._lock = asyncio.Lock()
        self._last_start = 0.0

    async def wait_turn(self) -> None:
        """Wait until `min_interval` has passed since this process's previous start."""
        if self._min_interval <= 0:
            return
        async with self._lock:
            delay = self._last_start + self._min_interval - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._last_start = time.monotonic()


class SoapTransport:
    """POSTs envelopes to the Recruiting endpoint with a Bearer token, paced per tenant."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        endpoint: str,
        tokens: TokenManager,
        *,
        min_interval: float = 0.2,
        max_in_flight: int = 2,
        pacer: Pacer | None = None,
    ) -> None:
        self._http = http
        self.endpoint = endpoint
        self._tokens = tokens
        self._slots = asyncio.Semaphore(max_in_flight)
        # Given: shared by every process of the fleet (db.workday_pacing); else this process's own.
        self._pacer = pacer or LocalPacer(min_interval)

    async def call(self, request: Request) -> Element:
        """The `{operation}_Response` element of Workday's answer, or one of our error classes."""
        data = request.to_bytes()
        async with self._slots:
            token = await self._tokens.access_token()
            try:
                return await self._send(request.operation, data, token)
            except _AuthenticationRefused:
                await self._tokens.invalidate(token)
                token = await self._tokens.access_token()
                try:
                    return await self._send(request.operation, data, token)
                except _AuthenticationRefused as exc:
                    raise RefreshTokenRejectedError(
                        f"{REAUTHORISE} (Workday refused a freshly issued access token for {request.operation})."
                    ) from exc

    async def _send(self, operation: str, data: bytes, token: str) -> Element:
        await self._pacer.wait_turn()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
        started = time.monotonic()
        try:
            async with self._http.stream("POST", self.endpoint, content=data, headers=headers) as response:
                body = await _read_capped(response)
        except httpx.TimeoutException as exc:
            raise NetworkError(f"Workday did not answer {operation} in time ({type(exc).__name__}).") from exc
        except httpx.HTTPError as exc:
            raise NetworkError(f"Workday could not be reached for {operation}: {type(exc).__name__}: {exc}.") from exc
        log.debug(
            "workday_call",
            operation=operation,
            status=response.status_code,
            ms=round((time.monotonic() - started) * 1000, 1),
            bytes=len(body),
        )
        return _interpret(operation, response, body)


async def _read_capped(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise ParseError(f"Workday's response is over the {MAX_RESPONSE_BYTES:,}-byte limit; refused.")
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


def _interpret(operation: str, response: httpx.Response, body: bytes) -> Element:
    status = response.status_code
    if status == 429:
        raise WorkdayRateLimitError(f"Workday throttled {operation} (HTTP 429).", retry_after=_retry_after(response))
    if status == 404:
        raise ConfigurationError(
            f"Workday has no Recruiting service at {response.request.url} (HTTP 404) — "
            "check WORKDAY_TENANT_URL, WORKDAY_TENANT_ID and WORKDAY_API_VERSION."
        )
    try:
        soap_body = envelope_body(body) if body.strip() else None
    except ParseError:
        soap_body = None
    if soap_body is None:
        if status == 401:
            raise _AuthenticationRefused
        if status >= 500:
            # An empty or HTML 500 is how Workday's SOAP endpoint says it is overloaded (§8).
            raise WorkdayRateLimitError(
                f"Workday answered {operation} with HTTP {status} and no SOAP fault (overloaded); will wait.",
                retry_after=_retry_after(response),
            )
        raise ParseError(f"Workday answered {operation} with HTTP {status} and a body that is not SOAP XML.")
    fault = find_fault(soap_body)
    if fault is not None:
        raise _fault_error(operation, fault, status)
    if status == 401:
        raise _AuthenticationRefused
    if status >= 300:
        raise PermanentError(f"Workday answered {operation} with HTTP {status} and no fault.")
    return payload(soap_body, operation)


def _fault_error(operation: str, fault: Fault, status: int) -> AIRecruiterError | _AuthenticationRefused:
    words = fault.describe()
    kind = fault.kind
    if kind == "authenticationError" or status == 401:
        return _AuthenticationRefused()
    if kind == "validationError":
        if UNSUPPORTED_VERSION.casefold() in words.casefold():
            return ConfigurationError(
                f"Workday does not serve the Recruiting version this service calls ({operation}: {words}) — "
                "set WORKDAY_API_VERSION to a version the tenant serves (e.g. v45.0)."
            )
        if NOT_GRANTED.casefold() in words.casefold():
            return ConfigurationError(
                f"Workday refused {operation}: {words}. {GRANT_ADVICE}. "
                "Less often the version is at fault: check WORKDAY_API_VERSION too."
            )
        where = f" (at {fault.xpaths[0]})" if fault.xpaths else ""
        return WorkdayValidationError(
            f"Workday refused {operation} as invalid: {words}{where}.",
            details=tuple(fault.details),
            xpaths=tuple(fault.xpaths),
        )
    if kind == "processingError":
        if fault.details == [UNEXPECTED_FAULT] or (not fault.details and UNEXPECTED_FAULT in fault.message):
            return WorkdayUnexpectedError(f"Workday could not process {operation} for now: {words}")
        return PermanentError(f"Workday could not process {operation}: {words}")
    return PermanentError(f"Workday answered {operation} with the fault {fault.code}: {words}")
