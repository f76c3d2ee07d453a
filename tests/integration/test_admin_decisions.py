"""The decision section over real HTTP: who may record one, what the page shows, what a refusal says."""

from __future__ import annotations

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.services.users import create_account
from tests.integration import application_fixtures
from tests.integration.admin_fixtures import PASSWORD, AdminClient, csrf_token_in
from tests.integration.application_fixtures import StorageConsole, seed_application
from tests.integration.interview_fixtures import rows

console, recruiter = application_fixtures.console, application_fixtures.recruiter


async def _decide(client: AdminClient, application_id: int, **form: str) -> str:
    """POST the decision form, follow the redirect back, and return the page shown there."""
    response = await client.post(f"/admin/applications/{application_id}/decision", data=form)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/admin/applications/{application_id}#decision"
    page = await client.get(f"/admin/applications/{application_id}")
    assert page.status_code == 200
    return page.text


async def _decisions(db: AsyncEngine) -> list[tuple[str, str, str | None, str]]:
    found = await rows(db, "SELECT decision, reason_code, note, decided_by FROM decisions ORDER BY id")
    return [tuple(r) for r in found]  # type: ignore[misc]


async def test_a_recruiter_records_a_decision_and_sees_it_beside_the_recommendation(
    console: StorageConsole, recruiter: AdminClient
) -> None:
    seeded = await seed_application(console.db, status="complete", storage=console.storage)
    before = (await recruiter.get(f"/admin/applications/{seeded.application_id}")).text
    assert 'id="reason_code"' in before and "Missing required skill" in before
    assert "No decision recorded yet." in before

    page = await _decide(
        recruiter, seeded.application_id, decision="reject", reason_code="missing_required_skill", note="No SQL <b>"
    )
    assert "Decision recorded: Reject (missing required skill)." in page
    assert "Advance to on-site" in page  # the AI's recommendation is still shown
    assert "No SQL &lt;b&gt;" in page  # the note is shown as text
    assert await _decisions(console.db) == [
        ("reject", "missing_required_skill", "No SQL <b>", "console:recruiter-user")
    ]
    [job] = await rows(
        console.db, "SELECT job_type FROM queue_items WHERE application_id = :a", a=seeded.application_id
    )
    assert job.job_type == "generate_report"


async def test_a_decision_without_a_reason_is_refused_with_the_reason(
    console: StorageConsole, recruiter: AdminClient
) -> None:
    seeded = await seed_application(console.db, status="analyzed")
    page = await _decide(recruiter, seeded.application_id, decision="advance", reason_code="")
    assert "notice-error" in page and "Choose a reason from the list" in page
    assert await _decisions(console.db) == []


async def test_an_auditor_may_not_record_a_decision(console: StorageConsole) -> None:
    seeded = await seed_application(console.db, status="analyzed")
    await create_account(console.db, username="audrey", password=PASSWORD, role="auditor", actor="test")
    async with httpx.AsyncClient(base_url=console.url, follow_redirects=False, timeout=30) as http:
        login = await http.get("/admin/login")
        await http.post(
            "/admin/login",
            data={
                "username": "audrey",
                "password": PASSWORD,
                "csrf_token": csrf_token_in(login.text),
                "next": "/admin",
            },
        )
        # The page an auditor gets for an application (not allowed) still carries the session's token.
        page = await http.get(f"/admin/applications/{seeded.application_id}")
        assert page.status_code == 403 and 'id="reason_code"' not in page.text
        response = await http.post(
            f"/admin/applications/{seeded.application_id}/decision",
            data={"decision": "advance", "reason_code": "meets_requirements", "csrf_token": csrf_token_in(page.text)},
        )
    assert response.status_code == 403 and "cannot do this" in response.text
    assert await _decisions(console.db) == []


async def test_a_decision_without_the_csrf_token_is_refused(console: StorageConsole, recruiter: AdminClient) -> None:
    seeded = await seed_application(console.db, status="analyzed")
    forged = await recruiter.http.post(
        f"/admin/applications/{seeded.application_id}/decision",
        data={"decision": "advance", "reason_code": "meets_requirements"},
    )
    assert forged.status_code == 403
    assert await _decisions(console.db) == []


async def test_the_dashboard_counts_agreement_with_the_ai(console: StorageConsole, recruiter: AdminClient) -> None:
    seeded = await seed_application(console.db, status="complete")
    async with console.db.begin() as conn:
        await conn.execute(
            text("UPDATE evaluations SET recommendation = 'hire' WHERE application_id = :a"),
            {"a": seeded.application_id},
        )
    await _decide(recruiter, seeded.application_id, decision="reject", reason_code="position_filled")
    dashboard = (await recruiter.get("/admin")).text
    assert "People&#39;s decisions and the AI" in dashboard or "People's decisions and the AI" in dashboard
    assert 'data-figure="overruled-down">1' in dashboard
    assert 'data-figure="agreement">0 %' in dashboard
