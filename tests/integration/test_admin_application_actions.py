"""The recruiter's actions on an application over real HTTP: what gets queued, logged, or refused and why."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.queue.jobs import Priority
from tests.integration import application_fixtures
from tests.integration.admin_fixtures import AdminClient, sign_in
from tests.integration.application_fixtures import StorageConsole, seed_application
from tests.integration.interview_fixtures import rows

# The console whose storage these tests can see (application_fixtures), not admin_fixtures' one.
console, admin, recruiter = application_fixtures.console, application_fixtures.admin, application_fixtures.recruiter


async def queued(db: AsyncEngine) -> list[Any]:
    """Every queue item, oldest first."""
    return await rows(db, "SELECT job_type, application_id, priority, enqueued_by FROM queue_items ORDER BY id")


async def logged(db: AsyncEngine, application_id: int, action: str) -> list[Any]:
    """Activity entries of one action for the application."""
    return await rows(
        db,
        "SELECT actor, queue_item_id, details FROM activities WHERE application_id = :a AND action = :x ORDER BY id",
        a=application_id,
        x=action,
    )


async def act(client: AdminClient, application_id: int, action: str) -> str:
    """POST the action's form, follow the redirect back, and return the notice shown there."""
    response = await client.post(f"/admin/applications/{application_id}/{action}")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/admin/applications/{application_id}"
    page = await client.get(response.headers["location"])
    assert page.status_code == 200
    start = page.text.index('class="notice')
    return page.text[start : page.text.index("</div>", start)]


@pytest.mark.parametrize(
    ("action", "status", "job_type", "logged_as", "role"),
    [
        ("send-interview", "analyzed", "send_interview", "interview_requested", "recruiter"),
        ("regenerate-report", "complete", "generate_report", "report_requested", "recruiter"),
        ("reanalyze", "interview_pending", "analyze", "reanalysis_requested", "admin"),
    ],
)
async def test_each_action_queues_one_manual_job_and_logs_who_asked(
    console: StorageConsole,
    action: str,
    status: str,
    job_type: str,
    logged_as: str,
    role: str,
) -> None:
    seeded = await seed_application(console.db, status=status)
    client = await sign_in(console, role)
    try:
        notice = await act(client, seeded.application_id, action)
    finally:
        await client.aclose()
    assert "notice-ok" in notice and "queued" in notice
    [item] = await queued(console.db)
    assert (item.job_type, item.application_id, item.priority) == (
        job_type,
        seeded.application_id,
        int(Priority.MANUAL),
    )
    assert item.enqueued_by == f"console:{role}-user"
    [entry] = await logged(console.db, seeded.application_id, logged_as)
    assert entry.actor == f"console:{role}-user"
    assert entry.details["job_type"] == job_type and entry.details["status"] == status


async def test_asking_twice_queues_nothing_more(console: StorageConsole, recruiter: AdminClient) -> None:
    seeded = await seed_application(console.db, status="complete")
    await act(recruiter, seeded.application_id, "regenerate-report")
    notice = await act(recruiter, seeded.application_id, "regenerate-report")
    assert "already waiting" in notice
    assert len(await queued(console.db)) == 1


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ({"status": "new"}, "has not been analysed yet"),
        ({"status": "interview_pending", "interview_status": "scheduled"}, "has been invited already"),
        ({"status": "interview_pending", "interview_status": "in_progress"}, "is taking the interview now"),
        ({"status": "interview_complete"}, "has completed the interview"),
        ({"status": "analyzed", "workday_inactive": True}, "rejected, withdrawn or do-not-hire"),
        ({"status": "analyzed", "email": None}, "no email address"),
    ],
)
async def test_an_interview_that_cannot_be_sent_now_says_why_and_queues_nothing(
    console: StorageConsole,
    recruiter: AdminClient,
    seed: dict[str, Any],
    expected: str,
) -> None:
    seeded = await seed_application(console.db, **seed)
    notice = await act(recruiter, seeded.application_id, "send-interview")
    assert "notice-error" in notice and expected in notice
    assert await queued(console.db) == []
    assert await logged(console.db, seeded.application_id, "interview_requested") == []


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ({"status": "new"}, "has not been analysed yet"),
        ({"status": "interview_pending", "interview_status": "scheduled"}, "open interview invitation"),
        ({"status": "interview_pending", "interview_status": "completed"}, "being evaluated"),
    ],
)
async def test_a_report_that_cannot_be_made_now_says_why_and_queues_nothing(
    console: StorageConsole,
    recruiter: AdminClient,
    seed: dict[str, Any],
    expected: str,
) -> None:
    seeded = await seed_application(console.db, **seed)
    notice = await act(recruiter, seeded.application_id, "regenerate-report")
    assert "notice-error" in notice and expected in notice
    assert await queued(console.db) == []


async def test_an_analysed_application_gets_an_analysis_only_report(
    console: StorageConsole,
    recruiter: AdminClient,
) -> None:
    seeded = await seed_application(console.db, status="analyzed")
    notice = await act(recruiter, seeded.application_id, "regenerate-report")
    assert "analysis-only report is queued" in notice
    assert [i.job_type for i in await queued(console.db)] == ["generate_report"]


async def test_a_recruiter_cannot_reanalyze(console: StorageConsole, recruiter: AdminClient) -> None:
    seeded = await seed_application(console.db, status="analyzed")
    response = await recruiter.post(f"/admin/applications/{seeded.application_id}/reanalyze")
    assert response.status_code == 403 and "cannot do this" in response.text
    assert await queued(console.db) == []
    assert await logged(console.db, seeded.application_id, "reanalysis_requested") == []


async def test_a_form_without_the_csrf_token_is_refused(console: StorageConsole, admin: AdminClient) -> None:
    seeded = await seed_application(console.db, status="analyzed")
    for action in ("send-interview", "regenerate-report", "reanalyze"):
        response = await admin.http.post(f"/admin/applications/{seeded.application_id}/{action}", data={})
        assert response.status_code == 403, action
        forged = await admin.http.post(
            f"/admin/applications/{seeded.application_id}/{action}", data={"csrf_token": "forged"}
        )
        assert forged.status_code == 403, action
    assert await queued(console.db) == []
    assert (
        await rows(
            console.db,
            "SELECT 1 FROM activities WHERE application_id = :a AND action LIKE '%requested'",
            a=seeded.application_id,
        )
        == []
    )


async def test_an_action_on_an_unknown_application_is_a_404_page(admin: AdminClient, console: StorageConsole) -> None:
    response = await admin.post("/admin/applications/424242/send-interview")
    assert response.status_code == 404 and "There is no application 424242" in response.text
    assert await queued(console.db) == []


async def test_send_interview_now_is_offered_only_when_it_can_work(
    console: StorageConsole, recruiter: AdminClient
) -> None:
    waiting = await seed_application(console.db, status="analyzed")
    done = await seed_application(console.db, status="complete", storage=console.storage)
    offered = await recruiter.get(f"/admin/applications/{waiting.application_id}")
    assert "Send interview now" in offered.text
    finished = await recruiter.get(f"/admin/applications/{done.application_id}")
    assert "Send interview now" not in finished.text and "Regenerate report" in finished.text
