"""Failures an operator can debug and budgets that fit them: the stack and a redacted message in the
job history, on the console and in the log line; one attempt budget per retry policy."""

from __future__ import annotations

import asyncio
import html
import json
import re
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.cli.common import log_processors
from airecruiter.errors import NetworkError, WorkdayRateLimitError, WorkdayUnexpectedError
from airecruiter.queue.jobs import Job
from airecruiter.queue.manager import QueueConfig, QueueManager
from airecruiter.queue.operations import QueueOperations
from airecruiter.queue.retry import RetryDecision
from airecruiter.queue.worker import Worker, WorkerConfig
from tests.conftest import make_requisitions
from tests.integration.admin_fixtures import AdminClient, Console
from tests.integration.conftest import WORKER, execute, fetch_item, job_runs
from tests.integration.processes import eventually


async def _claimed(db: AsyncEngine, queue: QueueManager) -> Job:
    [req] = await make_requisitions(db, 1)
    await queue.enqueue("sync", requisition_id=req)
    [job] = await queue.claim(WORKER, 1, ["sync"])
    return job


async def _again(db: AsyncEngine, queue: QueueManager, job: Job) -> Job:
    """Let the retry come due and claim it."""
    await execute(db, "UPDATE queue_items SET scheduled_for = now() WHERE id = :id", id=job.id)
    [again] = await queue.claim(WORKER, 1, ["sync"])
    assert again.id == job.id
    return again


async def _fail(queue: QueueManager, job: Job, error: BaseException) -> RetryDecision:
    return await queue.fail(job, error, worker=WORKER, started_at=datetime.now(UTC), duration_ms=5.0)


# --- one budget per retry policy -----------------------------------------------------------------


async def test_three_different_transient_failures_once_each_do_not_bury_the_job(
    db: AsyncEngine, queue: QueueManager
) -> None:
    # Found in the chaos soak: one network error, one rate limit and one unexpected Workday error
    # within 15 s buried a sync, because the last error's limit (3) was compared with all 3 attempts.
    job = await _claimed(db, queue)
    errors = [
        NetworkError("Workday did not answer"),
        WorkdayRateLimitError("429 Too Many Requests"),
        WorkdayUnexpectedError("An unexpected error occurred."),
    ]
    for number, error in enumerate(errors, start=1):
        if number > 1:
            job = await _again(db, queue, job)
        decision = await _fail(queue, job, error)
        assert decision.retry, f"buried after {error!r}"
    row = await fetch_item(db, job.id)
    # "Attempt 3 of 5": two more unexpected errors in a row would use up that policy's budget.
    assert (row.status, row.attempts, row.max_attempts) == ("failed", 3, 5)
    runs = await job_runs(db, job.id)
    assert [r.retry_policy for r in runs] == ["NetworkError", "WorkdayRateLimitError", "WorkdayUnexpectedError"]


async def test_a_policy_still_buries_the_job_once_its_own_budget_is_spent(db: AsyncEngine, queue: QueueManager) -> None:
    job = await _claimed(db, queue)
    await _fail(queue, job, NetworkError("Workday did not answer"))
    for attempt in (1, 2, 3):
        job = await _again(db, queue, job)
        decision = await _fail(queue, job, WorkdayUnexpectedError("An unexpected error occurred."))
        assert decision.retry == (attempt < 3)
    row = await fetch_item(db, job.id)
    assert (row.status, row.attempts, row.max_attempts) == ("dead", 4, 4)


async def test_an_operator_retry_gives_every_policy_its_budget_back(
    db: AsyncEngine, queue: QueueManager, ops: QueueOperations
) -> None:
    job = await _claimed(db, queue)
    for attempt in (1, 2, 3):
        if attempt > 1:
            job = await _again(db, queue, job)
        await _fail(queue, job, WorkdayUnexpectedError("An unexpected error occurred."))
    assert (await fetch_item(db, job.id)).status == "dead"
    await ops.retry(job.id, actor="admin")
    [job] = await queue.claim(WORKER, 1, ["sync"])
    decision = await _fail(queue, job, WorkdayUnexpectedError("An unexpected error occurred."))
    assert decision.retry
    assert (await fetch_item(db, job.id)).status == "failed"


async def test_the_overall_cap_buries_a_job_that_fails_a_different_way_each_time(db: AsyncEngine) -> None:
    queue = QueueManager(db, QueueConfig(max_failures=2))
    job = await _claimed(db, queue)
    assert (await _fail(queue, job, NetworkError("Workday did not answer"))).retry
    job = await _again(db, queue, job)
    assert not (await _fail(queue, job, WorkdayRateLimitError("429 Too Many Requests"))).retry
    assert (await fetch_item(db, job.id)).status == "dead"


