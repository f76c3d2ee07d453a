"""Sign in and sign out; repeated failed sign-ins for one username are slowed down."""

from __future__ import annotations

import time
from collections import deque

import structlog
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from airecruiter.domain.permissions import READ
from airecruiter.web.accounts import authenticate
from airecruiter.web.admin.session import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    ConsoleUser,
    LoginRequiredError,
    current_user,
    require,
    safe_next,
    set_cookie,
    signer,
)
from airecruiter.web.templating import render

log = structlog.get_logger(__name__)
router = APIRouter(prefix="/admin")

MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60
BAD_LOGIN = "That username and password do not match an active account. Check both and try again."
EXPIRED_FORM = "The sign-in form expired. Enter your username and password again."


class LoginThrottle:
    """At most MAX_FAILURES failed sign-ins per username in FAILURE_WINDOW_SECONDS (per process)."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, username: str, now: float) -> deque[float]:
        entries = self._failures.setdefault(username.lower(), deque())
        while entries and entries[0] < now - FAILURE_WINDOW_SECONDS:
            entries.popleft()
        return entries

    def retry_after(self, username: str) -> int:
        """Seconds until this username may try again (0: now)."""
        now = time.monotonic()
        entries = self._recent(username, now)
        return int(entries[0] + FAILURE_WINDOW_SECONDS - now) + 1 if len(entries) >= MAX_FAILURES else 0

    def failed(self, username: str) -> None:
        """Count a failed attempt."""
        self._recent(username, time.monotonic()).append(time.monotonic())
        if len(self._failures) > 10_000:  # bound memory under a spray of usernames
            self._failures.pop(next(iter(self._failures)))

    def succeeded(self, username: str) -> None:
        """Forget the failures of a user who got in."""
        self._failures.pop(username.lower(), None)


def _login_page(
    request: Request, *, next_url: str, username: str = "", error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    token, cookie = signer(request).login_token()
    response = render(
        request,
        "admin/login.html",
        {
            "login_token": token,
            "next_url": safe_next(next_url),
            "username": username,
            "error": error,
        },
        status_code=status_code,
    )
    set_cookie(request, response, LOGIN_CSRF_COOKIE, cookie, max_age=3600)
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/admin") -> Response:
    """The sign-in form (or straight on when already signed in)."""
    try:
        await current_user(request)
    except LoginRequiredError:
        return _login_page(request, next_url=next)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Check the credentials; on success a new session (new CSRF token) and back to where the user was."""
    form = await request.form()
    username = str(form.get("username") or "").strip()[:64]
    password = str(form.get("password") or "")[:1024]
    next_url = safe_next(str(form.get("next") or "/admin"))
    if not signer(request).login_token_matches(
        request.cookies.get(LOGIN_CSRF_COOKIE), str(form.get("csrf_token") or "")
    ):
        return _login_page(request, next_url=next_url, username=username, error=EXPIRED_FORM, status_code=403)
    throttle: LoginThrottle = request.app.state.login_throttle
    wait = throttle.retry_after(username)
    if wait:
        minutes = max(1, round(wait / 60))
        return _login_page(
            request,
            next_url=next_url,
            username=username,
            status_code=429,
            error=f"Too many failed sign-ins for this username. Try again in about {minutes} min.",
        )
    user = await authenticate(request.app.state.runtime.engine, username=username, password=password)
    if user is None:
        throttle.failed(username)
        log.info("admin_login_failed", username=username)
        return _login_page(request, next_url=next_url, username=username, error=BAD_LOGIN, status_code=401)
    throttle.succeeded(username)
    log.info("admin_login", username=user.username, role=user.role)
    response = RedirectResponse(next_url, status_code=303)
    set_cookie(request, response, SESSION_COOKIE, signer(request).session_cookie(user.id), max_age=SESSION_MAX_AGE)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/admin")
    return response


@router.post("/logout")
async def logout(_: ConsoleUser = Depends(require(READ))) -> Response:  # noqa: B008
    """End the session (the CSRF token must match, so no other site can sign a user out)."""
    response = RedirectResponse("/admin/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/admin")
    return response
