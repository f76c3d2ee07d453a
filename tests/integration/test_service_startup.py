"""Start-up as an operator meets it: SIGTERM at any moment, a database not up yet, a wrong URL."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.processes import eventually, free_port, log_events, scalar, start_process, stop_process

pytestmark = pytest.mark.slow
WORKER = ["-m", "airecruiter", "worker"]


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "LOG_FORMAT": "json",
        "AIRECRUITER_DATA_DIR": str(tmp_path / "data"),
        "WORKDAY_SANDBOX_PORT": str(free_port()),
        "QUEUE_POLL_INTERVAL": "0.3",
    }


def _events(log_file: Path) -> list[str]:
    return [str(e.get("event")) for e in log_events(log_file)]


def _catches_sigterm(pid: int) -> bool:
    """Whether the process has a SIGTERM handler installed (Linux: SigCgt in /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    return False


@contextlib.asynccontextmanager
async def _proxy_to(target_port: int, port: int) -> AsyncIterator[None]:
    """A TCP proxy on `port` to PostgreSQL on `target_port`: the database "comes up" when it starts."""

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def serve(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection("127.0.0.1", target_port)
        await asyncio.gather(pipe(client_r, server_w), pipe(server_r, client_w))

    server = await asyncio.start_server(serve, "127.0.0.1", port)
    try:
        yield
    finally:
        server.close()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to see the signal handler")
async def test_sigterm_while_the_command_is_still_importing_is_a_clean_exit(database_url: str, tmp_path: Path) -> None:
    log_file = tmp_path / "w.log"
    proc = start_process(WORKER, env=_env(database_url, tmp_path), log_file=log_file)
    try:
        for _ in range(600):
            if proc.poll() is not None or _catches_sigterm(proc.pid):
                break
            await asyncio.sleep(0.01)
        proc.send_signal(signal.SIGTERM)  # the first handler is in: the rest of start-up is ahead
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "service_stopped_during_startup" in _events(log_file)


async def test_a_database_not_up_yet_is_waited_for_and_sigterm_meanwhile_is_a_clean_exit(
    database_url: str, tmp_path: Path
) -> None:
    log_file = tmp_path / "w.log"
    unreachable = make_url(database_url).set(host="127.0.0.1", port=free_port()).render_as_string(hide_password=False)
    proc = start_process(WORKER, env=_env(unreachable, tmp_path), log_file=log_file)
    try:

        async def waiting() -> bool:
            return _events(log_file).count("database_unreachable_waiting") >= 2

        await eventually(waiting, within=60)
        assert proc.poll() is None  # still waiting, not failed
    finally:
        code = stop_process(proc)
    assert code == 0
    assert "service_stopped_during_startup" in _events(log_file)


async def test_a_database_that_comes_up_later_is_used_once_it_answers(
    db: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    log_file = tmp_path / "w.log"
    real = make_url(database_url)
    port = free_port()
    later = real.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
    proc = start_process(WORKER, env=_env(later, tmp_path), log_file=log_file)
    try:

        async def waiting() -> bool:
            return "database_unreachable_waiting" in _events(log_file)

        await eventually(waiting, within=60)
        async with _proxy_to(real.port or 5432, port):

            async def working() -> bool:
                return (
                    "worker_started" in _events(log_file)
                    and await scalar(db, "SELECT count(*) FROM queue_workers") == 1
                )

            await eventually(working, within=90)
            code = await asyncio.to_thread(stop_process, proc)  # the proxy runs on this loop
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 0
    assert "database_reachable" in _events(log_file)


@pytest.mark.parametrize(
    ("change", "words"),
    [({"database": "no_such_database_here"}, "database"), ({"username": "no_such_role_here"}, "role")],
)
async def test_a_database_that_refuses_us_fails_fast_with_a_sentence_naming_database_url(
    database_url: str, tmp_path: Path, change: dict[str, str], words: str
) -> None:
    wrong = make_url(database_url).set(**change).render_as_string(hide_password=False)
    log_file = tmp_path / "w.log"
    proc = start_process(WORKER, env=_env(wrong, tmp_path), log_file=log_file)
    try:
        assert proc.wait(timeout=60) == 1
    finally:
        if proc.poll() is None:
            proc.kill()
    output = log_file.read_text()
    assert "DATABASE_URL" in output and words in output
    assert "database_unreachable_waiting" not in output


async def test_sigterm_while_workday_is_waited_for_is_a_clean_exit_before_anything_starts(
    database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    release = asyncio.Event()

    async def silent(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await release.wait()  # holds the sandbox port and never answers
        writer.close()

    holder = await asyncio.start_server(silent, "127.0.0.1", port)
    log_file = tmp_path / "w.log"
    env = {**_env(database_url, tmp_path), "WORKDAY_SANDBOX_PORT": str(port), "WORKDAY_SANDBOX_WAIT": "120"}
    proc = start_process(WORKER, env=env, log_file=log_file)
    try:

        async def waiting_for_the_sandbox() -> bool:
            return "workday_sandbox_waiting" in _events(log_file)

        await eventually(waiting_for_the_sandbox, within=60)
        code = stop_process(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
        release.set()
        holder.close()
        await holder.wait_closed()
    assert code == 0
    stopped = [e for e in log_events(log_file) if e.get("event") == "service_stopped_during_startup"]
    assert [e.get("stage") for e in stopped] == ["connecting Workday"]
    assert "service_started" not in _events(log_file)
