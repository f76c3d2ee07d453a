"""Console sessions: server-side rows behind a random cookie id, their CSRF tokens, role checks, notices.

The session cookie carries only a random id; the database keeps its SHA-256 with the user, the
session's CSRF token, when it started and when it was last used. Each request looks the session up
with its user, so signing out, a new password, deactivation, a new role or an admin ending it takes
effect at the next request of every process; so do the idle timeout and the absolute lifetime.
Every state-changing request must echo the session's CSRF token, as the form field `csrf_token` or
the `X-CSRF-Token` header (htmx sends it). The notice and sign-in-form cookies are short-lived and
signed (HMAC) with a key derived from AIRECRUITER_SECRET_KEY.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from airecruiter.db.console_sessions import use_session
from airecruiter.domain.permissions import role_allows
from airecruiter.web.context import web_context

SESSION_COOKIE = "airecruiter_session"
NOTICE_COOKIE = "airecruiter_notice"
LOGIN_CSRF_COOKIE = "airecruiter_login_csrf"
# The dashboard refreshes itself every few seconds: that is not the user being active.
POLLING_ELEMENTS = frozenset({"dashboard-live"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class ConsoleUser:
    """The signed-in user of this request."""

    id: int
    username: str
    role: str
    csrf_token: str
    session_id: int = 0

    @property
    def actor(self) -> str:
        """How this user appears in the activity log."""
        return f"console:{self.username}"

    def can(self, permission: str) -> bool:
        """Whether this user's role allows the permission."""
        return role_allows(self.role, permission)


class LoginRequiredError(Exception):
    """No valid session: the login page, then back to `next_url`."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class ForbiddenError(Exception):
    """Signed in, but this role may not do this (or the CSRF token is missing or wrong)."""

    def __init__(self, message: str) -> None:
        self.message = message


class SessionSigner:
    """Signs and checks the session and notice cookies."""

    def __init__(self, secret_key: str | None) -> None:
        # Without a configured key sessions are signed with a per-process key: they end at restart.
        material = secret_key.encode() if secret_key else secrets.token_bytes(32)
        self.persistent = secret_key is not None
        derived = hmac.new(material, b"airecruiter admin session v1", hashlib.sha256).hexdigest()
        self._notice = URLSafeTimedSerializer(derived, salt="notice")
        self._login = URLSafeTimedSerializer(derived, salt="login-csrf")

    def notice_cookie(self, message: str, kind: str) -> str:
        """A one-shot message for the next page."""
        return self._notice.dumps({"message": message, "kind": kind})

    def read_notice(self, cookie: str | None) -> dict[str, str] | None:
        """The pending message, or None."""
        if not cookie:
            return None
        try:
            data = self._notice.loads(cookie, max_age=300)
        except BadSignature:
            return None
        return data if isinstance(data, dict) else None

    def login_token(self) -> tuple[str, str]:
        """A login-form CSRF token and the signed cookie that vouches for it."""
        token = secrets.token_urlsafe(32)
        return token, self._login.dumps(token)

    def login_token_matches(self, cookie: str | None, token: str | None) -> bool:
        """Whether the login form's token is the one its cookie vouches for (and is recent)."""
        if not cookie or not token:
            return False
        try:
            expected = self._login.loads(cookie, max_age=3600)
        except BadSignature:
            return False
        return isinstance(expected, str) and hmac.compare_digest(expected, token)


def signer(request: Request) -> SessionSigner:
    """The app's signer."""
    return web_context(request).session_signer


def cookie_is_secure(request: Request) -> bool:
    """Secure cookies when the console is served (or fronted) over https."""
    return request.url.scheme == "https" or web_context(request).https_frontend


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    """Set an HttpOnly, SameSite=Lax cookie scoped to the console."""
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="lax", secure=cookie_is_secure(request), path="/admin"
    )


def safe_next(url: str | None) -> str:
    """Where to go after login: only a path inside the console (no open redirect)."""
    if url and url.startswith("/admin") and not url.startswith("//") and "\\" not in url:
        return url
    return "/admin"


async def current_user(request: Request) -> ConsoleUser:
    """The signed-in, active user of a live session; otherwise LoginRequiredError."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 200:
        raise LoginRequiredError(_here(request))
    runtime = web_context(request).application
    polling = request.headers.get("hx-trigger") in POLLING_ELEMENTS
    async with runtime.engine.begin() as conn:
        live = await use_session(
            conn, token=token, idle_seconds=runtime.settings.ADMIN_SESSION_IDLE_MINUTES * 60, touch=not polling
        )
    if live is None:
        raise LoginRequiredError(_here(request))
    console_user = ConsoleUser(
        id=live.user_id, username=live.username, role=live.role, csrf_token=live.csrf_token, session_id=live.session_id
    )
    request.state.user = console_user
    return console_user


CurrentUser = Annotated[ConsoleUser, Depends(current_user)]


def _here(request: Request) -> str:
    path = request.url.path
    return path + (f"?{request.url.query}" if request.url.query else "") if request.method == "GET" else path


async def _check_csrf(request: Request, user: ConsoleUser) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, user.csrf_token):
        raise ForbiddenError("This form has expired or did not come from this console. Reload the page and try again.")


def require(permission: str) -> Callable[..., Coroutine[Any, Any, ConsoleUser]]:
    """A dependency: the signed-in user, who must hold `permission`; state changes also need the CSRF token."""

    async def dependency(request: Request, user: CurrentUser) -> ConsoleUser:
        if request.method not in ("GET", "HEAD"):
            await _check_csrf(request, user)
        if not user.can(permission):
            raise ForbiddenError(f"Your role ({user.role}) cannot do this. Ask an admin if you need it done.")
        return user

    return dependency


def redirect_with_notice(request: Request, url: str, message: str, kind: str = "ok") -> RedirectResponse:
    """303 to `url`, showing `message` there once (kind: ok or error)."""
    response = RedirectResponse(url, status_code=303)
    set_cookie(request, response, NOTICE_COOKIE, signer(request).notice_cookie(message, kind), max_age=300)
    return response


def login_redirect(next_url: str) -> RedirectResponse:
    """303 to the login page, coming back to `next_url` afterwards."""
    return RedirectResponse(f"/admin/login?next={quote(next_url, safe='')}", status_code=303)
