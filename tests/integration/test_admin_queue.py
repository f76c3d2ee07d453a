"""The console's queue and dead letter over HTTP: what an operator sees, retry and skip, one or many."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.errors import NetworkError, ParseError
from airecruiter.queue.jobs import Priority
from airecruiter.queue.manager import QueueConfig, QueueManager
from airecruiter.queue.operations import QueueOperations
from tests.conftest import make_requisitions
from tests.integration.admin_fixtures import AdminClient, Console
from tests.integration.conftest import WORKER, activities, execute, fetch_item, job_runs


async def _dead_items(db: AsyncEngine, count: int, error: BaseException | None = None) -> list[int]:
    """`count` sync jobs of new requisitions that failed once with an error that is never retried."""
    queue = QueueManager(db, QueueConfig())
    requisitions = await make_requisitions(db, count)
    ids = []
    for requisition in requisitions:
        await queue.enqueue("sync", requisition_id=requisition)
        [job] = await queue.claim(WORKER, 1, ["sync"])
        await queue.fail(
            job,
            error or ParseError(f"requisition {requisition} has no description"),
            worker=WORKER,
            started_at=datetime.now(UTC),
            duration_ms=40.0,
        )
        ids.append(job.id)
    return ids


async def _dead_after_three_attempts(db: AsyncEngine) -> int:
    """A sync job that timed out three times and went to the dead letter."""
    queue = QueueManager(db, QueueConfig(max_attempts=3))
    [requisition] = await make_requisitions(db, 1)
    item = (await queue.enqueue("analyze", requisition_id=requisition)).id
    for attempt in range(1, 4):
        await execute(db, "UPDATE queue_items SET scheduled_for = now() WHERE id = :id", id=item)
        [job] = await queue.claim(WORKER, 1, ["analyze"])
        await queue.fail(
            job,
            RuntimeError(f"the model did not answer (try {attempt})"),
            worker=WORKER,
            started_at=datetime.now(UTC),
            duration_ms=1500.0,
        )
    return item


def _text(page: str) -> str:
    """The page's visible text, tags dropped and entities decoded (what a reader sees)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


async def test_the_dead_letter_shows_each_items_error_attempts_and_history(
    console: Console,
    admin: AdminClient,
) -> None:
    item = await _dead_after_three_attempts(console.db)
    page = await admin.get("/admin/queue/dead")
    assert page.status_code == 200
    seen = _text(page.text)
    assert "RuntimeError: the model did not answer (try 3)" in seen
    assert "3/3" in seen
    assert "History of item" in seen and "3 recorded attempts" in seen
    for attempt in (1, 2, 3):
        assert f"the model did not answer (try {attempt})" in seen
    assert 'href="/admin/requisitions/' in page.text
    assert re.search(r"Dead\s+<span class=\"count\">1</span>", page.text)

    detail = await admin.get(f"/admin/queue/{item}")
    assert detail.status_code == 200
    shown = _text(detail.text)
    assert "3 of 3" in shown and WORKER in shown and "1500 ms" in shown
    assert [n for n in (1, 2, 3) if f"(try {n})" in shown] == [1, 2, 3]
    assert (await admin.get("/admin/queue/999999")).status_code == 404


async def test_retry_one_item_sends_it_to_the_front_of_the_queue_and_records_who(
    console: Console,
    admin: AdminClient,
) -> None:
    [item] = await _dead_items(console.db, 1)
    done = await admin.post("/admin/queue/retry", data={"item_id": str(item), "next": "/admin/queue/dead"})
    assert done.status_code == 303 and done.headers["location"] == "/admin/queue/dead"
    row = await fetch_item(console.db, item)
    assert (row.status, row.attempts, row.priority) == ("pending", 0, Priority.MANUAL)
    [entry] = await activities(console.db, "queue_item_retried")
    assert (entry.actor, entry.queue_item_id) == ("console:admin-user", item)
    after = await admin.get("/admin/queue/dead")
    assert "Retried 1 item" in _text(after.text)
    assert "The dead letter is empty" in after.text


async def test_bulk_retry_and_bulk_skip_act_on_each_item_and_log_each(console: Console, admin: AdminClient) -> None:
    items = await _dead_items(console.db, 5)
    retried = await admin.post("/admin/queue/retry", data={"item_id": [str(i) for i in items[:3]]})
    assert retried.status_code == 303
    skipped = await admin.post(
        "/admin/queue/skip", data={"item_id": [str(i) for i in items[3:]], "reason": "requisitions closed"}
    )
    assert skipped.status_code == 303
    states = [(await fetch_item(console.db, i)).status for i in items]
    assert states == ["pending", "pending", "pending", "skipped", "skipped"]
    assert sorted(a.queue_item_id for a in await activities(console.db, "queue_item_retried")) == items[:3]
    skips = await activities(console.db, "queue_item_skipped")
    assert sorted(a.queue_item_id for a in skips) == items[3:]
    assert {a.details["reason_given"] for a in skips} == {True}
    # The operator's words are kept in each item's history, not in the activity log.
    assert {(await job_runs(console.db, i))[-1].error for i in items[3:]} == {"requisitions closed"}
    page = await admin.get("/admin/queue/dead")
    assert "Skipped 2 items" in _text(page.text)


async def test_a_bulk_retry_names_the_items_it_could_not_retry_and_why(
    console: Console,
    admin: AdminClient,
) -> None:
    items = await _dead_items(console.db, 2)
    await admin.post("/admin/queue/retry", data={"item_id": str(items[0])})
    again = await admin.post("/admin/queue/retry", data={"item_id": [str(i) for i in items] + ["abc"]})
    assert again.status_code == 303
    notice = _text((await admin.get("/admin/queue/dead")).text)
    assert f"Retried 1 item ({items[1]})" in notice
    assert "Could not retry 2" in notice
    assert f"Queue item {items[0]} is pending; only dead or skipped items can be retried." in notice
    assert "“abc” is not an item id." in notice
    assert len(await activities(console.db, "queue_item_retried")) == 2


