"""With DATABASE_URL unset the service brings its own PostgreSQL, migrates it, and stops it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.processes import ROOT, eventually, free_port, start_process

pytestmark = pytest.mark.slow


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # Inside the project: as root, the embedded server opens its parent folders to its own user.
    path = ROOT / ".airecruiter" / f"embedded-test-{os.getpid()}"
    path.mkdir(parents=True)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["AIRECRUITER_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "airecruiter", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_embedded_database_is_migrated_at_start_and_stopped_on_exit(data_dir: Path) -> None:
    result = _cli(data_dir, "db", "current")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == _head()  # migrated itself: the newest revision
    listing = _cli(data_dir, "queue", "list")
    assert listing.returncode == 0, listing.stderr
    assert "pending: 0" in listing.stdout
    assert not (data_dir / "pg" / "postmaster.pid").exists()


async def test_a_killed_process_leaves_its_server_behind_and_the_next_start_reattaches(data_dir: Path) -> None:
    port = free_port()
    proc = start_process(
        ["-m", "airecruiter", "run"],
        log_file=data_dir / "service.log",
        env={
            "AIRECRUITER_DATA_DIR": str(data_dir),
            "WEB_PORT": str(port),
            "DATABASE_URL": "",
            "HEARTBEAT_FILE": str(data_dir / "heartbeat"),
        },
    )
    try:

        async def serving() -> bool:
            try:
                async with httpx.AsyncClient() as client:
                    return (await client.get(f"http://127.0.0.1:{port}/health/processor")).status_code == 200
            except httpx.TransportError:
                return False

        await eventually(serving, within=60)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert (data_dir / "pg" / "postmaster.pid").exists()  # the orphaned server still runs
    result = _cli(data_dir, "db", "current")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == _head()
    assert not (data_dir / "pg" / "postmaster.pid").exists()


def _head() -> str:
    from alembic.script import ScriptDirectory

    from airecruiter.db.migrate import alembic_config

    head = ScriptDirectory.from_config(alembic_config("postgresql://unused/x")).get_current_head()
    assert head is not None
    return head
