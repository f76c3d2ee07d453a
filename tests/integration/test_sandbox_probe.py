"""A taken sandbox port is waited for, never silently replaced by a second, private tenant."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.bootstrap.workday import connect_workday
from airecruiter.config import load_settings
from airecruiter.errors import ConfigurationError
from airecruiter.sandbox.server import SandboxServer
from tests.integration.processes import eventually, free_port


def _silent_listener(port: int) -> socket.socket:
    """Holds `port` and never answers: a sandbox that is slow to come up, as a client sees it."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(16)
    return sock


async def test_a_slow_sandbox_on_the_configured_port_is_waited_for_and_used(db: AsyncEngine, tmp_path: Path) -> None:
    port = free_port()
    settings = load_settings(AIRECRUITER_DATA_DIR=tmp_path, WORKDAY_SANDBOX_PORT=port, WORKDAY_SANDBOX_WAIT=120)
    holder = _silent_listener(port)
    sandbox = SandboxServer.seeded(port=port)
    with structlog.testing.capture_logs() as logs:
        connecting = asyncio.create_task(connect_workday(settings, db))
        try:

            async def waiting() -> bool:
                return any(e["event"] == "workday_sandbox_waiting" for e in logs)

            await eventually(waiting, within=60)
            holder.close()  # the slow sandbox comes up on its port
            await sandbox.start()
            connection = await asyncio.wait_for(connecting, timeout=60)
        finally:
            holder.close()
            connecting.cancel()
    try:
        assert connection.sandbox is None  # no private tenant of our own
        assert connection.client.endpoint.startswith(f"http://127.0.0.1:{port}/")
        assert await connection.client.requisitions()
    finally:
        await connection.aclose()
        await sandbox.stop()


async def test_a_port_held_by_something_that_never_answers_is_a_clear_error(db: AsyncEngine, tmp_path: Path) -> None:
    port = free_port()
    settings = load_settings(AIRECRUITER_DATA_DIR=tmp_path, WORKDAY_SANDBOX_PORT=port, WORKDAY_SANDBOX_WAIT=1)
    holder = _silent_listener(port)
    try:
        with pytest.raises(ConfigurationError) as raised:
            await connect_workday(settings, db)
    finally:
        holder.close()
    assert f"Port {port} (WORKDAY_SANDBOX_PORT) is taken" in str(raised.value)
    assert "WORKDAY_SANDBOX_PORT to a free port" in str(raised.value)
