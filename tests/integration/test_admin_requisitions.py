"""The console's requisition pages over HTTP: find a requisition, read it, change its settings, sync it now."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.applications import upsert_application
from airecruiter.db.requisitions import upsert_requisition
from airecruiter.queue.jobs import Priority
from airecruiter.queue.manager import QueueManager
from tests.integration import admin_fixtures
from tests.integration.admin_fixtures import AdminClient, Console

console = admin_fixtures.console
admin = admin_fixtures.admin
recruiter = admin_fixtures.recruiter

DESCRIPTION = (
    "<h2>About the role</h2><p>Own our <b>orders</b> service &amp; its PostgreSQL database.</p>"
    "<script>alert('stolen')</script><ul><li>Python</li><li>SQL</li></ul>"
    "<img src=x onerror=alert(1)>"
)


async def _requisition(
    db: AsyncEngine,
    external_id: str = "REQ-100",
    name: str = "Backend Engineer",
    description: str = DESCRIPTION,
    candidates: list[str] | None = None,
) -> int:
    async with db.begin() as conn:
        requisition = (
            await upsert_requisition(
                conn,
                external_id=external_id,
                name=name,
                detailed_description=description,
                recruiter_name="Riley Recruiter",
                workday_status="Open",
            )
        ).requisition
        for n, candidate in enumerate(candidates or []):
            await upsert_application(
                conn,
                application_id=None,
                requisition_id=requisition.id,
                external_application_id=f"{external_id}-JA-{n}",
                external_candidate_id=f"C-{n}",
                candidate_name=candidate,
                candidate_email=None,
                workday_status="Screen",
                workday_status_changed=None,
                artifacts=None,
            )
    return requisition.id


async def _many_requisitions(db: AsyncEngine, count: int) -> None:
    """`count` requisitions: every third inactive, every fourth auto-sending, every fifth closed."""
    async with db.begin() as conn:
        await conn.execute(
            text("""
            INSERT INTO requisitions (external_id, name, recruiter_name, workday_status, active, auto_send_interview)
            SELECT 'WD-' || lpad(g::text, 3, '0'), 'Role ' || lpad(g::text, 3, '0'), 'Recruiter ' || (g % 7),
                   CASE WHEN g % 5 = 0 THEN 'Closed' ELSE 'Open' END, g % 3 <> 0, g % 4 = 0
              FROM generate_series(1, :n) AS g"""),
            {"n": count},
        )
        # Role 007 gets the most applications, Role 002 a few.
        await conn.execute(
            text("""
            INSERT INTO applications (requisition_id, external_application_id, external_candidate_id, candidate_name)
            SELECT r.id, r.external_id || '-' || g, 'C-' || g, 'Candidate ' || g
              FROM requisitions r CROSS JOIN generate_series(1, 9) AS g
             WHERE r.external_id = 'WD-007' OR (r.external_id = 'WD-002' AND g <= 3)""")
        )


def _names(page: str) -> list[str]:
    return [html.unescape(n) for n in re.findall(r'<td><a href="/admin/requisitions/\d+">([^<]+)</a>', page)]


async def _state(db: AsyncEngine, requisition_id: int) -> dict[str, Any]:
    async with db.connect() as conn:
        row = (
            await conn.execute(
                text("""
            SELECT auto_send_interview, auto_send_on_status, lookback_hours, min_sync_interval_minutes, active
              FROM requisitions WHERE id = :id"""),
                {"id": requisition_id},
            )
        ).one()
        actions = (
            (
                await conn.execute(
                    text(
                        "SELECT action FROM activities WHERE requisition_id = :id"
                        " AND actor LIKE 'console:%' ORDER BY id"
                    ),
                    {"id": requisition_id},
                )
            )
            .scalars()
            .all()
        )
        items = (
            await conn.execute(
                text("SELECT priority, enqueued_by FROM queue_items WHERE requisition_id = :id"), {"id": requisition_id}
            )
        ).all()
    return {"settings": dict(row._mapping), "actions": list(actions), "queue": [tuple(i) for i in items]}


@contextmanager
def counting_queries(db: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements the engine runs inside the block."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.sync_engine, "before_cursor_execute", count)


# --- the list -----------------------------------------------------------------------------------


async def test_the_list_pages_through_requisitions_sorted_by_name(console: Console, admin: AdminClient) -> None:
    await _many_requisitions(console.db, 60)
    first = (await admin.get("/admin/requisitions")).text
    assert _names(first) == [f"Role {n:03d}" for n in range(1, 51)]
    assert "1–50 of 60" in first and 'href="?page=2" rel="next"' in first
    second = (await admin.get("/admin/requisitions?page=2")).text
    assert _names(second) == [f"Role {n:03d}" for n in range(51, 61)] and "51–60 of 60" in second
    descending = (await admin.get("/admin/requisitions?sort=-name")).text
    assert _names(descending)[:2] == ["Role 060", "Role 059"]
    by_applications = (await admin.get("/admin/requisitions?sort=-applications")).text
    assert _names(by_applications)[:2] == ["Role 007", "Role 002"]
    counted = r'Role 007</a>.*?<td class="num"><a href="/admin/applications\?requisition=\d+">9</a>'
    assert re.search(counted, by_applications, re.S)
    nonsense = await admin.get("/admin/requisitions?sort=drop table&page=abc")
    assert nonsense.status_code == 200 and _names(nonsense.text)[0] == "Role 001"


async def test_search_and_filters_narrow_the_list(console: Console, admin: AdminClient) -> None:
    await _many_requisitions(console.db, 60)

    async def names(query: str) -> list[str]:
        response = await admin.get(f"/admin/requisitions?{query}")
        assert response.status_code == 200
        return _names(response.text)

    assert await names("q=role+01") == [f"Role {n:03d}" for n in range(10, 20)]  # case-insensitive
    assert await names("q=wd-042") == ["Role 042"]  # the Workday id
    assert await names("q=%25") == []  # a wildcard is just a character
    inactive = await names("active=no")
    assert inactive == [f"Role {n:03d}" for n in range(3, 61, 3)]
    assert await names("active=yes&auto_send=on&status=Closed") == ["Role 020", "Role 040"]
    assert len(await names("auto_send=off")) == 45
    empty = (await admin.get("/admin/requisitions?q=nothing-like-this")).text
    assert "No requisition matches these filters." in empty


# --- one requisition ----------------------------------------------------------------------------


async def test_the_page_shows_the_description_as_text_and_candidates_escaped(
    console: Console,
    admin: AdminClient,
) -> None:
    requisition_id = await _requisition(console.db, candidates=["<script>alert(1)</script> Mallory", "Ada Lovelace"])
    page = await admin.get(f"/admin/requisitions/{requisition_id}")
    assert page.status_code == 200
    body = page.text
    description = re.search(r'<div class="prewrap req-description">(.*?)</div>', body, re.S)
    assert description is not None
    assert description.group(1) == (
        "About the role\n\nOwn our orders service &amp; its PostgreSQL database.\n\n• Python\n• SQL"
    )
    assert "<script>alert" not in body and "onerror" not in body and "<b>orders" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Mallory" in body
    assert re.search(r'href="/admin/applications/\d+">Ada Lovelace</a>', body)
    assert "Riley Recruiter" in body and "REQ-100" in body


async def test_the_page_pages_through_applications_with_a_fixed_number_of_queries(
    console: Console,
    admin: AdminClient,
) -> None:
    few = await _requisition(console.db, "REQ-FEW", candidates=["One", "Two"])
    many = await _requisition(console.db, "REQ-MANY", candidates=[f"Candidate {n:02d}" for n in range(30)])
    with counting_queries(console.db) as small:
        assert (await admin.get(f"/admin/requisitions/{few}")).status_code == 200
    with counting_queries(console.db) as large:
        first = (await admin.get(f"/admin/requisitions/{many}")).text
    assert len(small) == len(large) <= 8
    assert "1–25 of 30" in first and "Candidate 29" in first and "Candidate 04" not in first
    second = (await admin.get(f"/admin/requisitions/{many}?page=2")).text
    assert "26–30 of 30" in second and "Candidate 04" in second
    with counting_queries(console.db) as listing:
        await admin.get("/admin/requisitions")
    assert len(listing) <= 4


async def test_blind_education_is_on_by_default_and_an_admin_turns_it_off(console: Console, admin: AdminClient) -> None:
    requisition_id = await _requisition(console.db)
    page = await admin.get(f"/admin/requisitions/{requisition_id}")
    assert 'id="blind_education" name="blind_education" value="on" checked' in page.text

    saved = await admin.post(
        f"/admin/requisitions/{requisition_id}/settings", data={"min_sync_interval_minutes": "15", "active": "on"}
    )

    assert saved.status_code == 303
    async with console.db.connect() as conn:
        blind = await conn.scalar(
            text("SELECT blind_education FROM requisitions WHERE id = :id"), {"id": requisition_id}
        )
        details = await conn.scalar(
            text("SELECT details FROM activities WHERE action = 'requisition_settings_changed'")
        )
    assert blind is False and details == {"blind_education": {"from": True, "to": False}}
    page = await admin.get(f"/admin/requisitions/{requisition_id}")
    assert 'id="blind_education" name="blind_education" value="on" aria-describedby' in page.text


async def test_an_unknown_requisition_is_a_404_page(admin: AdminClient) -> None:
    response = await admin.get("/admin/requisitions/987654")
    assert response.status_code == 404 and "There is no requisition 987654" in response.text


# --- settings -----------------------------------------------------------------------------------


async def test_an_admin_changes_the_settings_and_the_change_is_logged(console: Console, admin: AdminClient) -> None:
    requisition_id = await _requisition(console.db)
    saved = await admin.post(
        f"/admin/requisitions/{requisition_id}/settings",
        data={
            "auto_send_interview": "on",
            "auto_send_on_status": " Phone Screen ",
            "lookback_hours": "48",
            "min_sync_interval_minutes": "5",
            "active": "on",
            "blind_education": "on",  # the form shows it checked: on by default
        },
    )
    assert saved.status_code == 303 and saved.headers["location"] == f"/admin/requisitions/{requisition_id}"
    state = await _state(console.db, requisition_id)
    assert state["settings"] == {
        "auto_send_interview": True,
        "auto_send_on_status": "Phone Screen",
        "lookback_hours": 48,
        "min_sync_interval_minutes": 5,
        "active": True,
    }
    assert state["actions"] == ["requisition_settings_changed"]
    async with console.db.connect() as conn:
        details = await conn.scalar(
            text("SELECT details FROM activities WHERE action = 'requisition_settings_changed'")
        )
    assert details == {
        "auto_send_interview": {"from": False, "to": True},
        "auto_send_on_status": {"from": None, "to": "Phone Screen"},
        "lookback_hours": {"from": None, "to": 48},
        "min_sync_interval_minutes": {"from": 15, "to": 5},
    }
    page = (await admin.get(saved.headers["location"])).text
    assert 'role="status">Saved.</div>' in page
    assert "once Workday shows “Phone Screen”" in page and "48 h" in page and "5 min" in page
    assert "auto send interview: False → True" in page  # the activity entry
    # Switching auto-send off and blanking the lookback goes back to the defaults.
    await admin.post(
        f"/admin/requisitions/{requisition_id}/settings",
        data={"auto_send_on_status": "", "lookback_hours": "", "min_sync_interval_minutes": "5", "active": "on"},
    )
    state = await _state(console.db, requisition_id)
    assert state["settings"]["auto_send_interview"] is False and state["settings"]["lookback_hours"] is None
    assert state["settings"]["auto_send_on_status"] is None


async def test_saving_unchanged_settings_logs_nothing(console: Console, admin: AdminClient) -> None:
    requisition_id = await _requisition(console.db)
    saved = await admin.post(
        f"/admin/requisitions/{requisition_id}/settings",
        data={"lookback_hours": "", "min_sync_interval_minutes": "15", "active": "on", "blind_education": "on"},
    )
    assert saved.status_code == 303
    assert (await _state(console.db, requisition_id))["actions"] == []
    assert "Saved. Nothing had changed." in (await admin.get(saved.headers["location"])).text


async def test_invalid_settings_are_refused_with_a_sentence_and_nothing_is_saved(
    console: Console,
    admin: AdminClient,
) -> None:
    requisition_id = await _requisition(console.db)
    before = await _state(console.db, requisition_id)
    cases = [
        ({"lookback_hours": "0", "min_sync_interval_minutes": "15"}, "Lookback hours must be a whole number from 1"),
        ({"lookback_hours": "721", "min_sync_interval_minutes": "15"}, "or blank to use the default of 24"),
        ({"lookback_hours": "2.5", "min_sync_interval_minutes": "15"}, "Lookback hours must be a whole number"),
        ({"min_sync_interval_minutes": "1441"}, "minimum sync interval must be a whole number of minutes from 0"),
        ({"min_sync_interval_minutes": ""}, "minimum sync interval must be a whole number"),
        ({"min_sync_interval_minutes": "15", "auto_send_on_status": "x" * 201}, "longer than 200 characters"),
    ]
    for fields, sentence in cases:
        refused = await admin.post(
            f"/admin/requisitions/{requisition_id}/settings",
            data={"auto_send_interview": "on", "active": "on", **fields},
        )
        assert refused.status_code == 422, fields
        assert sentence in refused.text and "Nothing was saved." in refused.text
        assert 'aria-invalid="true"' in refused.text
        # The form shows what was typed, so it can be corrected rather than retyped.
        assert 'id="auto_send_interview" name="auto_send_interview" value="on" checked' in refused.text
    assert await _state(console.db, requisition_id) == before


async def test_a_recruiter_can_read_but_not_change_settings_or_sync(
    console: Console,
    recruiter: AdminClient,
) -> None:
    requisition_id = await _requisition(console.db)
    before = await _state(console.db, requisition_id)
    page = (await recruiter.get(f"/admin/requisitions/{requisition_id}")).text
    assert "Only an admin can change these settings" in page
    assert "/settings" not in page and "Sync now" not in page
    changed = await recruiter.post(
        f"/admin/requisitions/{requisition_id}/settings",
        data={"auto_send_interview": "on", "min_sync_interval_minutes": "1", "active": "on"},
    )
    synced = await recruiter.post(f"/admin/requisitions/{requisition_id}/sync")
    assert changed.status_code == synced.status_code == 403
    assert "Your role (recruiter) cannot do this." in changed.text
    assert await _state(console.db, requisition_id) == before


async def test_a_post_without_the_csrf_token_changes_nothing(console: Console, admin: AdminClient) -> None:
    requisition_id = await _requisition(console.db)
    before = await _state(console.db, requisition_id)
    for path, data in (
        (
            f"/admin/requisitions/{requisition_id}/settings",
            {"auto_send_interview": "on", "min_sync_interval_minutes": "1", "active": "on"},
        ),
        (f"/admin/requisitions/{requisition_id}/sync", {}),
    ):
        refused = await admin.http.post(path, data=data)
        assert refused.status_code == 403 and "did not come from this console" in refused.text
    assert await _state(console.db, requisition_id) == before


async def test_anonymous_visitors_are_sent_to_sign_in(console: Console) -> None:
    requisition_id = await _requisition(console.db)
    async with httpx.AsyncClient(base_url=console.url, follow_redirects=False) as http:
        for response in (
            await http.get("/admin/requisitions?q=x"),
            await http.get(f"/admin/requisitions/{requisition_id}"),
            await http.post(f"/admin/requisitions/{requisition_id}/sync"),
        ):
            assert response.status_code == 303 and response.headers["location"].startswith("/admin/login?next=")
    assert (await _state(console.db, requisition_id))["queue"] == []


# --- sync now -----------------------------------------------------------------------------------


async def test_sync_now_queues_one_manual_sync_and_a_second_click_adds_none(
    console: Console,
    admin: AdminClient,
) -> None:
    requisition_id = await _requisition(console.db)
    first = await admin.post(f"/admin/requisitions/{requisition_id}/sync")
    assert first.status_code == 303
    page = (await admin.get(first.headers["location"])).text
    assert "Sync queued with manual priority" in page
    assert 'is <span class="badge badge-pending">pending</span> with manual priority' in page
    second = await admin.post(f"/admin/requisitions/{requisition_id}/sync")
    assert "already queued or running" in (await admin.get(second.headers["location"])).text
    state = await _state(console.db, requisition_id)
    assert state["queue"] == [(int(Priority.MANUAL), "console:admin-user")]
    assert state["actions"] == ["sync_requested", "sync_requested"]


async def test_sync_now_lifts_a_scheduled_sync_instead_of_adding_one(console: Console, admin: AdminClient) -> None:
    requisition_id = await _requisition(console.db)
    await QueueManager(console.db).enqueue("sync", requisition_id=requisition_id, enqueued_by="scheduler:test")
    lifted = await admin.post(f"/admin/requisitions/{requisition_id}/sync")
    assert "it now has manual priority" in (await admin.get(lifted.headers["location"])).text
    assert (await _state(console.db, requisition_id))["queue"] == [(int(Priority.MANUAL), "console:admin-user")]


async def test_an_inactive_requisition_is_not_synced(console: Console, admin: AdminClient) -> None:
    requisition_id = await _requisition(console.db)
    await admin.post(f"/admin/requisitions/{requisition_id}/settings", data={"min_sync_interval_minutes": "15"})
    refused = await admin.post(f"/admin/requisitions/{requisition_id}/sync")
    assert refused.status_code == 303
    page = (await admin.get(refused.headers["location"])).text
    assert 'role="alert">This requisition is inactive, so it is not synced.' in page
    assert (await _state(console.db, requisition_id))["queue"] == []


async def test_every_link_on_a_requisitions_page_leads_to_a_console_page(console: Console, admin: AdminClient) -> None:
    requisition_id = await _requisition(console.db, candidates=["Ada Lovelace"])
    await admin.post(f"/admin/requisitions/{requisition_id}/sync")
    for path in ("/admin/requisitions", f"/admin/requisitions/{requisition_id}"):
        page = (await admin.get(path)).text
        links = {html.unescape(href) for href in re.findall(r'href="(/admin[^"#]*)"', page)}
        assert any(link.startswith("/admin/applications") for link in links)
        for href in sorted(links):
            assert (await admin.get(href)).status_code == 200, href


async def test_an_admin_sets_the_notice_period_and_posting_date_and_wrong_values_are_refused(
    console: Console, admin: AdminClient
) -> None:
    requisition_id = await _requisition(console.db)
    base = {"min_sync_interval_minutes": "15", "active": "on", "blind_education": "on"}
    page = (await admin.get(f"/admin/requisitions/{requisition_id}")).text
    assert 'id="notice_period_days" name="notice_period_days" value="0"' in page  # off by default
    for fields, sentence in [
        ({"notice_period_days": "61"}, "from 0 to 60"),
        ({"notice_period_days": "-1"}, "from 0 to 60"),
        ({"notice_period_days": "ten"}, "whole number of business days"),
        ({"notice_period_days": "10", "notice_given_on": "2999-01-01"}, "is in the future"),
        ({"notice_period_days": "10", "notice_given_on": "12/01/2026"}, "YYYY-MM-DD"),
    ]:
        refused = await admin.post(f"/admin/requisitions/{requisition_id}/settings", data={**base, **fields})
        assert refused.status_code == 422, fields
        assert sentence in refused.text and "Nothing was saved." in refused.text
    saved = await admin.post(
        f"/admin/requisitions/{requisition_id}/settings",
        data={**base, "notice_period_days": "10", "notice_given_on": "2026-01-05"},
    )
    assert saved.status_code == 303
    async with console.db.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT notice_period_days, notice_given_on::text FROM requisitions WHERE id = :id"),
                {"id": requisition_id},
            )
        ).one()
        details = await conn.scalar(
            text("SELECT details FROM activities WHERE action = 'requisition_settings_changed'")
        )
    assert tuple(row) == (10, "2026-01-05")
    assert details == {
        "notice_period_days": {"from": 0, "to": 10},
        "notice_given_on": {"from": None, "to": "2026-01-05"},
    }
    page = (await admin.get(f"/admin/requisitions/{requisition_id}")).text
    assert 'name="notice_given_on" value="2026-01-05"' in page
    assert "10 business days before any AI step, counted from the job posting of 2026-01-05" in page
