"""Sign in and sign out: a throttle in the database, argon2 checks off the event loop, server-side sessions.

For one username at most MAX_CHECKS password checks run per CHECK_WINDOW_SECONDS, in every process
together; later attempts get 429 without a check. Each check is reserved in the database before
the password is verified, so concurrency cannot squeeze in more.
"""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from airecruiter.db.activities import record_activity
from airecruiter.db.console_sessions import create_session, end_user_sessions, prune_sessions
from airecruiter.db.login_attempts import Reservation, finish_check, release_check, reserve_check
from airecruiter.domain.console_activity import SignIn, SignInFailed, SignInLocked
from airecruiter.domain.permissions import READ
from airecruiter.web.accounts import CheckerBusyError, PasswordChecker, authenticate
from airecruiter.web.admin.session import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    ConsoleUser,
    LoginRequiredError,
    current_user,
    require,
    safe_next,
    set_cookie,
    signer,
)
from airecruiter.web.client_address import client_address
from airecruiter.web.templating import render

log = structlog.get_logger(__name__)
router = APIRouter(prefix="/admin")

MAX_CHECKS = 5
CHECK_WINDOW_SECONDS = 15 * 60
BUSY_RETRY_SECONDS = 5
BAD_LOGIN = "That username and password do not match an active account. Check both and try again."
EXPIRED_FORM = "The sign-in form expired. Enter your username and password again."
BUSY = "The server is busy checking other sign-ins. Wait a few seconds and try again."


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
    runtime = request.app.state.runtime
    client = client_address(request, request.app.state.trusted_proxies)
    reservation = await _reserve(request, username, client)
    if reservation.attempt_id is None:
        minutes = max(1, round(reservation.retry_after / 60))
        page = _login_page(
            request,
            next_url=next_url,
            username=username,
            status_code=429,
            error=f"Too many failed sign-ins for this username (at most {MAX_CHECKS} password checks in"
            f" {CHECK_WINDOW_SECONDS // 60} minutes). Try again in about {minutes} min, or ask an admin to unlock it.",
        )
        page.headers["Retry-After"] = str(reservation.retry_after)
        return page
    checker: PasswordChecker = request.app.state.password_checker
    try:
        async with checker.slot(client):
            user = await authenticate(runtime.engine, username=username, password=password, checker=checker)
    except CheckerBusyError as busy:
        async with runtime.engine.begin() as conn:
            await release_check(conn, attempt_id=reservation.attempt_id)
        log.warning("admin_login_busy", username=username, client=client, reason=str(busy))
        page = _login_page(request, next_url=next_url, username=username, error=BUSY, status_code=503)
        page.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
        return page
    settings = runtime.settings
    async with runtime.engine.begin() as conn:
        await finish_check(conn, attempt_id=reservation.attempt_id, succeeded=user is not None)
        if user is None:
            await record_activity(conn, actor="console", details=SignInFailed(username=username, client=client))
        else:
            await record_activity(conn, actor=f"console:{user.username}", details=SignIn(client=client))
            await prune_sessions(conn, idle_seconds=settings.ADMIN_SESSION_IDLE_MINUTES * 60)
            token, _ = await create_session(
                conn,
                user_id=user.id,
                lifetime_seconds=settings.ADMIN_SESSION_LIFETIME_HOURS * 3600,
                client_address=client,
                user_agent=request.headers.get("user-agent"),
            )
    if user is None:
        log.info("admin_login_failed", username=username, client=client)
        return _login_page(request, next_url=next_url, username=username, error=BAD_LOGIN, status_code=401)
    log.info("admin_login", username=user.username, role=user.role, client=client)
    response = RedirectResponse(next_url, status_code=303)
    max_age = int(settings.ADMIN_SESSION_LIFETIME_HOURS * 3600)
    set_cookie(request, response, SESSION_COOKIE, token, max_age=max_age)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/admin")
    return response


async def _reserve(request: Request, username: str, client: str) -> Reservation:
    """A password check for this username, or the refusal (the first refusal is a lock-out, logged)."""
    async with request.app.state.runtime.engine.begin() as conn:
        reservation = await reserve_check(
            conn, username=username, limit=MAX_CHECKS, window_seconds=CHECK_WINDOW_SECONDS, client_address=client
        )
        if reservation.first_refusal:
            await record_activity(
                conn,
                actor="console",
                details=SignInLocked(username=username, client=client, retry_after_seconds=reservation.retry_after),
            )
    if reservation.attempt_id is None:
        log.warning("admin_login_locked", username=username, client=client)
    return reservation


@router.post("/logout")
async def logout(request: Request, user: ConsoleUser = Depends(require(READ))) -> Response:  # noqa: B008
    """End every session of this user, here and elsewhere (the CSRF token must match, so no other site
    can sign a user out)."""
    async with request.app.state.runtime.engine.begin() as conn:
        await end_user_sessions(conn, user_id=user.id, actor=user.actor, reason="signed_out")
    response = RedirectResponse("/admin/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/admin")
    return response
