"""Console sessions live in the database: the cookie is a random id, and a session really ends —
at sign-out, a new password, deactivation, a new role, idle time, its lifetime, or an admin's click."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import httpx
import structlog
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.services.users import change_role, create_account, reset_password, set_account_active
from tests.integration.admin_fixtures import PASSWORD, AdminClient, Console, app_with, csrf_token_in, sign_in
from tests.integration.interview_fixtures import rows


async def _second_session(console: Console, username: str, user_agent: str = "Second browser/1.0") -> AdminClient:
    """Another browser signing in as an existing user."""
    http = httpx.AsyncClient(
        base_url=console.url, follow_redirects=False, timeout=30, headers={"User-Agent": user_agent}
    )
    page = await http.get("/admin/login")
    signed = await http.post(
        "/admin/login",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf_token_in(page.text), "next": "/admin"},
    )
    assert signed.status_code == 303, signed.text
    dashboard = await http.get("/admin")
    return AdminClient(http, csrf_token_in(dashboard.text), username)


async def _ended(console: Console) -> list[dict[str, object]]:
    found = await rows(console.db, "SELECT actor, details FROM activities WHERE action = 'session_ended' ORDER BY id")
    return [{"actor": r.actor, **r.details} for r in found]


async def test_the_cookie_is_a_random_id_and_the_database_keeps_only_its_hash(console: Console) -> None:
    admin = await sign_in(console, "admin", "ada")
    cookie = admin.http.cookies["airecruiter_session"]
    assert len(cookie) >= 40 and "." not in cookie  # no signed payload, just a random id
    stored = await rows(console.db, "SELECT token_hash, csrf_token, user_agent FROM console_sessions")
    assert len(stored) == 1
    assert stored[0].token_hash == hashlib.sha256(cookie.encode()).hexdigest()
    assert stored[0].csrf_token == admin.csrf_token  # the CSRF token is the session's, kept server-side
    assert all(cookie not in str(value) for value in stored[0])
    await admin.aclose()


async def test_signing_out_ends_every_session_of_that_user_and_no_one_elses(console: Console) -> None:
    laptop = await sign_in(console, "admin", "ada")
    phone = await _second_session(console, "ada")
    other = await sign_in(console, "recruiter", "rita")
    copied = httpx.AsyncClient(base_url=console.url, follow_redirects=False, timeout=30)
    copied.cookies.set("airecruiter_session", laptop.http.cookies["airecruiter_session"], path="/admin")
    assert (await laptop.post("/admin/logout")).status_code == 303
    for client in (laptop.http, phone.http, copied):  # a copy of the cookie is worth nothing either
        assert (await client.get("/admin")).status_code == 303
    assert (await other.get("/admin")).status_code == 200
    assert await _ended(console) == [{"actor": "console:ada", "username": "ada", "reason": "signed_out", "sessions": 2}]
    for client in (laptop, phone, other):
        await client.aclose()
    await copied.aclose()


async def test_a_new_password_a_new_role_or_deactivation_end_every_session_at_once(console: Console) -> None:
    await create_account(console.db, username="ada", password=PASSWORD, role="admin", actor="test")
    for change, reason in (
        (lambda: reset_password(console.db, username="ada", password=PASSWORD, actor="cli"), "password_changed"),
        (lambda: change_role(console.db, username="ada", role="recruiter", actor="cli"), "role_changed"),
        (lambda: set_account_active(console.db, username="ada", active=False, actor="cli"), "deactivated"),
    ):
        client = await _second_session(console, "ada")
        assert (await client.get("/admin")).status_code == 200
        await change()
        assert (await client.get("/admin")).status_code == 303, reason
        assert (await _ended(console))[-1] == {"actor": "cli", "username": "ada", "reason": reason, "sessions": 1}
        await client.aclose()
    assert await rows(console.db, "SELECT * FROM console_sessions") == []


async def test_a_new_password_never_reactivates_a_deactivated_user(console: Console) -> None:
    await create_account(console.db, username="ada", password=PASSWORD, role="admin", actor="test")
    await set_account_active(console.db, username="ada", active=False, actor="cli")
    await reset_password(console.db, username="ada", password=PASSWORD, actor="cli")
    assert [r.active for r in await rows(console.db, "SELECT active FROM users")] == [False]
    async with httpx.AsyncClient(base_url=console.url, follow_redirects=False, timeout=30) as http:
        page = await http.get("/admin/login")
        refused = await http.post(
            "/admin/login", data={"username": "ada", "password": PASSWORD, "csrf_token": csrf_token_in(page.text)}
        )
    assert refused.status_code == 401


async def test_a_session_idle_past_the_timeout_ends_and_is_logged(console: Console) -> None:
    admin = await sign_in(console, "admin", "ada")
    async with console.db.begin() as conn:
        await conn.execute(text("UPDATE console_sessions SET last_seen_at = now() - interval '29 minutes'"))
    assert (await admin.get("/admin")).status_code == 200  # still inside 30 min, and now fresh again
    async with console.db.begin() as conn:
        await conn.execute(text("UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes'"))
    assert (await admin.get("/admin")).status_code == 303
    assert await _ended(console) == [{"actor": "system", "username": "ada", "reason": "idle", "sessions": 1}]
    assert await rows(console.db, "SELECT * FROM console_sessions") == []
    await admin.aclose()


async def test_the_dashboard_refreshing_itself_does_not_keep_a_session_alive(console: Console) -> None:
    admin = await sign_in(console, "admin", "ada")
    async with console.db.begin() as conn:
        await conn.execute(text("UPDATE console_sessions SET last_seen_at = now() - interval '20 minutes'"))
    poll = {"HX-Request": "true", "HX-Trigger": "dashboard-live"}
    assert (await admin.get("/admin", headers=poll)).status_code == 200
    seen = await rows(console.db, "SELECT now() - last_seen_at AS idle FROM console_sessions")
    assert seen[0].idle > timedelta(minutes=19)
    await admin.aclose()


async def test_a_session_ends_at_its_lifetime_however_busy(console: Console) -> None:
    admin = await sign_in(console, "admin", "ada")
    lifetime = await rows(console.db, "SELECT expires_at - created_at AS life FROM console_sessions")
    assert lifetime[0].life == timedelta(hours=12)
    async with httpx.AsyncClient(base_url=console.url, follow_redirects=False, timeout=30) as http:
        page = await http.get("/admin/login")
        signed = await http.post(
            "/admin/login", data={"username": "ada", "password": PASSWORD, "csrf_token": csrf_token_in(page.text)}
        )
    assert "Max-Age=43200" in signed.headers["set-cookie"]
    async with console.db.begin() as conn:
        await conn.execute(text("UPDATE console_sessions SET expires_at = now() - interval '1 second'"))
    assert (await admin.get("/admin")).status_code == 303
    assert {"reason": "expired"}.items() <= (await _ended(console))[0].items()
    await admin.aclose()


async def test_an_admin_lists_sessions_and_ends_one(console: Console) -> None:
    admin = await sign_in(console, "admin", "ada")
    rita = await _second_session(console, "ada", user_agent="Rita's phone browser")
    page = await admin.get("/admin/sessions")
    assert page.status_code == 200
    assert page.text.count("<td>ada") == 2 and "Rita&#39;s phone browser" in page.text
    assert "127.0.0.1" in page.text and "(this session)" in page.text
    other_id = (await rows(console.db, "SELECT id FROM console_sessions WHERE user_agent = 'Rita''s phone browser'"))[
        0
    ].id
    ended = await admin.post(f"/admin/sessions/{other_id}/end")
    assert ended.status_code == 303 and ended.headers["location"] == "/admin/sessions"
    assert (await rita.get("/admin")).status_code == 303
    assert (await admin.get("/admin")).status_code == 200
    assert (await _ended(console))[-1] == {
        "actor": "console:ada",
        "username": "ada",
        "reason": "ended_by_admin",
        "sessions": 1,
    }
    again = await admin.post(f"/admin/sessions/{other_id}/end")
    assert "already ended" in (await admin.get(again.headers["location"])).text
    await admin.aclose()
    await rita.aclose()


async def test_a_recruiter_sees_no_sessions_page(console: Console, recruiter: AdminClient) -> None:
    dashboard = await recruiter.get("/admin")
    assert "/admin/sessions" not in dashboard.text
    assert (await recruiter.get("/admin/sessions")).status_code == 403


async def test_without_a_secret_key_each_process_makes_one_up_and_says_so(db: AsyncEngine, database_url: str) -> None:
    with structlog.testing.capture_logs() as without_key:
        app = app_with(db, database_url)
    assert [e for e in without_key if e["event"] == "secret_key_per_process"]
    assert "airecruiter secrets generate-key" in next(e["hint"] for e in without_key if "hint" in e)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console.test") as http:
        assert (await http.get("/admin/login")).status_code == 200  # the console works all the same
    with structlog.testing.capture_logs() as with_key:
        app_with(db, database_url, AIRECRUITER_SECRET_KEY=Fernet.generate_key().decode())
    assert not [e for e in with_key if e["event"] == "secret_key_per_process"]


async def test_sessions_that_timed_out_unseen_are_cleared_and_logged_at_the_next_sign_in(console: Console) -> None:
    first = await sign_in(console, "admin", "ada")
    async with console.db.begin() as conn:
        await conn.execute(text("UPDATE console_sessions SET last_seen_at = now() - interval '2 hours'"))
    second = await _second_session(console, "ada")
    assert [r.user_agent for r in await rows(console.db, "SELECT user_agent FROM console_sessions")] == [
        "Second browser/1.0"
    ]
    assert await _ended(console) == [{"actor": "system", "username": "ada", "reason": "idle", "sessions": 1}]
    for client in (first, second):
        await client.aclose()
