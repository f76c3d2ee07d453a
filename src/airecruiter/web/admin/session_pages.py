"""Sign-ins (admins only): the sessions that are live now, each with an end button, and locked usernames."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from airecruiter.db.console_sessions import active_sessions
from airecruiter.db.login_attempts import locked_usernames
from airecruiter.services import users
from airecruiter.services.sign_in import CHECK_WINDOW_SECONDS, MAX_CHECKS
from airecruiter.web.admin.session import redirect_with_notice
from airecruiter.web.dependencies import AppDep, DbDep, ManageSessionsAccess
from airecruiter.web.templating import render

router = APIRouter(prefix="/admin")
USER_AGENT_SHOWN = 80


@router.get("/sessions", response_class=HTMLResponse)
async def sessions_page(request: Request, runtime: AppDep, user: ManageSessionsAccess) -> HTMLResponse:
    """Every live session, most recently used first, and every username locked out of signing in."""
    async with runtime.engine.connect() as conn:
        sessions = await active_sessions(conn, idle_seconds=runtime.settings.ADMIN_SESSION_IDLE_MINUTES * 60)
        locked = await locked_usernames(conn, limit=MAX_CHECKS, window_seconds=CHECK_WINDOW_SECONDS)
    return render(
        request,
        "admin/sessions.html",
        {
            "section": "sessions",
            "sessions": sessions,
            "locked": locked,
            "current_session_id": user.session_id,
            "user_agent_shown": USER_AGENT_SHOWN,
            "max_checks": MAX_CHECKS,
            "window_minutes": CHECK_WINDOW_SECONDS // 60,
        },
    )


@router.post("/sessions/{session_id}/end")
async def end_one_session(
    request: Request,
    session_id: int,
    engine: DbDep,
    user: ManageSessionsAccess,
) -> RedirectResponse:
    """End one session; its user is signed out at their next request."""
    username = await users.end_session(engine, session_id=session_id, actor=user.actor)
    if username is None:
        return redirect_with_notice(request, "/admin/sessions", "That session had already ended.", "error")
    if session_id == user.session_id:
        return redirect_with_notice(request, "/admin/login", "You ended your own session; sign in again.")
    return redirect_with_notice(request, "/admin/sessions", f"Ended a session of {username}.")


@router.post("/sessions/unlock")
async def unlock(request: Request, engine: DbDep, user: ManageSessionsAccess) -> RedirectResponse:
    """Let a locked username sign in again at once."""
    form = await request.form()
    username = str(form.get("username") or "").strip()[:64]
    if not username:
        return redirect_with_notice(request, "/admin/sessions", "Name the username to unlock.", "error")
    was_locked = await users.unlock(engine, username=username, actor=user.actor)
    if not was_locked:
        return redirect_with_notice(request, "/admin/sessions", f"{username} was not locked.", "error")
    return redirect_with_notice(request, "/admin/sessions", f"Unlocked {username}: it may sign in again now.")
