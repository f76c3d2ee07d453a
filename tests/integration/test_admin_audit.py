"""The bias audit in the console: auditors and admins see it and export it, recruiters are refused."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pypdfium2
from sqlalchemy import text

from tests.integration.admin_fixtures import AdminClient, Console, sign_in

_INSERT = text("""
    INSERT INTO outcomes (application_id, requisition_id, applied_month, scored_on, resume_risk, analysis_model,
                          analysis_prompt_version, overall_score, ai_recommendation, interview_state, sex,
                          race_ethnicity, workday_decision, console_decision)
    VALUES (:id, 5, date_trunc('month', CAST(:day AS date)), :day, :risk, 'offline', 2, :overall, :rec,
            'completed', :sex, :race, :workday, :console)
""")


async def _outcomes(console: Console) -> None:
    today = datetime.now(UTC).date()
    async with console.db.begin() as conn:
        for i in range(12):
            female = i % 2 == 1
            await conn.execute(
                _INSERT,
                {
                    "id": 500 + i,
                    "day": today,
                    "risk": 0.05 * i,
                    "overall": float(i % 7),
                    "rec": "hire" if (not female or i in (1, 5)) else "no_hire",
                    "sex": "Female" if female else "Male",
                    "race": "Asian" if i < 6 else "unknown",
                    "workday": "advanced" if i % 3 == 0 else "rejected",
                    "console": "reject" if female else "advance",
                },
            )


def _pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def _nav(html: str) -> list[str]:
    nav = html.split('<nav aria-label="Console">', 1)[1].split("</nav>", 1)[0]
    return re.findall(r">([^<>]+)</a>", nav)


async def _audit_actions(console: Console) -> list[str]:
    async with console.db.connect() as conn:
        result = await conn.execute(
            text("SELECT details->>'format' FROM activities WHERE action = 'bias_audit_viewed' ORDER BY id")
        )
        return [str(v) for v in result.scalars()]


async def test_an_auditor_lands_on_the_audit_sees_only_it_and_exports_it(console: Console) -> None:
    await _outcomes(console)
    auditor = await sign_in(console, "auditor")
    try:
        landing = await auditor.get("/admin")
        assert (landing.status_code, landing.headers["location"]) == (303, "/admin/audit")
        page = await auditor.get("/admin/audit")
        assert page.status_code == 200
        assert _nav(page.text) == ["Audit", "Requests"]
        assert "Applicants assessed</dt><dd>12</dd>" in page.text
        assert "under 0.80" in page.text  # women selected at 2/6 against men's 6/6
        assert page.text.count('<svg class="audit-chart"') >= 3
        cells = " ".join(re.sub(r"<[^>]+>", " ", page.text.split("Human decision · Sex", 1)[1]).split())
        # Workday advanced 2 of 6 of each; the console advanced every man and no woman: the second column.
        assert cells.startswith("Workday Console Category Decided Advanced Impact ratio Decided Advance Impact ratio")
        assert "Male 6 33.3 % 1.00 6 100.0 % 1.00 Female 6 33.3 % 1.00 6 0.0 % 0.00 under 0.80" in cells
        for denied in ("/admin/applications", "/admin/queue", "/admin/requisitions"):
            assert (await auditor.get(denied)).status_code == 403
        exported = await auditor.get("/admin/audit/export.csv")
        assert exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        female = next(r for r in rows if r["measure"] == "ai_selection" and r["category"] == "Female")
        assert (female["applicants"], female["rate_percent"], female["impact_ratio"]) == ("6", "33.3", "0.33")
        pdf = await auditor.get("/admin/audit/export.pdf")
        assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["content-disposition"]
        dated = await auditor.get("/admin/audit/export.pdf", params={"distribution_date": "2026-06-30"})
        assert "Distribution date 2026-06-30" in " ".join(_pdf_text(dated.content).split())
        assert (await auditor.get("/admin/audit/export.json")).json()["assessed"] == 12
        assert (await auditor.get("/admin/audit/export.xml")).status_code == 400
        bad = await auditor.get("/admin/audit", params={"from": "2026-05-01", "to": "2026-04-01"})
        assert bad.status_code == 400 and "before the “from” date" in bad.text
    finally:
        await auditor.aclose()
    assert await _audit_actions(console) == ["page", "page", "csv", "pdf", "pdf", "json"]  # signing in showed it once


async def test_a_recruiter_is_refused_the_audit_and_does_not_see_it_in_the_nav(
    console: Console, recruiter: AdminClient
) -> None:
    await _outcomes(console)
    assert "Audit" not in _nav((await recruiter.get("/admin")).text)
    for path in ("/admin/audit", "/admin/audit/export.csv", "/admin/audit/export.pdf"):
        response = await recruiter.get(path)
        assert response.status_code == 403, path
        assert "Asian" not in response.text
    assert await _audit_actions(console) == []


async def test_an_admin_sees_the_audit_beside_everything_else(console: Console, admin: AdminClient) -> None:
    assert _nav((await admin.get("/admin")).text)[-3:] == ["Audit", "Requests", "Sessions"]
    page = await admin.get("/admin/audit", params={"requisition_id": "5"})
    assert page.status_code == 200 and "No application was scored in this range." in page.text
