"""`airecruiter queue …` as an operator uses it against a real database."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.queue.operations import QueueOperations
from tests.conftest import make_requisitions
from tests.integration.processes import ROOT


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "COLUMNS": "200", "LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "airecruiter", "queue", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def _dead_item(db: AsyncEngine) -> int:
    [requisition] = await make_requisitions(db, 1)
    async with db.begin() as conn:
        item = await conn.scalar(
            text(
                "INSERT INTO queue_items (job_type, requisition_id, priority, status, attempts, max_attempts,"
                " last_error) VALUES ('sync', :r, 0, 'dead', 5, 5, 'NetworkError: Workday timed out')"
                " RETURNING id"
            ),
            {"r": requisition},
        )
        for attempt in range(1, 6):
            await conn.execute(
                text(
                    "INSERT INTO job_runs (queue_item_id, job_type, requisition_id, attempt, outcome, error)"
                    " VALUES (:i, 'sync', :r, :n, CASE WHEN :n = 5 THEN 'dead' ELSE 'failed' END,"
                    " 'NetworkError: Workday timed out (attempt ' || :n || ')')"
                ),
                {"i": item, "r": requisition, "n": attempt},
            )
    return int(item)


async def test_the_dead_letter_shows_each_attempts_error_and_retry_puts_the_item_back(
    db: AsyncEngine,
    database_url: str,
) -> None:
    item = await _dead_item(db)
    shown = _cli(database_url, "dead")
    assert shown.returncode == 0, shown.stderr
    for attempt in range(1, 6):
        assert f"NetworkError: Workday timed out (attempt {attempt})" in shown.stdout
    retried = _cli(database_url, "retry", str(item))
    assert retried.returncode == 0, retried.stderr
    assert f"Item {item} (sync, requisition" in retried.stdout
    view = await QueueOperations(db).get(item)
    assert view is not None
    assert (view.status, view.attempts, view.priority) == ("pending", 0, 20)


async def test_skip_ends_a_dead_item_and_refuses_a_pending_one_with_a_reason(
    db: AsyncEngine,
    database_url: str,
) -> None:
    item = await _dead_item(db)
    assert _cli(database_url, "skip", str(item), "--reason", "candidate withdrew").returncode == 0
    view = await QueueOperations(db).get(item)
    assert view is not None and view.status == "skipped"
    async with db.connect() as conn:
        given = await conn.scalar(
            text("SELECT details->>'reason_given' FROM activities WHERE action = 'queue_item_skipped'")
        )
        # The operator's words are kept in the item's history; the activity log holds no free text.
        kept = await conn.scalar(
            text("SELECT error FROM job_runs WHERE queue_item_id = :id AND outcome = 'skipped'"), {"id": item}
        )
    assert (given, kept) == ("true", "candidate withdrew")

    refused = _cli(database_url, "skip", str(item))
    assert refused.returncode == 1
    assert f"Queue item {item} is skipped; only dead items can be skipped." in refused.stderr


async def test_enqueue_refuses_a_missing_subject_and_an_unknown_job_type(
    db: AsyncEngine,
    database_url: str,
) -> None:
    missing = _cli(database_url, "enqueue", "sync", "--requisition", "424242")
    assert missing.returncode == 1
    assert "There is no requisition 424242" in missing.stderr
    unknown = _cli(database_url, "enqueue", "reticulate")
    assert unknown.returncode == 1
    assert "Unknown job type 'reticulate'" in unknown.stderr
    [requisition] = await make_requisitions(db, 1)
    queued = _cli(database_url, "enqueue", "sync", "--requisition", str(requisition))
    assert queued.returncode == 0 and "Queued item" in queued.stdout
    again = _cli(database_url, "enqueue", "sync", "--requisition", str(requisition))
    assert "already queued" in again.stdout


async def test_the_dead_letter_lists_its_causes_with_a_count(db: AsyncEngine, database_url: str) -> None:
    first = await _dead_item(db)
    async with db.begin() as conn:
        copy = text(
            "INSERT INTO queue_items (job_type, requisition_id, priority, status, attempts, max_attempts, last_error)"
            " SELECT job_type, requisition_id, priority, status, attempts, max_attempts, last_error"
            " FROM queue_items WHERE id = :i RETURNING id"
        )
        items = [first] + [int(await conn.scalar(copy, {"i": first})) for _ in range(2)]
        await conn.execute(
            text("UPDATE queue_items SET last_error = :e WHERE id = :i"),
            {"e": "ValidationError: 'REQ-1' is not a valid ID value", "i": items[0]},
        )
    shown = _cli(database_url, "dead", "--causes")
    assert shown.returncode == 0, shown.stderr
    rows = [line.replace("│", " ").split()[:3] for line in shown.stdout.splitlines() if "│" in line]
    assert ["2", "sync", "NetworkError"] in rows and ["1", "sync", "ValidationError"] in rows, shown.stdout
    assert "- sync failed 2 times for the same reason — NetworkError: Workday timed out" in shown.stdout
    assert "#" not in shown.stdout  # --causes leaves the items out
