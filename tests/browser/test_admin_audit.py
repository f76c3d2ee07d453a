"""An auditor uses the bias audit in real Chromium: signs in, lands on it, reads the tables and charts,
narrows the range and downloads the draft summary; a recruiter is refused. Screenshots are saved as
test-output/screenshots/audit-*.png and each page is checked with axe-core."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.async_api import Page, expect
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.services.users import create_account
from tests.browser.conftest import axe_violations, screenshot
from tests.integration.admin_fixtures import PASSWORD

_INSERT = text("""
    INSERT INTO outcomes (application_id, requisition_id, applied_month, scored_on, resume_risk, analysis_model,
                          analysis_prompt_version, overall_score, ai_recommendation, interview_state, sex,
                          race_ethnicity)
    VALUES (:id, 5, date_trunc('month', CAST(:day AS date)), :day, :risk, 'offline', 2, :overall, :rec,
            'completed', :sex, :race)
""")


async def _seed(db: AsyncEngine) -> None:
    today = datetime.now(UTC).date()
    races = ["White", "Asian", "Black or African American", "Hispanic or Latino", "unknown"]
    async with db.begin() as conn:
        for i in range(40):
            female = i % 2 == 1
            await conn.execute(
                _INSERT,
                {
                    "id": 700 + i,
                    "day": today,
                    "risk": (i * 7 % 10) / 10,
                    "overall": float(i * 3 % 10),
                    "rec": "hire" if (i % 3 == 0 or (not female and i % 5 == 0)) else "no_hire",
                    "sex": "Female" if female else "Male",
                    "race": races[i % 5],
                },
            )
    for role in ("auditor", "recruiter"):
        await create_account(db, username=f"{role}1", password=PASSWORD, role=role, actor="test")


async def _sign_in(tab: Page, url: str, username: str) -> None:
    await tab.goto(f"{url}/admin/login")
    await tab.get_by_label("Username").fill(username)
    await tab.get_by_label("Password").fill(PASSWORD)
    await tab.get_by_label("Password").press("Enter")


async def _look(tab: Page, name: str) -> None:
    await screenshot(tab, f"audit-{name}")
    assert await axe_violations(tab) == [], f"accessibility problems on the audit {name} page"


async def test_an_auditor_reads_the_audit_and_downloads_the_summary(tab: Page, site: str, db: AsyncEngine) -> None:
    await _seed(db)
    await _sign_in(tab, site, "auditor1")
    await expect(tab.locator("h1")).to_have_text("Bias audit")
    assert tab.url.endswith("/admin/audit")
    await expect(tab.get_by_role("navigation", name="Console").get_by_role("link")).to_have_text(["Audit", "Requests"])
    await expect(tab.locator(".audit-summary")).to_contain_text("Applicants assessed40")
    await expect(tab.get_by_role("img", name="Rates by sex").first).to_be_visible()
    female = tab.get_by_role("table").filter(has_text="Sex").first.get_by_role("row", name="Female")
    await expect(female).to_be_visible()
    await _look(tab, "page")

    await tab.get_by_label("Requisition id (empty: all)").fill("6")
    await tab.get_by_role("button", name="Show").click()
    await expect(tab.locator(".audit-summary")).to_contain_text("Applicants assessed0")

    await tab.get_by_label("Requisition id (empty: all)").fill("5")
    await tab.get_by_role("button", name="Show").click()
    async with tab.expect_download() as waiting:
        await tab.get_by_role("link", name="Draft summary (PDF)").click()
    download = await waiting.value
    assert download.suggested_filename.endswith(".pdf")
    path = await download.path()
    assert path.read_bytes().startswith(b"%PDF")


async def test_a_recruiter_is_refused_the_audit(tab: Page, site: str, db: AsyncEngine) -> None:
    await _seed(db)
    await _sign_in(tab, site, "recruiter1")
    await expect(tab.locator("h1")).to_have_text("Dashboard")
    await expect(tab.get_by_role("navigation", name="Console").get_by_role("link", name="Audit")).to_have_count(0)
    response = await tab.goto(f"{site}/admin/audit")
    assert response is not None and response.status == 403
    await expect(tab.locator("h1")).to_have_text("Not allowed")
