"""The console's activity log over HTTP: filters, paging through a long log, escaped details."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from typing import Any

from sqlalchemy import text

from tests.conftest import make_requisitions
from tests.integration.admin_fixtures import AdminClient, Console

ROW = re.compile(r"<tr>\s*<td><time datetime=\"([^\"]+)\">")


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


async def _log(console: Console, occurred_at: str, action: str, **fields: Any) -> None:
    """Append one entry as if it had happened at `occurred_at` (UTC)."""
    async with console.db.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO activities (occurred_at, actor, action, requisition_id, application_id, details)"
                " VALUES (:at, :actor, :action, :req, :app, CAST(:details AS jsonb))"
            ),
            {
                "at": datetime.fromisoformat(occurred_at),
                "actor": fields.get("actor", "system"),
                "action": action,
                "req": fields.get("requisition_id"),
                "app": fields.get("application_id"),
                "details": json.dumps(fields.get("details", {})),
            },
        )


def _shown_times(page: str) -> list[str]:
    return ROW.findall(page)


async def test_the_log_filters_by_requisition_application_action_actor_and_day(
    console: Console,
    admin: AdminClient,
) -> None:
    first, second = await make_requisitions(console.db, 2)
    application = 77  # the log keeps ids, not references: an application may be gone
    await _log(console, "2024-05-01 09:00Z", "requisition_synced", requisition_id=first)
    await _log(
        console,
        "2024-05-02 10:00Z",
        "application_analyzed",
        requisition_id=first,
        application_id=application,
        actor="processor:analyze",
    )
    await _log(console, "2024-05-03 11:00Z", "requisition_synced", requisition_id=second)
    await _log(console, "2024-05-03 23:59Z", "queue_item_retried", actor="console:alice")
    await _log(console, "2024-05-04 00:00Z", "prompt_activated", actor="console:bob")

    async def times(query: str) -> list[str]:
        page = await admin.get(f"/admin/activity?{query}")
        assert page.status_code == 200, page.text
        # Signing in the admin wrote entries of its own, today: keep to the days this test wrote.
        return [t[:16] for t in _shown_times(page.text) if t.startswith("2024-")]

    assert await times("") == [
        "2024-05-04T00:00",
        "2024-05-03T23:59",
        "2024-05-03T11:00",
        "2024-05-02T10:00",
        "2024-05-01T09:00",
    ]
    assert await times(f"requisition_id={first}") == ["2024-05-02T10:00", "2024-05-01T09:00"]
    assert await times(f"application_id={application}") == ["2024-05-02T10:00"]
    assert await times("action=requisition_synced") == ["2024-05-03T11:00", "2024-05-01T09:00"]
    assert await times("actor=alice") == await times("actor=console:alice") == ["2024-05-03T23:59"]
    assert await times("actor=processor:analyze") == ["2024-05-02T10:00"]
    assert await times("actor=ali") == []
    assert await times("from=2024-05-02&to=2024-05-03") == ["2024-05-03T23:59", "2024-05-03T11:00", "2024-05-02T10:00"]
    assert await times("from=2024-05-04") == ["2024-05-04T00:00"]
    assert await times("requisition_id=&application_id=&action=&actor=&from=&to=&page=") != []

    page = await admin.get(f"/admin/activity?application_id={application}")
    assert f'href="/admin/applications/{application}"' in page.text
    assert f'href="/admin/requisitions/{first}"' in page.text
    assert '<option value="requisition_synced">' in page.text  # every known action is offered


async def test_bad_filters_get_a_sentence_and_no_rows(console: Console, admin: AdminClient) -> None:
    await _log(console, "2024-05-01 09:00Z", "requisition_synced")
    for query, sentence in (
        ("from=yesterday", "The from date must look like 2024-05-31"),
        ("from=2024-05-03&to=2024-05-01", "The “to” date is before the “from” date"),
        ("requisition_id=-3", "The requisition id must be a whole number"),
    ):
        page = await admin.get(f"/admin/activity?{query}")
        assert page.status_code == 422
        assert sentence in _text(page.text) and _shown_times(page.text) == []


async def test_a_long_log_pages_newest_first(console: Console, admin: AdminClient) -> None:
    async with console.db.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO activities (occurred_at, actor, action, details)"
                " SELECT TIMESTAMPTZ '2024-01-01 00:00Z' + g * INTERVAL '1 minute', 'system', 'tick',"
                " jsonb_build_object('n', g) FROM generate_series(1, 120) AS g"
            )
        )
    first = await admin.get("/admin/activity?action=tick")
    shown = _text(first.text)
    assert "1–50 of 120" in shown and "n: 120" in shown and "n: 71" in shown and "n: 70" not in shown
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    third = await admin.get("/admin/activity?action=tick&page=3")
    assert "101–120 of 120" in _text(third.text) and len(_shown_times(third.text)) == 20
    assert 'rel="next"' not in third.text and 'href="?action=tick&amp;page=2"' in third.text
    times = _shown_times(first.text)
    assert times == sorted(times, reverse=True)
    beyond = await admin.get("/admin/activity?action=tick&page=9")
    assert "There are no entries this far back." in beyond.text


async def test_past_ten_thousand_entries_the_count_says_so_instead_of_counting_on(
    console: Console,
    admin: AdminClient,
) -> None:
    async with console.db.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO activities (occurred_at, actor, action)"
                " SELECT TIMESTAMPTZ '2024-01-01 00:00Z' + g * INTERVAL '1 second', 'system', 'tick'"
                " FROM generate_series(1, 10050) AS g"
            )
        )
    page = await admin.get("/admin/activity?action=tick&page=2")
    assert "51–100 of 10,000+" in _text(page.text)
    assert 'rel="next"' in page.text


async def test_details_are_shown_as_escaped_key_value_text(console: Console, recruiter: AdminClient) -> None:
    await _log(
        console,
        "2024-05-01 09:00Z",
        "candidate_note",
        actor="<b>mallory</b>",
        details={"note": "<script>alert('x')</script>", "scores": {"fit": 4}},
    )
    page = await recruiter.get("/admin/activity")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<b>mallory" not in page.text
    assert "note: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;; scores: {&#34;fit&#34;: 4}" in page.text
    assert "&lt;b&gt;mallory&lt;/b&gt;" in page.text
