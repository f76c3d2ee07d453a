"""Shared fixtures: a real PostgreSQL database, migrated once per test session."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.embedded import EmbeddedPostgres
from airecruiter.db.engine import create_engine, driver_dsn
from airecruiter.db.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
# Every process a test starts serves its own sandbox Workday tenant on a free port, rather than
# sharing (or colliding with) one on the default port a developer's sandbox may be using.
os.environ.setdefault("WORKDAY_SANDBOX_PORT", "0")

TABLES = (
    "queue_items, job_runs, activities, reports, evaluations, interview_messages, interviews, "
    "analyses, prompts, applications, requisitions, users, settings, login_attempts"
)


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A PostgreSQL server: TEST_DATABASE_URL's, or the embedded one in the project's data dir."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    embedded = EmbeddedPostgres(ROOT / ".airecruiter" / "test")
    url = embedded.start()
    try:
        yield url
    finally:
        embedded.stop()


@pytest.fixture(scope="session")
async def database_url(server_url: str) -> AsyncIterator[str]:
    """A fresh database on that server, migrated to head; dropped at the end of the session."""
    name = f"airecruiter_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = await asyncpg.connect(driver_dsn(server_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url, pool_size=2)
    await upgrade(url, engine)
    await engine.dispose()
    yield url
    admin = await asyncpg.connect(driver_dsn(server_url))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """One engine for the whole session."""
    eng = create_engine(database_url, pool_size=20)
    yield eng
    await eng.dispose()


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncEngine:
    """The engine over an emptied database."""
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    return engine


async def make_requisitions(engine: AsyncEngine, count: int) -> list[int]:
    """Insert `count` requisitions and return their ids (subjects for queue items)."""
    async with engine.begin() as conn:
        rows = await conn.execute(
            text(
                "INSERT INTO requisitions (external_id, name) SELECT 'REQ-' || g, 'Requisition ' || g"
                " FROM generate_series(1, :n) AS g RETURNING id"
            ),
            {"n": count},
        )
        return [int(r[0]) for r in rows]
