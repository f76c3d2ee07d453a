"""Every console route is guarded: anonymous visitors are sent to sign in, forms need the CSRF token,
and a recruiter is refused each admin-only action. Routes are read from the app itself, so a new
one that forgets its guard fails here."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi.routing import APIRoute
from sqlalchemy import text

from airecruiter.web.app import create_app
from tests.integration.admin_fixtures import AdminClient, Console
from tests.integration.interview_fixtures import runtime_for

OPEN_ROUTES = {("GET", "/admin/login"), ("POST", "/admin/login")}
# What a recruiter may post (read, send interview, request report, retry, record a decision); everything
# else is admin-only.
RECRUITER_POSTS = {
    "/admin/logout",
    "/admin/applications/{application_id}/send-interview",
    "/admin/applications/{application_id}/regenerate-report",
    "/admin/applications/{application_id}/human-review",
    "/admin/applications/{application_id}/decision",
    "/admin/queue/retry",
}


def _console_routes(database_url: str, db: object) -> list[tuple[str, str]]:
    app = create_app(runtime_for(database_url, db))  # type: ignore[arg-type]
    found = [
        (method, route.path)
        for route in _api_routes(app.routes)
        if route.path.startswith("/admin")
        for method in sorted(route.methods - {"HEAD"})
    ]
    return [r for r in found if r not in OPEN_ROUTES]


def _api_routes(routes: list[Any]) -> list[APIRoute]:
    """The app's endpoints, looking inside included routers (FastAPI wraps them)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(_api_routes(route.original_router.routes))
    return found


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


async def _writes(console: Console) -> int:
    async with console.db.connect() as conn:
        return int(
            await conn.scalar(
                text(
                    "SELECT (SELECT count(*) FROM activities) + (SELECT count(*) FROM queue_items)"
                    " + (SELECT count(*) FROM prompts)"
                )
            )
        )


async def test_the_app_has_the_console_routes_this_guard_knows(console: Console, database_url: str) -> None:
    posts = {path for method, path in _console_routes(database_url, console.db) if method == "POST"}
    assert posts >= RECRUITER_POSTS, f"renamed routes? {RECRUITER_POSTS - posts}"
    assert posts >= {"/admin/sessions/{session_id}/end", "/admin/sessions/unlock"}  # admin-only, walked below
    assert len(posts) >= 10


async def test_anonymous_visitors_are_sent_to_sign_in_everywhere(console: Console, database_url: str) -> None:
    before = await _writes(console)
    async with httpx.AsyncClient(base_url=console.url, follow_redirects=False) as http:
        for method, path in _console_routes(database_url, console.db):
            response = await http.request(method, _concrete(path), data={"item_id": "1"})
            assert response.status_code == 303, f"{method} {path}: {response.status_code}"
            assert response.headers["location"].startswith("/admin/login"), f"{method} {path}"
    assert await _writes(console) == before


async def test_every_form_needs_the_session_csrf_token(console: Console, admin: AdminClient, database_url: str) -> None:
    before = await _writes(console)
    for method, path in _console_routes(database_url, console.db):
        if method != "POST":
            continue
        for token in (None, "not-the-token"):
            data = {"item_id": "1", **({"csrf_token": token} if token else {})}
            response = await admin.http.post(_concrete(path), data=data)
            assert response.status_code == 403, f"POST {path} with csrf {token!r}: {response.status_code}"
            assert "did not come from this console" in response.text
    assert await _writes(console) == before
    assert (await admin.get("/admin")).status_code == 200  # and the session still works


async def test_a_recruiter_is_refused_every_admin_only_action(
    console: Console, recruiter: AdminClient, database_url: str
) -> None:
    before = await _writes(console)
    for method, path in _console_routes(database_url, console.db):
        if method != "POST" or path in RECRUITER_POSTS:
            continue
        response = await recruiter.post(_concrete(path), data={"item_id": "1"})
        assert response.status_code == 403, f"POST {path}: {response.status_code}"
        assert "Your role (recruiter) cannot do this" in response.text
    assert await _writes(console) == before
