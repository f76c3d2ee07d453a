"""`airecruiter demo`: the engine end to end on embedded defaults, with nothing configured.

Until the pipeline's processors exist, the demo runs three demonstration job types through the
real service (scheduler, worker, web server, heartbeat): some fail once with a transient error
and are retried, one fails permanently and lands in the dead letter. It then prints the health
JSON fetched over HTTP and exits.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import time
import urllib.request
from datetime import datetime
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import text

from airecruiter.bootstrap import Runtime
from airecruiter.cli.common import console, settings_or_exit, with_runtime
from airecruiter.errors import NetworkError, ValidationError
from airecruiter.queue.jobs import Job, NewJob, Processor
from airecruiter.service import Pieces, run_service

DEMO_TYPES = ("demo_fetch", "demo_score", "demo_report")
SUBJECTS = 12


async def _work(job: Job) -> None:
    """A little real work: hash the subject for a while, with pauses like network calls."""
    digest = f"{job.job_type}:{job.requisition_id}".encode()
    for _ in range(2000):
        digest = hashlib.sha256(digest).digest()
    await asyncio.sleep(0.05 + digest[0] / 255 * 0.25)
    if job.job_type == "demo_score" and job.requisition_id and job.requisition_id % 5 == 0 and job.attempts == 1:
        raise NetworkError("demonstration: the scoring service timed out", retry_after=1)
    if job.job_type == "demo_report" and job.requisition_id == SUBJECTS:
        raise ValidationError("demonstration: this requisition has no job description to report on")


def demo_processors() -> dict[str, Processor]:
    """The demonstration job types."""
    return dict.fromkeys(DEMO_TYPES, _work)


async def _prepare(runtime: Runtime) -> list[int]:
    async with runtime.engine.begin() as conn:
        await conn.execute(text("DELETE FROM queue_items WHERE job_type LIKE 'demo\\_%'"))
        rows = await conn.execute(text(
            "INSERT INTO requisitions (external_id, name, active)"
            " SELECT 'DEMO-' || lpad(g::text, 2, '0'), 'Demonstration requisition ' || g, false"
            " FROM generate_series(1, :n) AS g"
            " ON CONFLICT (external_id) DO UPDATE SET updated_at = now() RETURNING id"), {"n": SUBJECTS})
        return sorted(int(r[0]) for r in rows)


async def _progress(runtime: Runtime, total: int, since: datetime) -> dict[str, int]:
    with Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[note]}"), TimeElapsedColumn(), console=console) as bar:
        tasks = {t: bar.add_task(t, total=total // len(DEMO_TYPES), note="") for t in DEMO_TYPES}
        deadline = time.monotonic() + 120
        while True:
            async with runtime.engine.connect() as conn:
                done: dict[str, int] = dict((await conn.execute(text(
                    "SELECT job_type, count(*) FILTER (WHERE outcome IN ('completed','dead')) FROM job_runs"
                    " WHERE job_type LIKE 'demo\\_%' AND finished_at >= :since GROUP BY job_type"),
                    {"since": since})).all())
                live: dict[str, int] = dict((await conn.execute(text(
                    "SELECT status, count(*) FROM queue_items WHERE job_type LIKE 'demo\\_%'"
                    " GROUP BY status"))).all())
                retried = await conn.scalar(text(
                    "SELECT count(*) FROM job_runs WHERE job_type LIKE 'demo\\_%' AND outcome = 'failed'"
                    " AND finished_at >= :since"), {"since": since})
            for job_type, task in tasks.items():
                bar.update(task, completed=done.get(job_type, 0),
                           note=f"retried {retried}" if job_type == "demo_score" else "")
            if not any(live.get(s, 0) for s in ("pending", "running", "failed")) or time.monotonic() > deadline:
                return {k: int(v) for k, v in live.items()}
            await asyncio.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get_json(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


async def _demo(runtime: Runtime) -> None:
    subjects = await _prepare(runtime)
    async with runtime.engine.connect() as conn:
        since: datetime = await conn.scalar(text("SELECT now()"))
    stop = asyncio.Event()
    service = asyncio.create_task(run_service(runtime, Pieces(), stop))
    jobs = [NewJob(t, requisition_id=r) for t in DEMO_TYPES for r in subjects]
    created = await runtime.queue.enqueue_many(jobs, enqueued_by="demo")
    console.print(f"Enqueued [bold]{created}[/bold] demonstration jobs; "
                  f"{runtime.settings.QUEUE_MAX_CONCURRENCY} run at a time.")
    remaining = await _progress(runtime, len(jobs), since)
    url = f"http://127.0.0.1:{runtime.settings.WEB_PORT}/health/processor"
    status, health = await asyncio.to_thread(_get_json, url)
    console.print(f"\nGET {url} → {status}")
    console.print_json(data=health)
    console.print("Every 5th demo_score job timed out once (NetworkError) and was retried after the "
                  "server's Retry-After; one demo_report job failed validation, which is never retried.")
    console.print(f"Dead letter: {remaining.get('dead', 0)} item(s) — see `airecruiter queue dead`.")
    console.print(f"Heartbeat file: {runtime.settings.HEARTBEAT_FILE}")
    stop.set()
    await service


def register(app: typer.Typer) -> None:
    """Add `demo` to `app`."""

    @app.command()
    def demo() -> None:
        """Run the service on embedded defaults, push demonstration jobs through, show health."""
        settings = settings_or_exit(WEB_PORT=_free_port(), SCHEDULER_INTERVAL=5, LOG_LEVEL="ERROR")
        # The engine's demonstration job types only, until the pipeline demo replaces them.
        with_runtime(settings, _demo, processors=demo_processors(), pipeline=False)
