"""Real Chromium driven by Playwright, the app served on loopback, screenshots and axe-core checks.

Playwright cannot download its own browser here: the tests launch Debian's Chromium
(`/usr/bin/chromium`, or `CHROMIUM`), and check accessibility with axe-core from the npm registry
(`node_modules/axe-core`). `make test` installs both; a missing one fails the tests, never skips them.

Pages run under the app's real Content-Security-Policy: axe is injected through the DevTools
protocol (`page.evaluate`), which the policy does not govern, so a script or style the policy
would block in a candidate's browser is blocked in these tests too and fails them.
"""

from __future__ import annotations

import functools
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page, async_playwright
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.prompts import seed_default_prompts
from airecruiter.web.app import create_app
from tests.integration.interview_fixtures import (  # noqa: F401 - shared_redactor_closed closes the shared redactor
    interview_engine,
    runtime_for,
    serving,
    shared_redactor_closed,
)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SERIOUS = ("serious", "critical")


def _chromium() -> str:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}; `make test` installs it (apt-get install chromium).",
            pytrace=False,
        )
    return str(CHROMIUM)


@functools.cache
def _axe_source() -> str:
    if not AXE_SCRIPT.exists():
        pytest.fail(
            f"The accessibility checks need axe-core at {AXE_SCRIPT.relative_to(ROOT)}; `make test` "
            "installs it (npm ci).",
            pytrace=False,
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


class PageProblems:
    """What a candidate's browser reported while a test ran: script errors, refused resources, dialogs."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def watch(self, page: Page) -> None:
        """Record this page's errors and dialogs (a dialog is dismissed at once)."""
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        page.on("console", self._console)
        page.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        # An answer refused with 422/429 or a closed link's 410 is logged by Chromium as a failed load;
        # that is the page working as meant. A refusal by the Content-Security-Policy is not.
        if message.type == "error" and not message.text.startswith("Failed to load resource: the server responded"):
            self.errors.append(f"console: {message.text}")

    async def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        await dialog.dismiss()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, headless, for the whole session."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS, headless=True)
        yield launched
        await launched.close()


@pytest.fixture
def problems() -> PageProblems:
    """Script errors, CSP refusals and dialogs of the test's pages."""
    return PageProblems()


async def phone_context(browser: Browser, problems: PageProblems, **options: Any) -> BrowserContext:
    """A fresh browser profile the size of a phone (360 × 740), every page of it watched by `problems`."""
    ctx = await browser.new_context(viewport=PHONE, device_scale_factor=2, locale="en-GB", **options)
    ctx.set_default_timeout(15_000)
    ctx.on("page", problems.watch)
    return ctx


@pytest.fixture
async def context(browser: Browser, problems: PageProblems) -> AsyncIterator[BrowserContext]:
    """A fresh phone-sized browser profile for the test."""
    ctx = await phone_context(browser, problems)
    yield ctx
    await ctx.close()


@pytest.fixture
async def page(context: BrowserContext, problems: PageProblems) -> AsyncIterator[Page]:
    """A page of that profile; the test fails if the page logged a script error or a refused resource."""
    tab = await context.new_page()
    yield tab
    if problems.errors:
        pytest.fail("The page reported errors:\n" + "\n".join(problems.errors), pytrace=False)


@pytest.fixture
async def desk(browser: Browser, problems: PageProblems) -> AsyncIterator[BrowserContext]:
    """A desktop-sized browser profile that accepts downloads (the admin console's pages)."""
    ctx = await browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    ctx.set_default_timeout(15_000)
    ctx.on("page", problems.watch)
    yield ctx
    await ctx.close()


@pytest.fixture
async def tab(desk: BrowserContext, problems: PageProblems) -> AsyncIterator[Page]:
    """A page of that profile; script errors, refused resources (the CSP) or a dialog fail the test."""
    page = await desk.new_page()
    yield page
    if problems.errors:
        pytest.fail("The page reported errors:\n" + "\n".join(problems.errors), pytrace=False)
    assert problems.dialogs == []


@pytest.fixture
async def site(db: AsyncEngine, database_url: str) -> AsyncIterator[str]:
    """The whole web app on loopback over the test database (offline interviewer, default prompts); its URL."""
    await seed_default_prompts(db)
    async with serving(create_app(runtime_for(database_url, db))) as url:
        yield url


@asynccontextmanager
async def serve_with(db: AsyncEngine, database_url: str, llm: Any = None, **engine_options: Any) -> AsyncIterator[str]:
    """The web app with an interview engine of its own (a slow interviewer, a tight rate limit); its URL."""
    await seed_default_prompts(db)
    app = create_app(runtime_for(database_url, db, interview_engine=interview_engine(db, llm, **engine_options)))
    async with serving(app) as url:
        yield url


async def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as `test-output/screenshots/<name>.png` (looked at by people, not asserted)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.x A/AA rules and best practice)."""
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        await page.evaluate(_axe_source() + "\n;undefined")
    results: dict[str, Any] = await page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
        if v["impact"] in SERIOUS
    ]


async def focused(page: Page) -> dict[str, Any]:
    """The focused element: its tag, id, text and whether its focus indicator is visible."""
    result: dict[str, Any] = await page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || el.value || '').trim(),
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
    }""")
    return result


async def tab_to(page: Page, selector: str, *, limit: int = 10) -> None:
    """Press Tab until the element matching `selector` has focus (each stop must show its focus)."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        where = await focused(page)
        if where["tag"] in ("a", "button", "textarea", "input"):
            assert where["outline"], f"no visible focus indicator on {where}"
        if await page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab")
