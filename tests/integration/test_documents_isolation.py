"""The worker processes that read résumés: what they inherit, and their lifetime."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from airecruiter.adapters.documents import ResumeReader
from airecruiter.adapters.documents.isolation import WorkerPool, WorkerTimeout
from tests.integration import resume_fixtures as fx


async def test_workers_do_not_see_the_services_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test-not-for-parsers")
    pool = WorkerPool(workers=1)
    try:
        assert await pool.run(os.getenv, "ANTHROPIC_API_KEY", time_limit=30) is None
        assert await pool.run(os.getenv, "PATH", time_limit=30) == os.environ["PATH"]
    finally:
        await pool.aclose()


async def test_a_worker_that_overruns_is_killed_and_replaced() -> None:
    pool = WorkerPool(workers=1, start_method="spawn")
    try:
        first = await pool.run(os.getpid, time_limit=30)
        with pytest.raises(WorkerTimeout):
            await pool.run(time.sleep, 30, time_limit=0.5)
        assert await pool.run(os.getpid, time_limit=30) != first
    finally:
        await pool.aclose()


def test_forking_the_service_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be forked"):
        ResumeReader(start_method="fork")


async def test_a_closed_reader_starts_new_workers_when_used_again() -> None:
    reader = ResumeReader(workers=1)
    try:
        assert (await reader.extract(fx.tiny_text_pdf(), filename="a.pdf")).pages == 1
        await reader.aclose()
        assert (await reader.extract(fx.tiny_text_pdf(), filename="b.pdf")).pages == 1
    finally:
        await reader.aclose()


async def test_cancelling_the_caller_kills_the_running_task() -> None:
    pool = WorkerPool(workers=1)
    try:
        first = await pool.run(os.getpid, time_limit=30)
        running = asyncio.create_task(pool.run(time.sleep, 60, time_limit=120))
        await asyncio.sleep(0.5)
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running
        # Only a killed worker lets this run before the minute is up.
        assert await pool.run(os.getpid, time_limit=30) != first
    finally:
        await pool.aclose()
