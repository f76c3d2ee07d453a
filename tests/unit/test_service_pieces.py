"""A crashed piece of the service is logged so it can be debugged: its class, its stack, no raw message."""

from __future__ import annotations

import asyncio
import io
import json

import pytest
import structlog

from airecruiter import service
from airecruiter.cli.common import log_processors


async def _scheduler_that_crashes() -> None:
    await asyncio.sleep(0)
    _look_up({})


def _look_up(record: dict[str, str]) -> str:
    return record["jane.doe@example.com"]


async def _worker_until(stop: asyncio.Event) -> None:
    await stop.wait()


async def test_a_crashed_piece_is_logged_with_its_type_and_frames_and_stops_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = io.StringIO()
    monkeypatch.setattr(
        service, "log", structlog.wrap_logger(structlog.PrintLogger(file=out), processors=log_processors("json"))
    )
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(_scheduler_that_crashes(), name="scheduler"),
        asyncio.create_task(_worker_until(stop), name="worker"),
    ]

    crashed = await service.watch_pieces(tasks, stop)
    await asyncio.wait_for(tasks[1], timeout=5)

    assert [(piece, type(error)) for piece, error in crashed] == [("scheduler", KeyError)]
    assert stop.is_set()
    line = json.loads(out.getvalue())
    assert line["event"] == "service_piece_crashed" and line["piece"] == "scheduler"
    assert line["exception"]["type"] == "KeyError"
    assert [frame["function"] for frame in line["exception"]["frames"]][-2:] == ["_scheduler_that_crashes", "_look_up"]
    assert "jane.doe@example.com" not in out.getvalue()


async def test_a_stop_asked_for_ends_the_watch_with_nothing_crashed() -> None:
    stop = asyncio.Event()
    tasks = [asyncio.create_task(_worker_until(stop), name="worker")]
    stop.set()
    assert await service.watch_pieces(tasks, stop) == []
    await asyncio.wait_for(tasks[0], timeout=5)
