"""Helpers to start real service processes for tests and to wait on the database."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

ROOT = Path(__file__).resolve().parents[2]


def start_process(args: list[str], *, env: dict[str, str], log_file: Path) -> subprocess.Popen[bytes]:
    """Start `python -m tests.integration.worker_process ARGS` (or any module) with stderr to a file."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    with log_file.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=log,
        )


def log_events(log_file: Path) -> list[dict[str, object]]:
    """The JSON log lines a process wrote, parsed."""
    events = []
    for line in log_file.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return events


async def eventually(check: Callable[[], Awaitable[bool]], *, within: float = 30.0, every: float = 0.1) -> None:
    """Wait until `check()` is true; fail the test if it never becomes true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {within} s: {check.__name__}")
        await asyncio.sleep(every)


async def scalar(engine: AsyncEngine, sql: str, **params: object) -> object:
    """One value from the database."""
    async with engine.connect() as conn:
        return await conn.scalar(text(sql), params)


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 20) -> int:
    """SIGTERM the process and return its exit code (kill it if it hangs)."""
    if proc.poll() is None:
        proc.terminate()
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise


def free_port() -> int:
    """A TCP port on loopback nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
