"""The sign-in throttle holds across processes and under concurrency, and password checks never stall
the event loop: bounded overall and per client (X-Forwarded-For only from trusted proxies)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.services.users import create_account
from tests.integration.admin_fixtures import PASSWORD, Console, app_with, csrf_token_in, sign_in
from tests.integration.interview_fixtures import rows, seed_interview, serving

ROOMY = {"LOGIN_MAX_CONCURRENT_CHECKS": 20, "LOGIN_MAX_CHECKS_PER_CLIENT": 20, "LOGIN_CHECK_WAIT": 30.0}


@asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    async with serving(app) as url:
        yield url


async def attempt(http: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    """One sign-in through the form, as a browser would (its own form token)."""
    page = await http.get("/admin/login")
    return await http.post(
        "/admin/login", data={"username": username, "password": password, "csrf_token": csrf_token_in(page.text)}
    )


async def attempt_at(url: str, username: str, password: str) -> int:
    async with httpx.AsyncClient(base_url=url, follow_redirects=False, timeout=60) as http:
        return (await attempt(http, username, password)).status_code


async def checks_recorded(db: AsyncEngine, username: str = "ada") -> int:
    found = await rows(
        db, "SELECT count(*) AS n FROM login_attempts WHERE username = :u AND outcome <> 'refused'", u=username
    )
    return int(found[0].n)


async def test_twenty_concurrent_attempts_in_two_processes_get_at_most_five_checks(
    db: AsyncEngine, database_url: str
) -> None:
    await create_account(db, username="ada", password=PASSWORD, role="admin", actor="test")
    first, second = app_with(db, database_url, **ROOMY), app_with(db, database_url, **ROOMY)
    passwords = [f"wrong guess {n}" for n in range(20)]
    passwords[7] = PASSWORD
    async with served(first) as url_a, served(second) as url_b:
        statuses = await asyncio.gather(
            *(attempt_at((url_a, url_b)[n % 2], "ada", password) for n, password in enumerate(passwords))
        )
    checks = first.context.password_checker.checks_run + second.context.password_checker.checks_run
    assert checks <= 5
    assert await checks_recorded(db) == checks
    assert statuses.count(429) == 20 - checks
    assert statuses.count(401) + statuses.count(303) == checks and statuses.count(303) <= 1


async def test_a_correct_password_among_the_first_five_gets_in_and_every_check_counts(console: Console) -> None:
    await create_account(console.db, username="ada", password=PASSWORD, role="admin", actor="test")
    outcomes = [await attempt_at(console.url, "ada", password) for password in ("a", "b", PASSWORD, "c", "d")]
    assert outcomes == [401, 401, 303, 401, 401]
    async with httpx.AsyncClient(base_url=console.url, follow_redirects=False, timeout=30) as http:
        refused = await attempt(http, "ADA", PASSWORD)  # usernames are throttled whatever their case
    assert refused.status_code == 429 and "Too many failed sign-ins" in refused.text
    assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
    assert await checks_recorded(console.db) == 5


async def test_a_locked_username_stays_locked_for_every_process_whatever_else_was_tried(
    db: AsyncEngine, database_url: str
) -> None:
    await create_account(db, username="ada", password=PASSWORD, role="admin", actor="test")
    async with served(app_with(db, database_url)) as url:
        for n in range(5):
            assert await attempt_at(url, "ada", f"guess {n}") == 401
    async with db.begin() as conn:  # a spray over twenty thousand other usernames
        await conn.execute(
            text(
                "INSERT INTO login_attempts (username, outcome) SELECT 'user' || n, 'failed'"
                " FROM generate_series(1, 20000) AS n"
            )
        )
    async with served(app_with(db, database_url)) as other_process:
        assert await attempt_at(other_process, "ada", PASSWORD) == 429
        assert await attempt_at(other_process, "someone-else", "a guess") == 401
    assert await checks_recorded(db) == 5


async def test_sign_ins_lock_outs_and_unlocks_go_to_the_activity_log_without_passwords(console: Console) -> None:
    admin = await sign_in(console, "admin", "root")
    await create_account(console.db, username="ada", password=PASSWORD, role="recruiter", actor="test")
    for n in range(5):
        assert await attempt_at(console.url, "ada", f"secret guess {n}") == 401
    for _ in range(3):
        assert await attempt_at(console.url, "ada", PASSWORD) == 429
    page = await admin.get("/admin/sessions")
    assert "Locked usernames" in page.text and 'value="ada"' in page.text
    unlocked = await admin.post("/admin/sessions/unlock", data={"username": "ada"})
    assert unlocked.status_code == 303
    assert "Unlocked ada" in (await admin.get("/admin/sessions")).text
    assert await attempt_at(console.url, "ada", PASSWORD) == 303
    log = await rows(console.db, "SELECT actor, action, details FROM activities ORDER BY id")
    actions = [entry.action for entry in log]
    assert actions.count("sign_in") == 2 and actions.count("sign_in_failed") == 5
    assert actions.count("sign_in_locked") == 1 and actions.count("sign_in_unlocked") == 1
    assert [e.actor for e in log if e.action == "sign_in_unlocked"] == ["console:root"]
    assert all(e.details.get("username") == "ada" for e in log if e.action.startswith("sign_in_"))
    everything = str([(e.actor, e.details) for e in log])
    assert "secret guess" not in everything and PASSWORD not in everything
    nothing = await admin.post("/admin/sessions/unlock", data={"username": "ada"})
    assert "was not locked" in (await admin.get(nothing.headers["location"])).text
    await admin.aclose()


def _client(app: FastAPI, peer: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://console.test", follow_redirects=False)


async def test_one_client_gets_a_bounded_number_of_checks_and_the_rest_a_busy_sentence(
    db: AsyncEngine, database_url: str
) -> None:
    app = app_with(
        db,
        database_url,
        LOGIN_MAX_CONCURRENT_CHECKS=8,
        LOGIN_MAX_CHECKS_PER_CLIENT=1,
        LOGIN_CHECK_WAIT=0.0,
        TRUSTED_PROXIES="10.0.0.0/8",
    )

    async def from_client(username: str, forwarded_for: str) -> httpx.Response:
        async with _client(app, "10.0.0.2") as http:  # the reverse proxy
            http.headers["X-Forwarded-For"] = forwarded_for
            return await attempt(http, username, "a wrong password")

    crowd = await asyncio.gather(*(from_client(f"user{n}", "203.0.113.9") for n in range(8)))
    statuses = [r.status_code for r in crowd]
    assert statuses.count(503) >= 1 and set(statuses) <= {401, 503}
    busy = next(r for r in crowd if r.status_code == 503)
    assert "busy checking other sign-ins" in busy.text and busy.headers["retry-after"]
    # A check that never ran is given back: only the ones that ran count against their usernames.
    ran = await rows(db, "SELECT count(*) AS n FROM login_attempts WHERE outcome = 'failed'")
    assert ran[0].n == statuses.count(401) == app.context.password_checker.checks_run
    spread = await asyncio.gather(*(from_client(f"other{n}", f"198.51.100.{n}, 10.0.0.7") for n in range(4)))
    assert [r.status_code for r in spread] == [401] * 4  # one each from different clients all run
    seen = await rows(db, "SELECT DISTINCT client_address FROM login_attempts WHERE username LIKE 'other%'")
    assert sorted(r.client_address for r in seen) == [f"198.51.100.{n}" for n in range(4)]


async def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(db: AsyncEngine, database_url: str) -> None:
    app = app_with(db, database_url, TRUSTED_PROXIES="10.0.0.0/8")
    async with _client(app, "192.0.2.50") as http:
        http.headers["X-Forwarded-For"] = "10.9.9.9"
        assert (await attempt(http, "ada", "a guess")).status_code == 401
    assert [r.client_address for r in await rows(db, "SELECT client_address FROM login_attempts")] == ["192.0.2.50"]


async def test_the_candidate_api_answers_while_twelve_password_checks_run(db: AsyncEngine, database_url: str) -> None:
    interview = await seed_interview(db)
    app = app_with(db, database_url, LOGIN_MAX_CHECKS_PER_CLIENT=12, LOGIN_CHECK_WAIT=60.0)
    checker = app.context.password_checker
    answered_during_a_check = 0
    async with served(app) as url:
        logins = asyncio.gather(*(attempt_at(url, f"intruder{n}", "a wrong password") for n in range(12)))
        async with httpx.AsyncClient(base_url=url, timeout=30) as candidate:
            while not logins.done():
                state = await candidate.get(f"/api/interview/{interview.token}")
                assert state.status_code == 200
                answered_during_a_check += checker.in_progress > 0
        statuses = await logins
    assert statuses == [401] * 12 and checker.checks_run == 12
    # Checks run in threads: the event loop answered the candidate while one was under way.
    assert answered_during_a_check >= 1


async def test_a_check_past_its_time_limit_is_a_busy_answer_and_is_given_back(
    db: AsyncEngine, database_url: str
) -> None:
    await create_account(db, username="ada", password=PASSWORD, role="admin", actor="test")
    app = app_with(db, database_url, LOGIN_CHECK_TIMEOUT=0.000_001)
    async with _client(app, "192.0.2.1") as http:
        slow = await attempt(http, "ada", PASSWORD)
    assert slow.status_code == 503 and "busy checking other sign-ins" in slow.text
    assert "airecruiter_session" not in slow.headers.get("set-cookie", "")
    assert await checks_recorded(db) == 0
