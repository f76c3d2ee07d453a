"""The console's dashboard over HTTP: what an operator reads there after the pipeline has done some work."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.bootstrap.workday import connect_workday
from airecruiter.config import load_settings
from airecruiter.errors import ValidationError
from airecruiter.queue.manager import QueueManager
from airecruiter.web.app import create_app
from tests.integration import admin_fixtures
from tests.integration.admin_fixtures import AdminClient, Console, sign_in
from tests.integration.interview_fixtures import runtime_for, serving

console = admin_fixtures.console
admin = admin_fixtures.admin


async def _seed(db: AsyncEngine) -> None:
    """Two open requisitions and a closed one, nine applications, six queue items, a day of job history."""
    now = datetime.now(UTC)
    async with db.begin() as conn:
        await conn.execute(
            text("""
            INSERT INTO requisitions (external_id, name, workday_status, active) VALUES
              ('REQ-1', 'Backend Engineer', 'Open', true), ('REQ-2', 'Designer', 'Open', true),
              ('REQ-3', 'Old role', 'Closed', true), ('REQ-4', 'Paused role', 'Open', false)""")
        )
        await conn.execute(
            text("""
            INSERT INTO applications (requisition_id, external_application_id, external_candidate_id,
                                      candidate_name, status, created_at)
            SELECT 1, 'JA-' || g, 'C-' || g, 'Candidate ' || g, s.status, s.created_at
              FROM (VALUES (1, 'new', now()), (2, 'new', now()), (3, 'new', now()),
                           (4, 'analyzed', now()), (5, 'analyzed', now()),
                           (6, 'interview_pending', now() - interval '3 days'),
                           (7, 'complete', now() - interval '3 days'), (8, 'complete', now() - interval '2 days'),
                           (9, 'report_pending', now() - interval '30 hours')) AS s(g, status, created_at)""")
        )
        await conn.execute(
            text("""
            INSERT INTO queue_items (job_type, requisition_id, application_id, priority, status, max_attempts,
                                     last_error)
            VALUES ('sync', 1, NULL, 10, 'pending', 3, NULL), ('analyze', NULL, 4, 10, 'pending', 3, NULL),
                   ('analyze', NULL, 5, 0, 'failed', 3, 'NetworkError: timed out'),
                   ('evaluate', NULL, 6, 10, 'dead', 1, 'ParseError: bad'),
                   ('generate_report', NULL, 7, 10, 'dead', 1, 'ParseError: bad'),
                   ('upload_report', NULL, 8, 10, 'skipped', 1, 'ParseError: bad')""")
        )
        hour = now.replace(minute=0, second=0, microsecond=0)
        runs = (
            [("completed", hour + timedelta(minutes=1))] * 5
            + [("failed", hour - timedelta(hours=3))] * 2
            + [("dead", hour - timedelta(hours=3))]
            + [("completed", hour - timedelta(hours=3))]
            + [("retried", hour - timedelta(hours=3))]
            + [("completed", now - timedelta(hours=30))]
        )
        await conn.execute(
            text("""
            INSERT INTO job_runs (queue_item_id, job_type, attempt, outcome, finished_at)
            VALUES (1, 'analyze', 1, :outcome, :finished_at)"""),
            [{"outcome": outcome, "finished_at": at} for outcome, at in runs],
        )


def _cell(html: str, attribute: str, value: str) -> int:
    found = re.search(rf'data-{attribute}="{value}">(\d+)</td>', html)
    assert found, f"no {attribute} {value} on the page"
    return int(found.group(1))


def _hour_row(html: str, hour: datetime) -> tuple[int, int]:
    label = hour.strftime("%m-%d %H:00")
    found = re.search(rf'<th scope="row">{label}</th>\s*<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>', html)
    assert found, f"no row for {label}"
    return int(found.group(1)), int(found.group(2))


async def test_the_dashboard_counts_applications_queue_items_and_recent_jobs(
    console: Console,
    admin: AdminClient,
) -> None:
    await _seed(console.db)
    page = await admin.get("/admin")
    assert page.status_code == 200
    html = page.text
    expected = {
        "new": 3,
        "analyzed": 2,
        "interview_pending": 1,
        "interview_complete": 0,
        "report_pending": 1,
        "complete": 2,
    }
    assert {status: _cell(html, "status", status) for status in expected} == expected
    for status in expected:
        assert f'href="/admin/applications?status={status}"' in html
    queue = {"pending": 2, "running": 0, "failed": 1, "dead": 2, "skipped": 1}
    assert {state: _cell(html, "state", state) for state in queue} == queue
    assert 'href="/admin/queue?status=dead"' in html
    assert re.search(r'dash-dead dash-alert".*?<a href="/admin/queue\?status=dead">2</a>', html, re.S)
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    assert _hour_row(html, hour) == (5, 0)
    assert _hour_row(html, hour - timedelta(hours=3)) == (1, 3)  # a retried attempt is neither
    assert _hour_row(html, hour - timedelta(hours=1)) == (0, 0)
    assert html.count('<th scope="row">') == 24  # the 30-hour-old run is not on the chart
    assert re.search(r"Open requisitions</dt><dd><a [^>]*>2</a>", html)
    assert re.search(r"Applications, last 24 h</dt><dd>5</dd>", html)
    last = (hour + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M UTC")
    assert f'<p class="stat dash-when">{last}</p>' in html
    assert "not checked" in html  # this process has no Workday client


async def test_an_empty_pipeline_shows_zeros_and_no_dead_letter_alarm(console: Console, admin: AdminClient) -> None:
    html = (await admin.get("/admin")).text
    assert _cell(html, "status", "new") == 0 and _cell(html, "state", "dead") == 0
    assert "dash-alert" not in html
    assert "none yet" in html


@pytest.mark.parametrize(
    ("tenant_up", "shown"), [(True, 'badge-on">connected<'), (False, 'badge-error">not connected<')]
)
async def test_the_dashboard_says_whether_workday_answers(
    db: AsyncEngine,
    database_url: str,
    tenant_up: bool,
    shown: str,
) -> None:
    # A client of the sandbox tenant, as when WORKDAY_* is unset.
    connection = await connect_workday(load_settings(DATABASE_URL=database_url), db)
    try:
        assert connection.sandbox is not None
        if not tenant_up:
            await connection.sandbox.stop()
        async with serving(create_app(runtime_for(database_url, db, workday=connection))) as url:
            client = await sign_in(Console(url, db), "admin")
            try:
                assert shown in (await client.get("/admin")).text
            finally:
                await client.aclose()
    finally:
        await connection.aclose()


async def test_anonymous_visitors_are_sent_to_the_login_page(console: Console) -> None:
    async with httpx.AsyncClient(base_url=console.url, follow_redirects=False) as http:
        response = await http.get("/admin")
    assert response.status_code == 303 and response.headers["location"].startswith("/admin/login")


async def test_every_link_on_the_dashboard_leads_to_a_console_page(console: Console, admin: AdminClient) -> None:
    await _seed(console.db)
    page = (await admin.get("/admin")).text
    links = sorted({html.unescape(href) for href in re.findall(r'href="(/admin[^"#]*)"', page)})
    assert "/admin/applications?status=interview_pending" in links and "/admin/queue?status=dead" in links
    for href in links:
        assert (await admin.get(href)).status_code == 200, href


async def test_the_dashboard_says_in_a_sentence_what_keeps_failing(console: Console, admin: AdminClient) -> None:
    queue = QueueManager(console.db)
    for value in ("Open", "OPEN"):
        await queue.enqueue("sync")
        [job] = await queue.claim("worker-dash", 1, ["sync"])
        error = ValidationError(f"Workday refused Get_Job_Requisitions as invalid: '{value}' is not a valid ID value.")
        await queue.fail(job, error, worker="worker-dash", started_at=datetime.now(UTC), duration_ms=5.0)
    page = (await admin.get("/admin")).text
    sentence = re.search(r'<p class="notice notice-error dash-problem" role="alert">(.*?)</p>', page, re.S)
    assert sentence is not None
    said = html.unescape(re.sub(r"<[^>]+>", "", sentence.group(1)))
    assert said.startswith("The sync job has died 2 times for the same reason: ValidationError: Workday refused")
    # The newest example in full: a quoted reference ID stays (quoted words that could be a name do not).
    assert "'OPEN' is not a valid ID value" in said
    assert "less and less often" in said
