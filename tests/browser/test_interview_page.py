"""A candidate on a phone takes the interview in real Chromium: keyboard only, screen-reader cues, axe-core.

The viewport is 360 × 740. The candidate only presses Tab, Enter, Ctrl/Cmd+Enter and types; what
the tests assert is what that candidate notices: where focus is, what the page says, what a screen
reader is told (the polite live region), and that nothing they typed runs as code.
"""

from __future__ import annotations

import re

from playwright.async_api import Browser, BrowserContext, Page, expect
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.domain.interview_rules import RateLimit
from tests.browser.conftest import (
    PHONE,
    PageProblems,
    axe_violations,
    phone_context,
    screenshot,
    serve_with,
    tab_to,
)
from tests.integration.interview_fixtures import FULL_ANSWERS, SlowLLM, seed_interview

NAUGHTY_NAME = "<script>alert(1)</script> Doe"
NAUGHTY_ANSWER = (
    '<script>alert("pwned")</script><img src=x onerror="alert(2)"> At my last job I led 3 launches '
    "& wrote the </textarea> runbook for them."
)


async def _fits_the_screen(page: Page) -> None:
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide: the candidate would have to scroll sideways"


async def _start_with_keyboard(page: Page, url: str) -> None:
    await page.goto(url)
    await expect(page.locator("h1")).to_have_text(re.compile("^Your interview for "))
    await tab_to(page, "#start-button")
    await page.keyboard.press("Enter")
    await expect(page.locator("h1")).to_have_text(re.compile("^Interview for "))
    await expect(page.locator("#page-heading")).to_be_focused()  # a new page: focus starts at its heading


async def _answer_with_keyboard(page: Page, answer: str, messages_after: int, key: str = "Control+Enter") -> None:
    await page.keyboard.type(answer)
    await page.keyboard.press(key)
    await expect(page.locator("#transcript > li")).to_have_count(messages_after)


async def test_a_candidate_takes_the_whole_interview_on_a_phone_with_only_the_keyboard(
    page: Page,
    site: str,
    db: AsyncEngine,
    problems: PageProblems,
) -> None:
    seeded = await seed_interview(db)
    await page.goto(f"{site}/interview/{seeded.token}")
    await expect(page.locator("h1")).to_have_text("Your interview for Backend Engineer")
    await expect(page.locator("main")).to_contain_text("takes about 12 minutes")
    await _fits_the_screen(page)
    await screenshot(page, "interview-welcome")
    await tab_to(page, "#start-button")
    await page.keyboard.press("Enter")

    await expect(page.locator("h1")).to_have_text("Interview for Backend Engineer")
    await expect(page.locator("#progress")).to_have_text("Question 1 of about 4")
    await page.evaluate("() => { window.sameDocument = true; }")  # gone if anything reloads the page
    await tab_to(page, "#answer")
    box, count, transcript = page.locator("#answer"), page.locator("#answer-count"), page.locator("#transcript > li")
    sends = ["Control+Enter", "Meta+Enter", "button", "Control+Enter"]
    for number, (answer, send) in enumerate(zip(FULL_ANSWERS, sends, strict=True), start=1):
        await page.keyboard.type(answer)
        await expect(count).to_have_text(f"{len(answer)} of 4,000 characters")
        if send == "button":
            await tab_to(page, "#send-button")
            await page.keyboard.press("Enter")
        else:
            await page.keyboard.press(send)
        await expect(transcript).to_have_count(2 * number + 1)
        await expect(transcript.nth(2 * number - 1)).to_have_text(re.compile("^You" + re.escape(answer) + "$"))
        if number == len(FULL_ANSWERS):
            break
        await expect(page.locator("#progress")).to_have_text(f"Question {number + 1} of about 4")
        await expect(box).to_be_focused()
        await expect(box).to_have_value("")
        question = await transcript.last.locator(".msg-text").text_content()
        await expect(page.locator("#announcer")).to_have_text(f"Interviewer: {question}")
        if number == 1:
            await _fits_the_screen(page)
            await screenshot(page, "interview-chat")

    await expect(page.locator("#end-heading")).to_be_focused()
    await expect(page.locator("#end")).to_contain_text("Your answers are saved")
    await expect(page.locator("#composer")).to_have_count(0)
    closing = await transcript.last.locator(".msg-text").text_content()
    await expect(page.locator("#announcer")).to_have_text(f"Interviewer: {closing}")
    assert await page.evaluate("() => window.sameDocument === true"), "the page reloaded instead of appending"
    await screenshot(page, "interview-end")

    response = await page.reload()
    assert response is not None and response.status == 410
    await expect(page.locator("h1")).to_have_text("Your interview is complete")
    await screenshot(page, "interview-closed-completed")
    assert problems.dialogs == []


