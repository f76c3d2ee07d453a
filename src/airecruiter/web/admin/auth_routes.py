"""Sign in and sign out: a throttle in the database, argon2 checks off the event loop, server-side sessions.

For one username at most MAX_CHECKS password checks run per CHECK_WINDOW_SECONDS, in every process
together (services.sign_in); later attempts get 429 without a check.
"""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.login_attempts import Reservation
from airecruiter.services import sign_in, users
from airecruiter.services.passwords import CheckerBusyError
from airecruiter.web.admin.session import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    LoginRequiredError,
    current_user,
    safe_next,
    set_cookie,
    signer,
)
from airecruiter.web.client_address import client_address
from airecruiter.web.dependencies import ContextDep, DbDep, ReadAccess
from airecruiter.web.templating import render

log = structlog.get_logger(__name__)
router = APIRouter(prefix="/admin")

MAX_CHECKS = sign_in.MAX_CHECKS
CHECK_WINDOW_SECONDS = sign_in.CHECK_WINDOW_SECONDS
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
async def login(request: Request, context: ContextDep) -> Response:
    """Check the credentials; on success a new session (new CSRF token) and back to where the user was."""
    form = await request.form()
    username = str(form.get("username") or "").strip()[:64]
    password = str(form.get("password") or "")[:1024]
    next_url = safe_next(str(form.get("next") or "/admin"))
    if not signer(request).login_token_matches(
        request.cookies.get(LOGIN_CSRF_COOKIE), str(form.get("csrf_token") or "")
    ):
        return _login_page(request, next_url=next_url, username=username, error=EXPIRED_FORM, status_code=403)
    runtime = context.application
    client = client_address(request, context.trusted_proxies)
    reservation = await _reserve(runtime.engine, username, client)
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
    checker = context.password_checker
    try:
        async with checker.slot(client):
            user = await users.authenticate(runtime.engine, username=username, password=password, checker=checker)
    except CheckerBusyError as busy:
        await sign_in.release(runtime.engine, attempt_id=reservation.attempt_id)
        log.warning("admin_login_busy", username=username, client=client, reason=str(busy))
        page = _login_page(request, next_url=next_url, username=username, error=BUSY, status_code=503)
        page.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
        return page
    settings = runtime.settings
    token = await sign_in.finish(
        runtime.engine,
        attempt_id=reservation.attempt_id,
        user=user,
        username=username,
        client=client,
        user_agent=request.headers.get("user-agent"),
        idle_seconds=settings.ADMIN_SESSION_IDLE_MINUTES * 60,
        lifetime_seconds=settings.ADMIN_SESSION_LIFETIME_HOURS * 3600,
    )
    if user is None or token is None:
        log.info("admin_login_failed", username=username, client=client)
        return _login_page(request, next_url=next_url, username=username, error=BAD_LOGIN, status_code=401)
    log.info("admin_login", username=user.username, role=user.role, client=client)
    response = RedirectResponse(next_url, status_code=303)
    max_age = int(settings.ADMIN_SESSION_LIFETIME_HOURS * 3600)
    set_cookie(request, response, SESSION_COOKIE, token, max_age=max_age)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/admin")
    return response


async def _reserve(engine: AsyncEngine, username: str, client: str) -> Reservation:
    """A password check for this username, or the refusal (the first refusal is a lock-out, logged)."""
    reservation = await sign_in.reserve(engine, username=username, client=client)
    if reservation.attempt_id is None:
        log.warning("admin_login_locked", username=username, client=client)
    return reservation


@router.post("/logout")
async def logout(engine: DbDep, user: ReadAccess) -> Response:
    """End every session of this user, here and elsewhere (the CSRF token must match, so no other site
    can sign a user out)."""
    await users.sign_out(engine, user_id=user.id, actor=user.actor)
    response = RedirectResponse("/admin/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/admin")
    return response
