"""The service as an operator meets it: health JSON, metrics, heartbeat file, clean shutdown."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.bootstrap import Application, Database, Wiring, assemble, build_adapters
from airecruiter.config import load_settings
from airecruiter.db.engine import create_engine
from airecruiter.queue.manager import QueueManager
from airecruiter.service import web_server_config
from airecruiter.web.app import create_app
from tests.conftest import make_requisitions
from tests.integration.interview_fixtures import _listening, _Server
from tests.integration.processes import ROOT, eventually, free_port, log_events, start_process, stop_process

HEALTH_KEYS = {"status", "uptime_seconds", "queue", "last_successful_job", "workday_connected"}


class _Probe:
    def __init__(self, answer: bool) -> None:
        self.answer = answer

    async def connected(self) -> bool:
        return self.answer


def _runtime(url: str, engine: AsyncEngine, probe: _Probe | None = None) -> Application:
    settings = load_settings(DATABASE_URL=url)
    wiring = Wiring(workday=False, pipeline=False, run_pipeline=False)
    application = assemble(settings, Database(url, engine), build_adapters(settings), wiring)
    return dataclasses.replace(application, workday_probe=probe)


async def _get(runtime: Application, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path)


async def test_health_is_the_specifications_json_and_healthy_when_workday_answers(
    db: AsyncEngine,
    database_url: str,
) -> None:
    [subject] = await make_requisitions(db, 1)
    await QueueManager(db).enqueue("sync", requisition_id=subject)
    response = await _get(_runtime(database_url, db, _Probe(True)), "/health/processor")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == HEALTH_KEYS
    assert body["status"] == "healthy"
    assert body["queue"] == {"pending": 1, "running": 0, "failed": 0, "dead": 0}
    assert body["last_successful_job"] is None
    assert body["workday_connected"] is True


async def test_health_is_degraded_without_workday_and_503_without_the_database(
    db: AsyncEngine,
    database_url: str,
) -> None:
    degraded = await _get(_runtime(database_url, db, _Probe(False)), "/health/processor")
    assert (degraded.status_code, degraded.json()["status"]) == (200, "degraded")

    dead_url = f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere"
    unreachable = create_engine(dead_url)
    try:
        response = await _get(_runtime(dead_url, unreachable, _Probe(True)), "/health/processor")
    finally:
        await unreachable.dispose()
    assert response.status_code == 503
    assert set(response.json()) == HEALTH_KEYS
    assert response.json()["status"] == "unhealthy"


@pytest.mark.slow
async def test_airecruiter_run_serves_health_and_metrics_writes_a_heartbeat_and_stops_cleanly(
    db: AsyncEngine,
    database_url: str,
    tmp_path: Path,
) -> None:
    async with db.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO queue_items (job_type, priority, status, attempts, max_attempts,"
                " last_error) VALUES ('upload_report', 10, 'dead', 3, 3, 'StorageError: x')"
            )
        )
    port, heartbeat = free_port(), tmp_path / "heartbeat.json"
    proc = start_process(
        ["-m", "airecruiter", "run"],
        log_file=tmp_path / "service.log",
        env={
            "DATABASE_URL": database_url,
            "WEB_PORT": str(port),
            "HEARTBEAT_FILE": str(heartbeat),
            "HEARTBEAT_INTERVAL": "0.2",
            "LOG_FORMAT": "json",
            "WORKDAY_SANDBOX_PORT": str(free_port()),  # a tenant of its own, not a shared 8100
        },
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:

            async def serving() -> bool:
                try:
                    return (await client.get("/health/processor")).status_code == 200
                except httpx.TransportError:
                    return False

            await eventually(serving)
            health = (await client.get("/health/processor")).json()
            metrics = (await client.get("/metrics")).text
        assert set(health) == HEALTH_KEYS
        assert health["queue"]["dead"] == 1
        assert health["workday_connected"] is True  # the sandbox tenant, the twin when WORKDAY_* is unset
        assert 'airecruiter_queue_items{state="dead"} 1.0' in metrics
        assert "airecruiter_queue_oldest_pending_seconds" in metrics
        beat = json.loads(heartbeat.read_text())
        assert set(beat) == {"timestamp", "pid", "status", "last_activity"}
        assert (beat["pid"], beat["status"]) == (proc.pid, "running")
    finally:
        code = stop_process(proc)
    assert code == 0
    assert json.loads(heartbeat.read_text())["status"] == "stopped"
    # The process leaves without the interpreter's teardown: its last words were written first.
    assert "service_stopped" in [event["event"] for event in log_events(tmp_path / "service.log")]


def test_an_invalid_setting_stops_the_service_with_a_message_naming_it() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "airecruiter", "run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "QUEUE_MAX_CONCURRENCY": "0", "HOME": str(ROOT)},
    )
    assert result.returncode == 2
    assert "QUEUE_MAX_CONCURRENCY" in result.stderr
    assert "greater than or equal to 1" in result.stderr


async def test_the_web_server_does_not_take_x_forwarded_for_from_a_local_peer() -> None:
    # uvicorn believes X-Forwarded-For from 127.0.0.1 by default: a local process could then pick
    # the address the sign-in limits count. Only TRUSTED_PROXIES decides, in the app.

    app = FastAPI()

    @app.get("/peer")
    async def peer(request: Request) -> dict[str, str | None]:
        return {"client": request.client.host if request.client else None}

    with _listening() as sock:
        server = _Server(web_server_config(app, host="127.0.0.1", port=0))
        task = asyncio.create_task(server.serve(sockets=[sock]))
        try:

            async def started() -> bool:
                return bool(server.started)

            await eventually(started)
            url = f"http://127.0.0.1:{sock.getsockname()[1]}/peer"
            async with httpx.AsyncClient(timeout=30) as http:
                answer = await http.get(url, headers={"X-Forwarded-For": "203.0.113.9"})
            assert answer.json() == {"client": "127.0.0.1"}
        finally:
            server.should_exit = True
            await asyncio.wait_for(task, timeout=10)
