"""An admin runs the console in real Chromium: signs in, works the dead letter, edits and activates a
prompt version, changes a requisition's auto-send settings and downloads a report.

Each page is saved as a screenshot (test-output/screenshots/admin-*.png) and checked with axe-core.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.prompts import seed_default_prompts
from airecruiter.services.users import create_account
from tests.browser.conftest import axe_violations, screenshot
from tests.integration.admin_fixtures import PASSWORD
from tests.integration.application_fixtures import StorageConsole, seed_application, storage_console

NAUGHTY = "<script>alert('x')</script> Robert"


@pytest.fixture
async def console(db: AsyncEngine, database_url: str, tmp_path: Path) -> AsyncIterator[StorageConsole]:
    """The console (with storage the test can read) over a database with prompts and an admin."""
    await seed_default_prompts(db)
    await create_account(db, username="ada", password=PASSWORD, role="admin", actor="test")
    async with storage_console(db, database_url, tmp_path) as served:
        yield served


async def _dead_items(db: AsyncEngine, application_id: int, count: int) -> list[int]:
    ids = []
    async with db.begin() as conn:
        for n in range(count):
            item = await conn.scalar(
                text(
                    "INSERT INTO queue_items (job_type, application_id, priority, status, attempts, max_attempts,"
                    " last_error) VALUES (:t, :a, 0, 'dead', 3, 3, 'NetworkError: Workday timed out') RETURNING id"
                ),
                {"t": ("evaluate", "generate_report", "upload_report")[n], "a": application_id},
            )
            for attempt in (1, 2, 3):
                await conn.execute(
                    text(
                        "INSERT INTO job_runs (queue_item_id, job_type, application_id, attempt, outcome, error)"
                        " VALUES (:i, 'evaluate', :a, :n, CASE WHEN :n = 3 THEN 'dead' ELSE 'failed' END,"
                        " 'NetworkError: Workday timed out (attempt ' || :n || ')')"
                    ),
                    {"i": item, "a": application_id, "n": attempt},
                )
            ids.append(int(item))
    return ids


async def _look(page: Page, name: str) -> None:
    """Save the page and check it has no serious accessibility problem."""
    await screenshot(page, f"admin-{name}")
    assert await axe_violations(page) == [], f"accessibility problems on the {name} page"


async def _states(db: AsyncEngine, ids: list[int]) -> list[str]:
    async with db.connect() as conn:
        rows = await conn.execute(text("SELECT status FROM queue_items WHERE id = ANY(:ids) ORDER BY id"), {"ids": ids})
        return [r[0] for r in rows]


async def test_an_admin_signs_in_and_works_the_console(console: StorageConsole, tab: Page) -> None:
    done = await seed_application(console.db, name=NAUGHTY, status="complete", storage=console.storage)
    await seed_application(console.db, name="Mira Okafor", status="analyzed", risk=0.7)
    dead = await _dead_items(console.db, done.application_id, 3)

    # Anonymous: the login page, then back to where the admin was going.
    await tab.goto(f"{console.url}/admin/queue/dead")
    await expect(tab.locator("h1")).to_have_text("Sign in")
    await _look(tab, "login")
    await tab.get_by_label("Username").fill("ada")
    await tab.get_by_label("Password").fill(PASSWORD)
    await tab.get_by_label("Password").press("Enter")
    await expect(tab.locator("h1")).to_have_text("Dead letter")
    await expect(tab.get_by_text("NetworkError: Workday timed out").first).to_be_visible()
    await _look(tab, "dead-letter")

    # Retry two in bulk, skip the third from its row.
    await tab.get_by_label(f"Select item {dead[0]}").check()
    await tab.get_by_label(f"Select item {dead[1]}").check()
    await tab.get_by_role("button", name="Retry selected").click()
    await expect(tab.locator(".notice")).to_contain_text("Retried 2")
    await tab.get_by_role("button", name=f"Skip item {dead[2]}").click()
    await expect(tab.locator(".notice")).to_contain_text("Skipped 1")
    assert await _states(console.db, dead) == ["pending", "pending", "skipped"]
    await tab.goto(f"{console.url}/admin/queue/{dead[0]}")
    await expect(tab.get_by_text("NetworkError: Workday timed out (attempt 2)")).to_be_visible()
    await _look(tab, "queue-item")
    await tab.goto(f"{console.url}/admin/queue")
    await _look(tab, "queue")

    await _edit_and_activate_a_prompt(console, tab)
    await _turn_on_auto_send(console, tab, done.requisition_id)
    await _download_the_report(console, tab, done.application_id)

    for name, path in (
        ("dashboard", "/admin"),
        ("applications", "/admin/applications"),
        ("activity", "/admin/activity"),
        ("requisitions", "/admin/requisitions"),
    ):
        await tab.goto(console.url + path)
        await _look(tab, name)
    await expect(tab.get_by_text(NAUGHTY)).to_have_count(0)  # not on the requisitions page at all
    await tab.goto(f"{console.url}/admin/applications")
    await expect(tab.get_by_text(NAUGHTY)).to_be_visible()  # shown as text, and no dialog fired

    # The dashboard keeps itself current (htmx re-reads it): a job that dies shows up without a reload.
    await tab.goto(f"{console.url}/admin")
    dead_count = tab.locator("#dead-heading + .stat")
    await expect(dead_count).to_have_text("0")
    await _dead_items(console.db, done.application_id, 1)
    await expect(dead_count).to_have_text("1", timeout=25_000)


async def _edit_and_activate_a_prompt(console: StorageConsole, tab: Page) -> None:
    await tab.goto(f"{console.url}/admin/prompts")
    await _look(tab, "prompts")
    await tab.locator('a[href="/admin/prompts/new?type=interview"]').click()
    await expect(tab.locator("h1")).to_contain_text("New")
    await _look(tab, "prompt-new")
    body = tab.get_by_label(re.compile("^Template"))
    await body.press("ControlOrMeta+End")
    await body.press_sequentially("\nAlways thank the candidate by name at the end.")
    await tab.get_by_label("Make it the active version now").check()
    # No fairness check of a new text yet: activating it at once takes an admin's written reason.
    await tab.get_by_label("Override reason (only to activate now)").fill("Closing line agreed with the hiring team")
    await tab.get_by_role("button", name="Save new version").click()
    await expect(tab.locator("h1")).to_contain_text("version 2")
    await expect(tab.locator(".diff ins", has_text="Always thank the candidate by name at the end.")).to_have_count(1)
    await _look(tab, "prompt-diff")
    async with console.db.connect() as conn:
        active = (
            await conn.execute(
                text("SELECT version, template_content FROM prompts WHERE type = 'interview' AND is_active")
            )
        ).one()
        first = await conn.scalar(text("SELECT id FROM prompts WHERE type = 'interview' AND version = 1"))
    assert active.version == 2 and active.template_content.endswith("by name at the end.")
    # And back to version 1 from its page.
    await tab.goto(f"{console.url}/admin/prompts/{first}")
    await tab.get_by_label(re.compile("^No passing fairness check: override reason")).fill(
        "Back to the shipped default"
    )
    await tab.get_by_role("button", name="Activate version 1").click()
    await expect(tab.locator(".notice")).to_be_visible()
    async with console.db.connect() as conn:
        assert await conn.scalar(text("SELECT version FROM prompts WHERE type = 'interview' AND is_active")) == 1


async def _turn_on_auto_send(console: StorageConsole, tab: Page, requisition_id: int) -> None:
    await tab.goto(f"{console.url}/admin/requisitions/{requisition_id}")
    await tab.get_by_label("Send interview invitations automatically").check()
    await tab.get_by_label("Trigger status").fill("Phone Screen")
    await tab.get_by_label("Lookback hours").fill("48")
    await tab.get_by_role("button", name="Save settings").click()
    await expect(tab.locator(".notice")).to_contain_text("Saved")
    await _look(tab, "requisition")
    async with console.db.connect() as conn:
        saved = (
            await conn.execute(
                text(
                    "SELECT auto_send_interview, auto_send_on_status, lookback_hours FROM requisitions WHERE id = :id"
                ),
                {"id": requisition_id},
            )
        ).one()
    assert tuple(saved) == (True, "Phone Screen", 48)


async def _download_the_report(console: StorageConsole, tab: Page, application_id: int) -> None:
    await tab.goto(f"{console.url}/admin/applications/{application_id}")
    await expect(tab.get_by_text("quote found in the résumé").first).to_be_visible()
    await expect(tab.get_by_text("quote found in the transcript").first).to_be_visible()
    await _look(tab, "application")
    async with tab.expect_download() as waiting:
        await tab.get_by_role("link", name="Download the report (PDF)").click()
    download = await waiting.value
    saved = await download.path()
    async with console.db.connect() as conn:
        key = await conn.scalar(text("SELECT s3_key FROM reports WHERE application_id = :a"), {"a": application_id})
    assert await asyncio.to_thread(Path(saved).read_bytes) == await console.storage.get(key)
    assert download.suggested_filename.endswith(".pdf")


async def test_an_admin_ends_a_session_and_unlocks_a_username_on_the_sessions_page(
    console: StorageConsole, tab: Page
) -> None:
    await create_account(console.db, username="rita", password=PASSWORD, role="recruiter", actor="test")
    async with console.db.begin() as conn:  # rita's username has used up its password checks
        await conn.execute(
            text("INSERT INTO login_attempts (username, outcome) SELECT 'rita', 'failed' FROM generate_series(1, 5)")
        )
    await tab.goto(f"{console.url}/admin/login")
    await tab.get_by_label("Username").fill("ada")
    await tab.get_by_label("Password").fill(PASSWORD)
    await tab.get_by_label("Password").press("Enter")
    await expect(tab.locator("h1")).to_have_text("Dashboard")
    async with console.db.begin() as conn:  # ada is signed in on a second device too
        await conn.execute(
            text(
                "INSERT INTO console_sessions (token_hash, user_id, csrf_token, expires_at, client_address, user_agent)"
                " SELECT 'other', id, 'c', now() + interval '1 hour', '198.51.100.4', 'Phone browser' FROM users"
                " WHERE username = 'ada'"
            )
        )
    await tab.get_by_role("link", name="Sessions").click()
    await expect(tab.locator("h1")).to_have_text("Sessions")
    await expect(tab.get_by_text("Phone browser")).to_be_visible()
    await expect(tab.get_by_text("(this session)")).to_be_visible()
    await _look(tab, "sessions")
    await tab.locator("tr", has_text="Phone browser").get_by_role("button", name="End").click()
    await expect(tab.locator(".notice")).to_contain_text("Ended a session of ada")
    await expect(tab.get_by_text("Phone browser")).to_have_count(0)
    await tab.get_by_role("button", name="Unlock rita").click()
    await expect(tab.locator(".notice")).to_contain_text("Unlocked rita")
    await expect(tab.get_by_text("No username is locked.")).to_be_visible()
    await tab.get_by_role("button", name="Sign out").click()
    await expect(tab.locator("h1")).to_have_text("Sign in")