# --- the stack and a redacted message ----------------------------------------------------------------


def _read_resume(artifacts: dict[str, str]) -> str:
    return artifacts["resume"]


async def test_a_failure_is_recorded_with_its_stack_and_without_personal_data(
    db: AsyncEngine, queue: QueueManager
) -> None:
    job = await _claimed(db, queue)
    try:
        try:
            _read_resume({})
        except KeyError as exc:
            raise ValueError("no résumé for jane.doe@example.com (+44 20 7946 0958)") from exc
    except ValueError as error:
        await _fail(queue, job, error)
    row = await fetch_item(db, job.id)
    [run] = await job_runs(db, job.id)
    for stored in (row.last_error, run.error, run.traceback):
        assert "jane.doe" not in stored and "example.com" not in stored and "7946" not in stored
    assert row.last_error == run.error == "ValueError: no résumé for [email] ([phone])"
    assert "KeyError: '…'" in run.traceback  # the cause, its key put aside like any quoted value
    assert "The above exception was the direct cause of the following exception:" in run.traceback
    assert "in _read_resume" in run.traceback and 'return artifacts["resume"]' in run.traceback
    assert "tests/integration/test_queue_failures.py" in run.traceback


def _processor_that_loses_the_resume() -> object:
    async def analyze(job: Job) -> None:
        artifacts: dict[str, str] = {"email": "jane.doe@example.com"}
        _read_resume(artifacts)

    return analyze


async def test_a_processors_key_error_reaches_the_dead_letter_and_the_log_with_its_stack(
    console: Console, admin: AdminClient
) -> None:
    queue = QueueManager(console.db, QueueConfig(max_attempts=1, lease_seconds=5))
    [req] = await make_requisitions(console.db, 1)
    item = (await queue.enqueue("analyze", requisition_id=req)).id
    assert item is not None
    worker = Worker(queue, {"analyze": _processor_that_loses_the_resume()}, WorkerConfig(poll_interval=0.1))  # type: ignore[dict-item]
    stop = asyncio.Event()
    with structlog.testing.capture_logs() as logs:
        task = asyncio.create_task(worker.run(stop))

        async def buried() -> bool:
            row = await fetch_item(console.db, item)
            return row is not None and row.status == "dead"

        try:
            await eventually(buried)
        finally:
            stop.set()
            await task

    page = await admin.get("/admin/queue/dead")
    assert page.status_code == 200
    assert "KeyError: &#39;…&#39;" in page.text
    assert '<details class="traceback"><summary>Stack trace</summary>' in page.text
    seen = html.unescape(re.sub(r"<[^>]+>", " ", page.text))
    assert "in _read_resume" in seen and "in analyze" in seen and "Traceback (most recent call last):" in seen
    detail = await admin.get(f"/admin/queue/{item}")
    assert "return artifacts[&#34;resume&#34;]" in detail.text and "in _read_resume" in detail.text
    assert "jane.doe" not in page.text + detail.text

    [event] = [e for e in logs if e["event"] == "job_error"]
    assert isinstance(event["exc_info"], KeyError)
    line = json.loads(_rendered(event, "json"))
    assert line["error"] == "KeyError: '…'"
    assert line["exception"]["type"] == "KeyError"
    assert [f["function"] for f in line["exception"]["frames"]][-2:] == ["analyze", "_read_resume"]
    assert "exc_info" not in line and "jane.doe" not in json.dumps(line)
    assert "Traceback (most recent call last):" in _rendered(event, "console")


def _rendered(event: dict[str, Any], fmt: str) -> str:
    """A captured log event through the processor chain `configure_logging` installs."""
    rendered: Any = dict(event)
    for processor in log_processors(fmt):
        rendered = processor(None, str(event["log_level"]), rendered)
    return str(rendered)


async def test_the_item_page_shows_a_stack_as_text_never_as_markup(console: Console, admin: AdminClient) -> None:
    queue = QueueManager(console.db, QueueConfig(max_attempts=1))
    job = await _claimed(console.db, queue)
    try:
        raise RuntimeError("<script>alert(1)</script> in the answer")
    except RuntimeError as error:
        await _fail(queue, job, error)
    page = await admin.get(f"/admin/queue/{job.id}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "RuntimeError: &lt;script&gt;alert(1)&lt;/script&gt; in the answer" in page.text
    assert page.text.count('<details class="traceback">') == 1
