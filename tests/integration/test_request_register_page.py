"""The request register page: admins and auditors see every request, overdue marked; admins close them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.request_register import record_request
from airecruiter.services.users import create_account
from tests.integration.admin_fixtures import PASSWORD, AdminClient, Console, csrf_token_in
from tests.integration.application_fixtures import seed_application

LONG_AGO = dt.datetime(2020, 1, 6, 9, tzinfo=dt.UTC)


async def _sign_in_auditor(console: Console) -> AdminClient:
    """An auditor signed in through the login form (the dashboard is not theirs, the register is)."""
    await create_account(console.db, username="audrey", password=PASSWORD, role="auditor", actor="test")
    http = httpx.AsyncClient(base_url=console.url, follow_redirects=False, timeout=30)
    page = await http.get("/admin/login")
    signed = await http.post(
        "/admin/login",
        data={"username": "audrey", "password": PASSWORD, "csrf_token": csrf_token_in(page.text), "next": "/admin"},
    )
    assert signed.status_code == 303, signed.text
    register = await http.get("/admin/requests")
    assert register.status_code == 200, register.text
    return AdminClient(http, csrf_token_in(register.text), "audrey")


@pytest.fixture
async def auditor(console: Console) -> AsyncIterator[AdminClient]:
    """A signed-in auditor."""
    client = await _sign_in_auditor(console)
    yield client
    await client.aclose()


async def _requests(db: AsyncEngine) -> dict[str, int]:
    """An overdue accommodation, a fresh human review, a done access request; returns their ids."""
    seeded = await seed_application(db, name="Reg Ister", status="analyzed")
    async with db.begin() as conn:
        overdue = await record_request(
            conn,
            kind="accommodation",
            application_id=seeded.application_id,
            request_text='=HYPERLINK("http://evil.test") extra time please',
            received_at=LONG_AGO,
        )
        fresh = await record_request(conn, kind="human_review", application_id=seeded.application_id)
        done = await record_request(
            conn, kind="access", application_id=seeded.application_id, status="done", handled_by="cli"
        )
    return {"overdue": overdue, "fresh": fresh, "done": done, "application": seeded.application_id}


def _row(html: str, request_id: int) -> str:
    start = html.index(f'id="request-{request_id}"')
    return html[start : html.index("</tr>", start)]


async def test_an_admin_sees_every_request_with_due_date_overdue_marked_and_the_request_text(
    admin: AdminClient, console: Console
) -> None:
    ids = await _requests(console.db)

    page = await admin.get("/admin/requests")

    assert page.status_code == 200
    assert 'href="/admin/requests"' in page.text  # the nav link
    overdue = _row(page.text, ids["overdue"])
    assert 'class="overdue"' in overdue and "overdue</span>" in overdue and "2020-02-06" in overdue
    assert "extra time please" in overdue
    fresh = _row(page.text, ids["fresh"])
    assert "overdue" not in fresh and "A person instead of the AI" in fresh
    done = _row(page.text, ids["done"])
    assert "cli" in done and "closed" in done


async def test_the_register_filters_by_kind_and_status(admin: AdminClient, console: Console) -> None:
    ids = await _requests(console.db)

    open_only = await admin.get("/admin/requests", params={"status": "open"})
    access_only = await admin.get("/admin/requests", params={"kind": "access"})

    assert f'id="request-{ids["done"]}"' not in open_only.text
    assert f'id="request-{ids["overdue"]}"' in open_only.text and f'id="request-{ids["fresh"]}"' in open_only.text
    assert f'id="request-{ids["done"]}"' in access_only.text and f'id="request-{ids["fresh"]}"' not in access_only.text


async def test_the_csv_holds_the_register_with_formulas_neutralised(admin: AdminClient, console: Console) -> None:
    ids = await _requests(console.db)

    answer = await admin.get("/admin/requests.csv")

    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(answer.text))}
    assert rows[str(ids["overdue"])]["overdue"] == "yes" and rows[str(ids["fresh"])]["overdue"] == "no"
    assert rows[str(ids["overdue"])]["request_text"].startswith("'=HYPERLINK")
    assert rows[str(ids["done"])]["handled_by"] == "cli"


async def test_an_admin_closes_an_open_request_with_a_note_and_who_did_it_is_recorded(
    admin: AdminClient, console: Console
) -> None:
    ids = await _requests(console.db)

    closed = await admin.post(f"/admin/requests/{ids['fresh']}/close", {"status": "done", "note": "Rita reviews it"})
    again = await admin.post(f"/admin/requests/{ids['fresh']}/close", {"status": "refused", "note": "no"})
    unexplained = await admin.post(f"/admin/requests/{ids['overdue']}/close", {"status": "refused", "note": " "})

    assert closed.status_code == again.status_code == unexplained.status_code == 303
    async with console.db.connect() as conn:
        fresh = (
            await conn.execute(text("SELECT * FROM candidate_requests WHERE id = :id"), {"id": ids["fresh"]})
        ).one()
        overdue_status = await conn.scalar(
            text("SELECT status FROM candidate_requests WHERE id = :id"), {"id": ids["overdue"]}
        )
        logged = await conn.scalar(text("SELECT details FROM activities WHERE action = 'candidate_request_closed'"))
    assert (fresh.status, fresh.handled_by, fresh.outcome) == (
        "done",
        "console:admin-user",
        {"note": "Rita reviews it"},
    )
    assert overdue_status == "open"  # a refusal needs its reason
    assert logged == {"request_id": ids["fresh"], "kind": "human_review", "status": "done"}
    page = await admin.get("/admin/requests")
    assert "Rita reviews it" in _row(page.text, ids["fresh"])


async def test_an_auditor_sees_the_register_without_request_texts_and_no_candidate_page(
    auditor: AdminClient, console: Console
) -> None:
    ids = await _requests(console.db)

    page = await auditor.get("/admin/requests")
    report = await auditor.get("/admin/requests.csv")
    candidate_page = await auditor.get(f"/admin/applications/{ids['application']}")
    close = await auditor.post(f"/admin/requests/{ids['fresh']}/close", {"status": "done", "note": ""})

    assert page.status_code == 200 and f'id="request-{ids["overdue"]}"' in page.text
    assert 'href="/admin/requests"' in page.text
    assert "extra time please" not in page.text and "/close" not in page.text
    assert "extra time please" not in report.text and "request_text" not in report.text.splitlines()[0]
    assert candidate_page.status_code == 403
    assert close.status_code == 403


async def test_a_recruiter_cannot_open_the_register(recruiter: AdminClient) -> None:
    assert (await recruiter.get("/admin/requests")).status_code == 403
    assert (await recruiter.get("/admin/requests.csv")).status_code == 403
