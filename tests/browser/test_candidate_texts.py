"""An admin edits the advance-notice text in real Chromium: from the prompts page to a new active version.

Each page is saved as a screenshot (test-output/screenshots/admin-candidate-text-*.png) and checked
with axe-core.
"""

from __future__ import annotations

from playwright.async_api import Page, expect
from sqlalchemy import text

from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_admin_console import console
from tests.integration.admin_fixtures import PASSWORD
from tests.integration.application_fixtures import StorageConsole

__all__ = ["console"]  # fixture used by name


async def _look(page: Page, name: str) -> None:
    await screenshot(page, f"admin-candidate-text-{name}")
    assert await axe_violations(page) == [], f"accessibility problems on the {name} page"


async def test_an_admin_writes_and_activates_a_new_notice_text(console: StorageConsole, tab: Page) -> None:
    await tab.goto(f"{console.url}/admin/prompts")
    await tab.get_by_label("Username").fill("ada")
    await tab.get_by_label("Password").fill(PASSWORD)
    await tab.get_by_label("Password").press("Enter")
    await tab.get_by_role("link", name="Candidate texts").click()
    await expect(tab.locator("h1")).to_have_text("Candidate texts")
    await _look(tab, "list")

    await tab.locator("#kind-notice").locator("xpath=..").get_by_role("link", name="Write a new version").click()
    box = tab.get_by_label("Text (at most 8,000 characters)")
    await expect(box).to_contain_text("What the AI assesses")
    await _look(tab, "new")
    await box.fill("Hello {name}, we use AI.")
    await tab.get_by_role("button", name="Save new version").click()
    await expect(tab.get_by_role("alert")).to_contain_text("Unknown placeholder {name}")
    await box.fill("For {role} at {company} an AI reads your résumé <first>.\n\nWrite to {contact} for a person.")
    await tab.get_by_label("Make it the active version now").check()
    await tab.get_by_role("button", name="Save new version").click()
    await expect(tab.locator(".notice")).to_contain_text("Saved version 2 of the advance notice email text")
    await expect(tab.get_by_role("region", name="Text", exact=True)).to_contain_text("an AI reads your résumé <first>.")
    await _look(tab, "detail")
    async with console.db.connect() as conn:
        active = await conn.scalar(text("SELECT version FROM candidate_texts WHERE kind = 'notice' AND active"))
    assert active == 2
