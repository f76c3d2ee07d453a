"""OAuth2 refresh-token grant against Workday's token endpoint (docs/architecture.md: Workday, 1).

The access token is cached and refreshed a few minutes before it expires; a refresh token that
Workday rotates is handed to a `RefreshTokenStore`, which keeps it encrypted (docs/architecture.md: Workday, 1), so the
next process starts from the newest one.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from dataclasses import dataclass
from typing import Protocol

import httpx
import structlog

from airecruiter.errors import AIRecruiterError, NetworkError, PermanentError, WorkdayRateLimitError

log = structlog.get_logger(__name__)

DEFAULT_TTL = 3600.0
REFRESH_EARLY = 300.0  # refresh this long before the token would expire

REAUTHORISE = "Workday rejected the refresh token — re-authorise the API client"


class RefreshTokenRejectedError(PermanentError):
    """Workday refused the refresh token; only a person can issue a new one."""


class RefreshTokenStore(Protocol):
    """Where the newest refresh token lives (encrypted at rest in production)."""

    async def load(self) -> str | None:
        """The stored refresh token, or None when none was stored yet."""
        ...

    async def save(self, token: str) -> None:
        """Keep a refresh token Workday rotated to."""
        ...


class MemoryTokenStore:
    """A refresh-token store that lasts as long as the process (the sandbox tenant's)."""

    def __init__(self) -> None:
        self._token: str | None = None

    async def load(self) -> str | None:
        """The token saved in this process, if any."""
        return self._token

    async def save(self, token: str) -> None:
        """Remember the token until the process ends."""
        self._token = token


@dataclass(frozen=True)
class ClientCredentials:
    """An API client registered in Workday, and the refresh token issued for its system user."""

    token_url: str
    client_id: str
    client_secret: str
    refresh_token: str


class TokenManager:
    """Hands out a valid access token, refreshing (once at a time) when it is due."""

    def __init__(self, http: httpx.AsyncClient, credentials: ClientCredentials, store: RefreshTokenStore) -> None:
        self._http = http
        self._credentials = credentials
        self._store = store
        self._lock = asyncio.Lock()
        self._access: str | None = None
        self._expires_at = 0.0
        self._refresh: str | None = None
        self._use_basic = False

    async def access_token(self) -> str:
        """A token that is valid for at least a few more minutes."""
        if self._access and time.monotonic() < self._expires_at:
            return self._access
        async with self._lock:
            if self._access and time.monotonic() < self._expires_at:
                return self._access
            await self._refresh_now()
            assert self._access is not None
            return self._access

    async def invalidate(self, token: str) -> None:
        """Forget `token` after Workday refused it, so the next call refreshes."""
        if self._access == token:
            self._access = None
            self._expires_at = 0.0

    async def _current_refresh_token(self) -> str:
        if self._refresh is None:
            self._refresh = await self._store.load() or self._credentials.refresh_token
        return self._refresh

    async def _refresh_now(self) -> None:
        refresh = await self._current_refresh_token()
        response = await self._post(refresh)
        if response.status_code in (400, 401) and not self._use_basic and _invalid_client(response):
            # Some Workday hosts want the client in HTTP Basic rather than the body (§2.2).
            self._use_basic = True
            response = await self._post(refresh)
        body = _json(response)
        if response.status_code == 200 and isinstance(body.get("access_token"), str):
            await self._accept(body, refresh)
            return
        raise _token_error(response, body)

    async def _post(self, refresh: str) -> httpx.Response:
        creds = self._credentials
        form = {"grant_type": "refresh_token", "refresh_token": refresh}
        headers = {"Accept": "application/json"}
        if self._use_basic:
            pair = f"{creds.client_id}:{creds.client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        else:
            form |= {"client_id": creds.client_id, "client_secret": creds.client_secret}
        # The cause's request carries the client secret and the refresh token in its body; chaining
        # it is safe because what a record of a failure keeps of a cause is its class, redacted
        # message and frames, never attributes or local variables (queue/tracebacks.py).
        try:
            return await self._http.post(creds.token_url, data=form, headers=headers)
        except httpx.TimeoutException as exc:
            raise NetworkError(f"Workday's token endpoint did not answer in time ({type(exc).__name__}).") from exc
        except httpx.HTTPError as exc:
            raise NetworkError(f"Workday's token endpoint could not be reached: {type(exc).__name__}.") from exc

    async def _accept(self, body: dict[str, object], used: str) -> None:
        self._access = str(body["access_token"])
        try:
            ttl = float(body.get("expires_in") or DEFAULT_TTL)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            ttl = DEFAULT_TTL
        self._expires_at = time.monotonic() + max(ttl - REFRESH_EARLY, ttl / 2)
        rotated = body.get("refresh_token")
        if isinstance(rotated, str) and rotated and rotated != used:
            await self._store.save(rotated)
            self._refresh = rotated
            log.info("workday_refresh_token_rotated")


def _json(response: httpx.Response) -> dict[str, object]:
    try:
        value = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return {}  # Workday sometimes answers auth failures with an HTML page
    return value if isinstance(value, dict) else {}


def _invalid_client(response: httpx.Response) -> bool:
    error = str(_json(response).get("error", "")).lower()
    return error in ("invalid_client", "invalid_request")


def _token_error(response: httpx.Response, body: dict[str, object]) -> AIRecruiterError:
    status = response.status_code
    error = str(body.get("error", "")).lower()
    if status == 429:
        return WorkdayRateLimitError("Workday's token endpoint throttled us (HTTP 429).")
    if status >= 500:
        return NetworkError(f"Workday's token endpoint failed with HTTP {status}.")
    if error == "invalid_client":
        return RefreshTokenRejectedError(
            "Workday rejected the API client — check WORKDAY_CLIENT_ID and WORKDAY_CLIENT_SECRET."
        )
    if error == "invalid_grant" or status in (400, 401):
        detail = "" if not error else f" ({error})"
        return RefreshTokenRejectedError(f"{REAUTHORISE}{detail}.")
    return PermanentError(f"Workday's token endpoint answered HTTP {status} without an access token.")