async def test_a_candidate_leaves_halfway_and_carries_on_from_the_link_later(
    page: Page,
    site: str,
    db: AsyncEngine,
    browser: Browser,
    problems: PageProblems,
) -> None:
    seeded = await seed_interview(db)
    url = f"{site}/interview/{seeded.token}"
    await _start_with_keyboard(page, url)
    await tab_to(page, "#answer")
    await _answer_with_keyboard(page, FULL_ANSWERS[0], 3)
    question = await page.locator("#transcript > li").last.locator(".msg-text").text_content()
    await page.close()

    later: BrowserContext = await phone_context(browser, problems)  # another day: no cookies, nothing stored
    try:
        again = await later.new_page()
        await again.goto(url)
        await expect(again.locator("h1")).to_have_text("Interview for Backend Engineer")
        transcript = again.locator("#transcript > li")
        await expect(transcript).to_have_count(3)
        await expect(transcript.nth(1)).to_contain_text(FULL_ANSWERS[0])
        await expect(transcript.last).to_contain_text(question or "")
        await expect(again.locator("#progress")).to_have_text("Question 2 of about 4")
        await screenshot(again, "interview-resumed")
        await tab_to(again, "#answer")
        await _answer_with_keyboard(again, FULL_ANSWERS[1], 5)
        await expect(again.locator("#progress")).to_have_text("Question 3 of about 4")
        await expect(again.locator("#answer")).to_be_focused()
    finally:
        await later.close()


async def test_the_candidate_sees_the_interviewer_thinking_until_the_reply_arrives(
    page: Page,
    db: AsyncEngine,
    database_url: str,
) -> None:
    seeded = await seed_interview(db)
    async with serve_with(db, database_url, SlowLLM(delay=1.5)) as url:
        await _start_with_keyboard(page, f"{url}/interview/{seeded.token}")
        await tab_to(page, "#answer")
        await page.keyboard.type(FULL_ANSWERS[0])
        await page.keyboard.press("Control+Enter")
        await expect(page.locator("#thinking")).to_be_visible()
        await expect(page.locator("#thinking")).to_have_text(re.compile("The interviewer is thinking"))
        await expect(page.locator("#send-button")).to_have_text("Sending…")
        await expect(page.locator("#transcript > li").last).to_contain_text(FULL_ANSWERS[0])
        await expect(page.locator("#answer")).to_have_value("")  # the answer moved into the conversation
        await expect(page.locator("#announcer")).to_have_text("Answer sent. The interviewer is thinking.")
        await screenshot(page, "interview-thinking")
        await expect(page.locator("#transcript > li")).to_have_count(3)
        await expect(page.locator("#thinking")).to_be_hidden()
        await expect(page.locator("#answer")).to_be_focused()


async def test_an_answer_over_the_limit_is_flagged_before_it_is_sent(page: Page, site: str, db: AsyncEngine) -> None:
    seeded = await seed_interview(db)
    await _start_with_keyboard(page, f"{site}/interview/{seeded.token}")
    await tab_to(page, "#answer")
    await page.locator("#answer").fill("y" * 4001)  # a long paste
    await expect(page.locator("#answer-count")).to_have_text("4,001 of 4,000 characters")
    await expect(page.locator("#answer-error")).to_have_text(re.compile("4,001 characters long; the limit is 4,000"))
    await expect(page.locator("#answer")).to_have_attribute("aria-invalid", "true")
    await page.keyboard.press("Control+Enter")
    await expect(page.locator("#transcript > li")).to_have_count(1)  # nothing was sent
    await screenshot(page, "interview-too-long")
    await page.keyboard.press("Backspace")
    await expect(page.locator("#answer-error")).to_have_text("")
    await expect(page.locator("#answer")).not_to_have_attribute("aria-invalid", "true")


async def test_answering_too_fast_says_how_long_to_wait_and_keeps_the_answer(
    page: Page,
    db: AsyncEngine,
    database_url: str,
) -> None:
    seeded = await seed_interview(db)
    async with serve_with(db, database_url, rate_limit=RateLimit(answers=1, window_seconds=60)) as url:
        await _start_with_keyboard(page, f"{url}/interview/{seeded.token}")
        await tab_to(page, "#answer")
        await _answer_with_keyboard(page, FULL_ANSWERS[0], 3)
        await page.keyboard.type(FULL_ANSWERS[1])
        await page.keyboard.press("Control+Enter")
        await expect(page.locator("#answer-error")).to_have_text(re.compile(r"Wait \d+ seconds, then send your answer"))
        await expect(page.locator("#answer")).to_have_value(FULL_ANSWERS[1])
        await expect(page.locator("#answer")).to_be_focused()
        await expect(page.locator("#transcript > li")).to_have_count(3)  # the refused answer is not shown as sent
        await expect(page.locator("#send-button")).to_have_text("Send answer")
        await screenshot(page, "interview-rate-limited")


