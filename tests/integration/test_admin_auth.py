"""Signing in and out of the console: argon2 passwords, the session cookie, CSRF, throttling."""

from __future__ import annotations

import httpx
from sqlalchemy import text

from airecruiter.services.users import create_account
from tests.integration.admin_fixtures import PASSWORD, AdminClient, Console, csrf_token_in, sign_in


def anonymous(console: Console) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=console.url, follow_redirects=False, timeout=30)


async def _login(http: httpx.AsyncClient, username: str, password: str, next_url: str = "/admin") -> httpx.Response:
    page = await http.get("/admin/login")
    return await http.post(
        "/admin/login",
        data={"username": username, "password": password, "csrf_token": csrf_token_in(page.text), "next": next_url},
    )


async def test_anonymous_visitors_get_the_login_page_and_come_back_after_signing_in(console: Console) -> None:
    await create_account(console.db, username="ada", password=PASSWORD, role="admin", actor="test")
    async with anonymous(console) as http:
        asked = await http.get("/admin/queue?status=dead")
        assert asked.status_code == 303
        assert asked.headers["location"] == "/admin/login?next=%2Fadmin%2Fqueue%3Fstatus%3Ddead"
        page = await http.get(asked.headers["location"])
        assert page.status_code == 200 and "Sign in" in page.text
        assert 'value="/admin/queue?status=dead"' in page.text
        signed = await _login(http, "ada", PASSWORD, "/admin/queue?status=dead")
        assert signed.status_code == 303 and signed.headers["location"] == "/admin/queue?status=dead"
        cookie = signed.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/admin" in cookie
        assert "Secure" not in cookie  # served over plain http on loopback
        assert (await http.get("/admin")).status_code == 200


async def test_a_wrong_password_or_unknown_user_gets_the_same_sentence_and_no_session(console: Console) -> None:
    await create_account(console.db, username="ada", password=PASSWORD, role="admin", actor="test")
    async with anonymous(console) as http:
        for username, password in (("ada", "not the password"), ("nobody", PASSWORD)):
            refused = await _login(http, username, password)
            assert refused.status_code == 401
            assert "do not match an active account" in refused.text
            assert "airecruiter_session" not in refused.headers.get("set-cookie", "")
        assert (await http.get("/admin")).status_code == 303


async def test_passwords_are_stored_as_argon2id_hashes_only(console: Console) -> None:
    await create_account(console.db, username="ada", password=PASSWORD, role="admin", actor="test")
    async with console.db.connect() as conn:
        stored = await conn.scalar(text("SELECT password_hash FROM users WHERE username = 'ada'"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


async def test_the_login_form_must_carry_its_own_token(console: Console) -> None:
    await create_account(console.db, username="ada", password=PASSWORD, role="admin", actor="test")
    async with anonymous(console) as http:
        forged = await http.post(
            "/admin/login", data={"username": "ada", "password": PASSWORD, "csrf_token": "made-up"}
        )
        assert forged.status_code == 403 and "sign-in form expired" in forged.text
        assert "airecruiter_session" not in forged.headers.get("set-cookie", "")


async def test_repeated_failures_lock_the_username_for_a_while(console: Console) -> None:
    await create_account(console.db, username="ada", password=PASSWORD, role="admin", actor="test")
    async with anonymous(console) as http:
        for _ in range(5):
            assert (await _login(http, "ada", "guess")).status_code == 401
        locked = await _login(http, "ada", PASSWORD)
        assert locked.status_code == 429 and "Too many failed sign-ins" in locked.text
        assert (await http.get("/admin")).status_code == 303


async def test_a_deactivated_user_is_signed_out_at_the_next_request(console: Console, admin: AdminClient) -> None:
    assert (await admin.get("/admin")).status_code == 200
    async with console.db.begin() as conn:
        await conn.execute(text("UPDATE users SET active = false WHERE username = :u"), {"u": admin.username})
    assert (await admin.get("/admin")).status_code == 303


async def test_signing_out_needs_the_csrf_token_and_ends_the_session(console: Console, admin: AdminClient) -> None:
    forged = await admin.http.post("/admin/logout", data={"csrf_token": "wrong"})
    assert forged.status_code == 403 and "did not come from this console" in forged.text
    assert (await admin.get("/admin")).status_code == 200
    out = await admin.post("/admin/logout")
    assert out.status_code == 303 and out.headers["location"] == "/admin/login"
    assert (await admin.get("/admin")).status_code == 303


async def test_an_htmx_request_without_a_session_sends_the_browser_to_sign_in(console: Console) -> None:
    async with anonymous(console) as http:
        polled = await http.get("/admin", headers={"HX-Request": "true"})
    assert polled.status_code == 200 and polled.text == ""
    assert polled.headers["hx-redirect"] == "/admin/login?next=%2Fadmin"


async def test_a_tampered_session_cookie_is_refused(console: Console) -> None:
    async with anonymous(console) as http:
        http.cookies.set("airecruiter_session", "eyJ1aWQiOjF9.forged.signature", path="/admin")
        assert (await http.get("/admin")).status_code == 303


async def test_login_never_redirects_off_the_console(console: Console) -> None:
    await create_account(console.db, username="ada", password=PASSWORD, role="admin", actor="test")
    for target in ("https://evil.example/", "//evil.example/admin", "/admin\\@evil.example"):
        async with anonymous(console) as http:
            signed = await _login(http, "ada", PASSWORD, target)
            assert signed.headers["location"] == "/admin"


async def test_every_page_carries_the_security_headers(console: Console) -> None:
    async with anonymous(console) as http:
        page = await http.get("/admin/login")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"


async def test_sign_in_records_the_time(console: Console) -> None:
    client = await sign_in(console, "recruiter", "rita")
    await client.aclose()
    async with console.db.connect() as conn:
        when = await conn.scalar(text("SELECT last_login_at FROM users WHERE username = 'rita'"))
    assert when is not None
