"""The heartbeat file: a small JSON document rewritten atomically so a supervisor can watch us."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import structlog

log = structlog.get_logger(__name__)


def write_heartbeat(path: Path, *, status: str, last_activity: str) -> dict[str, object]:
    """Write {timestamp, pid, status, last_activity} to `path` via a rename, never half-written."""
    document: dict[str, object] = {
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "pid": os.getpid(),
        "status": status,
        "last_activity": last_activity,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(document, handle)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return document


async def heartbeat_loop(path: Path, interval: float, last_activity: Callable[[], str], stop: asyncio.Event) -> None:
    """Write the heartbeat every `interval` seconds until `stop`, then once more as stopped."""
    while not stop.is_set():
        try:
            write_heartbeat(path, status="running", last_activity=last_activity())
        except OSError as exc:
            log.error("heartbeat_write_failed", path=str(path), error=str(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
    with contextlib.suppress(OSError):
        write_heartbeat(path, status="stopped", last_activity=last_activity())
