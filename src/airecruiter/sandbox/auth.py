"""OAuth2 refresh-token grant and Bearer access tokens for the sandbox tenant (spec 2.2, 9.1.1)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from airecruiter.sandbox.chaos import Chaos

DEFAULT_CLIENT_ID = "MzM1NzQ2ZGUtc2FuZGJveA"
DEFAULT_CLIENT_SECRET = "sandbox-client-secret"  # noqa: S105 - the sandbox's own fake credential
DEFAULT_REFRESH_TOKEN = "rt-sandbox-0001"  # noqa: S105 - the sandbox's own fake credential


class OAuthError(Exception):
    """An RFC 6749 error answer: HTTP status, error code, description."""

    def __init__(self, status: int, error: str, description: str | None = None) -> None:
        super().__init__(description or error)
        self.status = status
        self.error = error
        self.description = description

    def payload(self) -> dict[str, str]:
        """The JSON body."""
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return body


@dataclass
class AccessToken:
    """An issued access token."""

    value: str
    expires_at: float  # time.monotonic()
    calls: int = 0


class TokenStore:
    """The API client the sandbox accepts, its current refresh token, and the access tokens it issued."""

    def __init__(
        self,
        chaos: Chaos,
        *,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        refresh_token: str = DEFAULT_REFRESH_TOKEN,
        on_rotate: Callable[[str], None] | None = None,
    ) -> None:
        self.chaos = chaos
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.on_rotate = on_rotate
        self._tokens: dict[str, AccessToken] = {}

    def grant(self, form: Mapping[str, str], basic: tuple[str, str] | None) -> dict[str, Any]:
        """Exchange a refresh token for an access token; raises OAuthError."""
        grant_type = form.get("grant_type")
        if not grant_type:
            raise OAuthError(400, "invalid_request", "grant_type is required")
        if grant_type != "refresh_token":
            raise OAuthError(400, "unsupported_grant_type")
        client_id, client_secret = basic if basic is not None else (form.get("client_id"), form.get("client_secret"))
        if not (
            client_id
            and client_secret
            and secrets.compare_digest(client_id, self.client_id)
            and secrets.compare_digest(client_secret, self.client_secret)
        ):
            raise OAuthError(401, "invalid_client")
        refresh_token = form.get("refresh_token")
        if not refresh_token:
            raise OAuthError(400, "invalid_request", "refresh_token is required")
        if not secrets.compare_digest(refresh_token, self.refresh_token):
            raise OAuthError(400, "invalid_grant", "Invalid refresh token")
        return self._issue()

    def _issue(self) -> dict[str, Any]:
        self._prune()
        token = AccessToken("at-" + secrets.token_urlsafe(24), time.monotonic() + self.chaos.ttl)
        self._tokens[token.value] = token
        body: dict[str, Any] = {"access_token": token.value, "token_type": "Bearer"}
        if not self.chaos.omit_expires_in:
            body["expires_in"] = self.chaos.ttl
        if self.chaos.rotate_refresh_token:
            # The old refresh token stops working the moment the new one is handed out.
            self.refresh_token = "rt-" + secrets.token_urlsafe(24)
            body["refresh_token"] = self.refresh_token
            if self.on_rotate is not None:
                self.on_rotate(self.refresh_token)
        return body

    def authorize(self, header: str | None) -> bool:
        """True for 'Bearer <live token>'; counts the call against expire_token_after_n_calls."""
        if not header:
            return False
        scheme, _, value = header.strip().partition(" ")
        token = self._tokens.get(value.strip()) if scheme.lower() == "bearer" else None
        if token is None or token.expires_at <= time.monotonic():
            return False
        limit = self.chaos.expire_token_after_n_calls
        if limit and token.calls >= limit:
            token.expires_at = 0.0
            return False
        token.calls += 1
        return True

    def expire_all(self) -> int:
        """Make every issued access token expired (a test forcing a refresh); returns how many."""
        for token in self._tokens.values():
            token.expires_at = 0.0
        return len(self._tokens)

    def _prune(self) -> None:
        now = time.monotonic()
        for value in [v for v, t in self._tokens.items() if t.expires_at <= now]:
            del self._tokens[value]