async def test_a_bulk_action_over_the_cap_is_refused_whole(console: Console, admin: AdminClient) -> None:
    [item] = await _dead_items(console.db, 1)
    refused = await admin.post(
        "/admin/queue/retry", data={"item_id": [str(item)] + [str(n) for n in range(10_000, 10_501)]}
    )
    assert refused.status_code == 303
    assert "At most 500 items can be changed at once; 502 were selected" in _text(
        (await admin.get("/admin/queue/dead")).text
    )
    assert (await fetch_item(console.db, item)).status == "dead"


async def test_a_recruiter_can_retry_but_not_skip(console: Console, recruiter: AdminClient) -> None:
    items = await _dead_items(console.db, 2)
    page = await recruiter.get("/admin/queue/dead")
    assert "Retry selected" in page.text and "Skip selected" not in page.text
    refused = await recruiter.post("/admin/queue/skip", data={"item_id": str(items[0])})
    assert refused.status_code == 403
    assert "cannot do this" in refused.text
    assert (await fetch_item(console.db, items[0])).status == "dead"
    assert await activities(console.db, "queue_item_skipped") == []
    assert (await recruiter.post("/admin/queue/retry", data={"item_id": str(items[1])})).status_code == 303
    assert (await fetch_item(console.db, items[1])).status == "pending"


async def test_a_post_without_the_csrf_token_changes_nothing(console: Console, admin: AdminClient) -> None:
    [item] = await _dead_items(console.db, 1)
    for path in ("/admin/queue/retry", "/admin/queue/skip"):
        refused = await admin.http.post(path, data={"item_id": str(item)})
        assert refused.status_code == 403
        forged = await admin.http.post(path, data={"item_id": str(item), "csrf_token": "forged"})
        assert forged.status_code == 403
    assert (await fetch_item(console.db, item)).status == "dead"
    assert await activities(console.db, "queue_item_retried") == []


async def test_the_queue_pages_through_items_newest_first_and_filters_them(
    console: Console,
    admin: AdminClient,
) -> None:
    requisitions = await make_requisitions(console.db, 120)
    queue = QueueManager(console.db)
    for requisition in requisitions:
        await queue.enqueue("sync", requisition_id=requisition)
    first = await admin.get("/admin/queue?status=pending")
    assert first.status_code == 200
    ids = [int(i) for i in re.findall(r'<a href="/admin/queue/(\d+)">', first.text)]
    assert len(ids) == 50 and ids == sorted(ids, reverse=True) and ids[0] == max(ids)
    assert "1–50 of 120" in first.text and "Page 1 of 3" in first.text
    third = await admin.get("/admin/queue?status=pending&page=3")
    assert "101–120 of 120" in third.text
    assert len(re.findall(r'<a href="/admin/queue/(\d+)">', third.text)) == 20

    one = await admin.get(f"/admin/queue?requisition_id={requisitions[7]}&status=")
    assert re.findall(r'<a href="/admin/queue/(\d+)">', one.text) == ["8"]
    assert "1–1 of 1" in one.text
    assert "No queue items match" in (await admin.get("/admin/queue?job_type=analyze")).text
    bad = await admin.get("/admin/queue?application_id=twelve")
    assert bad.status_code == 422
    assert "The application id must be a whole number" in _text(bad.text)


async def test_a_finished_items_page_still_shows_its_attempts(console: Console, admin: AdminClient) -> None:
    [item] = await _dead_items(console.db, 1, NetworkError("Workday timed out"))
    # A network error is retried: the item is failed, not dead, and one attempt is recorded.
    ops = QueueOperations(console.db)
    view = await ops.get(item)
    assert view is not None and view.status == "failed"
    await execute(console.db, "DELETE FROM queue_items WHERE id = :id", id=item)
    page = await admin.get(f"/admin/queue/{item}")
    assert page.status_code == 200
    assert "No longer in the queue" in page.text and "NetworkError: Workday timed out" in _text(page.text)


async def test_the_dead_letter_groups_items_of_one_cause_and_retries_them_together(
    console: Console,
    admin: AdminClient,
) -> None:
    *same, last = await _dead_items(console.db, 4)  # "requisition N has no description", N varying
    # The last of them died of something else.
    await execute(
        console.db,
        "UPDATE queue_items SET last_error = 'NetworkError: Workday did not answer in time' WHERE id = :i",
        i=last,
    )
    other = [last]
    page = await admin.get("/admin/queue/dead")
    assert page.status_code == 200
    rows = re.findall(r'<tr class="failure-group">(.*?)</tr>', page.text, re.S)
    assert len(rows) == 2
    first = _text(rows[0])
    assert re.search(r"^\s*3\s+sync\s+ParseError", first)
    assert "died" not in first and "sync failed 3 times for the same reason" in first
    assert re.search(r"^\s*1\s+sync\s+NetworkError", _text(rows[1]))
    form = re.search(r'<form method="post" action="/admin/queue/retry">(.*?)</form>', rows[0], re.S)
    assert form is not None
    assert sorted(int(i) for i in re.findall(r'name="item_id" value="(\d+)"', form.group(1))) == sorted(same)
    done = await admin.post("/admin/queue/retry", {"item_id": [str(i) for i in same], "next": "/admin/queue/dead"})
    assert done.status_code in (302, 303)
    for item in same:
        assert (await fetch_item(console.db, item)).status == "pending"
    assert (await fetch_item(console.db, other[0])).status == "dead"
