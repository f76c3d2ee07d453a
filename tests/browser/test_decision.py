"""A recruiter records a decision in real Chromium: the AI's recommendation stays beside the form, the
decision and its history show, a new report is queued, and the dashboard counts the overrule.

Pages are saved as screenshots (test-output/screenshots/decision-*.png) and checked with axe-core.
"""

from __future__ import annotations

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

NOTE = "Answers on data modelling were thin; a second opinion from the team lead is wanted."


@pytest.fixture
async def console(db: AsyncEngine, database_url: str, tmp_path: Path) -> AsyncIterator[StorageConsole]:
    """The console over a database with prompts and a recruiter."""
    await seed_default_prompts(db)
    await create_account(db, username="rita", password=PASSWORD, role="recruiter", actor="test")
    async with storage_console(db, database_url, tmp_path) as served:
        yield served


async def _look(page: Page, name: str) -> None:
    await screenshot(page, f"decision-{name}")
    assert await axe_violations(page) == [], f"accessibility problems on the {name} page"


async def test_a_recruiter_records_a_decision_beside_the_ai_recommendation(console: StorageConsole, tab: Page) -> None:
    seeded = await seed_application(console.db, name="Mira Okafor", status="complete", storage=console.storage)
    async with console.db.begin() as conn:
        await conn.execute(
            text("UPDATE evaluations SET recommendation = 'no_hire' WHERE application_id = :a"),
            {"a": seeded.application_id},
        )

    await tab.goto(f"{console.url}/admin/applications/{seeded.application_id}")
    await tab.get_by_label("Username").fill("rita")
    await tab.get_by_label("Password").fill(PASSWORD)
    await tab.get_by_label("Password").press("Enter")
    section = tab.locator("#decision")
    await expect(section.locator("#ai-recommendation")).to_contain_text("No hire")
    await expect(section.locator("#current-decision")).to_have_text("none recorded")
    await _look(tab, "before")

    await section.get_by_label("Advance").check()
    await section.get_by_label("Reason").select_option(label="Interview performance")
    await section.get_by_label("Note (optional)").fill(NOTE)
    await section.get_by_role("button", name="Record decision").click()

    await expect(tab.locator(".notice")).to_contain_text("Decision recorded: Advance (interview performance).")
    await expect(tab.locator(".notice")).to_contain_text("A new report showing it is queued")
    await expect(section.locator("#current-decision")).to_contain_text("Advance · Interview performance")
    await expect(section.locator("#current-decision")).to_contain_text("by console:rita")
    await expect(section.locator("#ai-recommendation")).to_contain_text("No hire")  # beside, never replaced
    history = section.locator("table.decision-history tbody tr")
    await expect(history).to_have_count(1)
    await expect(history.first).to_contain_text(NOTE)
    await _look(tab, "after")

    async with console.db.connect() as conn:
        queued = await conn.scalar(
            text("SELECT count(*) FROM queue_items WHERE application_id = :a AND job_type = 'generate_report'"),
            {"a": seeded.application_id},
        )
    assert queued == 1

    # A refused decision says why and stores nothing.
    await section.get_by_label("Hold").check()
    await section.get_by_role("button", name="Record decision").click()  # no reason chosen: the browser stops it
    await expect(history).to_have_count(1)

    await tab.goto(f"{console.url}/admin")
    row = tab.locator("#agreement tbody tr")
    await expect(row).to_have_count(1)
    await expect(row.locator("[data-figure=overruled-up]")).to_contain_text("1")
    await expect(row.locator("[data-figure=agreement]")).to_contain_text("0 %")
    await _look(tab, "dashboard")