async def test_markup_in_the_name_and_an_answer_is_shown_as_text_and_never_runs(
    page: Page,
    site: str,
    db: AsyncEngine,
    problems: PageProblems,
) -> None:
    seeded = await seed_interview(db, candidate_name=NAUGHTY_NAME)
    url = f"{site}/interview/{seeded.token}"
    await page.goto(url)
    await expect(page.locator(".lead")).to_have_text(re.compile("^Hello <script>alert\\(1\\)</script>, thank you"))
    await tab_to(page, "#start-button")
    await page.keyboard.press("Enter")
    await expect(page.locator("#end")).to_contain_text("Thank you, <script>alert(1)</script>.", use_inner_text=True)
    await tab_to(page, "#answer")
    await _answer_with_keyboard(page, NAUGHTY_ANSWER, 3)
    shown = page.locator("#transcript > li").nth(1).locator(".msg-text")
    await expect(shown).to_have_text(NAUGHTY_ANSWER)  # appended by the script, as text
    await page.reload()
    await expect(shown).to_have_text(NAUGHTY_ANSWER)  # rendered by the server, escaped
    assert await page.locator("#transcript img, #transcript script").count() == 0
    assert problems.dialogs == []


async def test_the_interview_pages_have_no_serious_accessibility_violations(
    page: Page,
    site: str,
    db: AsyncEngine,
) -> None:
    found: dict[str, list[object]] = {}
    seeded = await seed_interview(db)
    url = f"{site}/interview/{seeded.token}"
    await page.goto(url)
    found["welcome"] = await axe_violations(page)
    await _start_with_keyboard(page, url)
    found["chat"] = await axe_violations(page)
    await page.locator("#answer").fill("z" * 4001)
    found["chat with an error"] = await axe_violations(page)
    await page.locator("#answer").fill("")
    for number, answer in enumerate(FULL_ANSWERS, start=1):
        await page.locator("#answer").fill(answer)
        await page.keyboard.press("Control+Enter")
        await expect(page.locator("#transcript > li")).to_have_count(2 * number + 1)
    await expect(page.locator("#end-heading")).to_be_focused()
    found["end"] = await axe_violations(page)
    await page.reload()
    found["completed link"] = await axe_violations(page)

    expired = await seed_interview(db)
    async with db.begin() as conn:
        await conn.execute(
            text("UPDATE interviews SET expires_at = now() - interval '1 day' WHERE id = :i"),
            {"i": expired.interview_id},
        )
    await page.goto(f"{site}/interview/{expired.token}")
    await expect(page.locator("h1")).to_have_text("This interview link has expired")
    await screenshot(page, "interview-closed-expired")
    found["expired link"] = await axe_violations(page)
    await page.goto(f"{site}/interview/{'Q' * 43}")
    await expect(page.locator("h1")).to_have_text("We could not find this interview")
    await screenshot(page, "interview-closed-unknown")
    found["unknown link"] = await axe_violations(page)
    assert {name: v for name, v in found.items() if v} == {}


async def test_without_javascript_the_forms_still_take_the_candidate_through(
    browser: Browser,
    site: str,
    db: AsyncEngine,
    problems: PageProblems,
) -> None:
    seeded = await seed_interview(db)
    ctx = await phone_context(browser, problems, java_script_enabled=False)
    try:
        page = await ctx.new_page()
        await page.goto(f"{site}/interview/{seeded.token}")
        await tab_to(page, "#start-button")
        await page.keyboard.press("Enter")
        await expect(page.locator("#transcript > li")).to_have_count(1)
        await tab_to(page, "#answer")
        await page.keyboard.type(FULL_ANSWERS[0])
        await tab_to(page, "#send-button")
        await page.keyboard.press("Enter")
        await expect(page.locator("#transcript > li")).to_have_count(3)
        await expect(page.locator("#transcript > li").nth(1)).to_contain_text(FULL_ANSWERS[0])
        await expect(page.locator("#progress")).to_have_text("Question 2 of about 4")
        await screenshot(page, "interview-chat-no-javascript")
    finally:
        await ctx.close()
