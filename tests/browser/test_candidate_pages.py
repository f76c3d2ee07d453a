"""A candidate chooses a person instead of the AI in real Chromium: keyboard only, axe-core, and without JavaScript."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.candidate_tokens import mint_candidate_token
from tests.browser.conftest import PageProblems, axe_violations, phone_context, screenshot, tab_to
from tests.integration.interview_fixtures import seed_interview


async def _status(db: AsyncEngine, application_id: int) -> str:
    async with db.connect() as conn:
        return str(await conn.scalar(text("SELECT status FROM applications WHERE id = :a"), {"a": application_id}))


async def _no_violations(page: Page) -> None:
    assert await axe_violations(page) == []


async def test_a_candidate_chooses_a_person_from_the_welcome_page_with_only_the_keyboard(
    page: Page, site: str, db: AsyncEngine
) -> None:
    seeded = await seed_interview(db)
    await page.goto(f"{site}/interview/{seeded.token}")
    await tab_to(page, "a[href$='/person']", limit=20)
    await page.keyboard.press("Enter")

    await expect(page.locator("h1")).to_have_text("Be assessed by a person instead of the AI")
    await _no_violations(page)
    await screenshot(page, "candidate-person-confirm")
    await tab_to(page, "button.primary", limit=20)
    await page.keyboard.press("Enter")

    await expect(page.locator("h1")).to_have_text("What happens next")
    await expect(page.locator("[role=status]")).to_contain_text("a person will assess your application")
    await _no_violations(page)
    assert await _status(db, seeded.application_id) == "human_review"

    await page.goto(f"{site}/interview/{seeded.token}")
    await expect(page.locator("h1")).to_have_text("A person will assess your application")


async def test_without_javascript_the_invitation_link_takes_an_accommodation_and_a_person(
    browser: Browser, problems: PageProblems, site: str, db: AsyncEngine
) -> None:
    seeded = await seed_interview(db)
    async with db.begin() as conn:
        token = await mint_candidate_token(conn, seeded.application_id)  # what the invitation email carries
    context = await phone_context(browser, problems, java_script_enabled=False)
    try:
        page = await context.new_page()
        await page.goto(f"{site}/candidate/{token}")
        await expect(page.locator("h1")).to_have_text("Your application for Backend Engineer")
        await tab_to(page, "a[href$='/accommodation']", limit=20)
        await page.keyboard.press("Enter")
        await expect(page.locator("h1")).to_have_text("Ask for an adjustment")
        await tab_to(page, "#request", limit=20)
        await page.keyboard.type("Please allow extra time; I use a screen reader.")
        await tab_to(page, "#person")
        await page.keyboard.press("Space")
        await tab_to(page, "button.primary")
        await page.keyboard.press("Enter")
        await expect(page.locator("h1")).to_have_text("What happens next")
    finally:
        await context.close()
    assert problems.errors == []
    assert await _status(db, seeded.application_id) == "human_review"
    async with db.connect() as conn:
        kinds = (await conn.execute(text("SELECT kind FROM candidate_requests ORDER BY id"))).scalars().all()
    assert kinds == ["accommodation", "human_review"]
