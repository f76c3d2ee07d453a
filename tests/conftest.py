"""Shared fixtures: a PostgreSQL database migrated once per test process, isolation from the shell, xdist groups."""

from __future__ import annotations

import functools
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from pydantic import AliasChoices
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from xdist.remote import Producer
from xdist.scheduler import LoadGroupScheduling

from airecruiter.config import Settings
from airecruiter.db.embedded import EmbeddedPostgres
from airecruiter.db.engine import create_engine, driver_dsn
from airecruiter.db.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
# pytest-xdist names each worker process (gw0, gw1, …); a run without it is one "main" worker.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

TABLES = (
    "queue_items, job_runs, activities, reports, evaluations, interview_messages, interviews, "
    "analyses, prompts, applications, requisitions, users, settings, login_attempts, decisions, outcomes, "
    "tombstones, erasure_receipts, candidate_texts"
)


def settings_variables() -> set[str]:
    """Every environment variable Settings reads: its field names and their aliases."""
    names = set(Settings.model_fields)
    for field in Settings.model_fields.values():
        for alias in (field.alias, field.validation_alias):
            if isinstance(alias, str):
                names.add(alias)
            elif isinstance(alias, AliasChoices):
                names.update(choice for choice in alias.choices if isinstance(choice, str))
    return names


def _isolate(patch: pytest.MonkeyPatch) -> None:
    for name in settings_variables():
        patch.delenv(name, raising=False)
    # Every process a test starts serves its own sandbox Workday tenant on a free port, rather than
    # sharing (or colliding with) one on the default port a developer's sandbox may be using.
    patch.setenv("WORKDAY_SANDBOX_PORT", "0")


@pytest.fixture(scope="session", autouse=True)
def _isolated_session() -> Iterator[None]:
    """No Settings variable of the developer's shell reaches the session's fixtures and processes."""
    with pytest.MonkeyPatch.context() as patch:
        _isolate(patch)
        yield


@pytest.fixture(autouse=True)
def _isolated_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """… nor any test: one that needs a variable sets it with `monkeypatch` (undone after it)."""
    _isolate(monkeypatch)


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
    """A fresh database on that server, migrated to head once per worker; dropped at the end of the session."""
    # One database per xdist worker (and per run: two runs may share a server).
    name = f"airecruiter_test_{WORKER}_{os.getpid()}_{secrets.token_hex(3)}"
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


# Under pytest-xdist (`make test`), tests run on several workers; `--dist loadgroup` keeps the tests
# of one group on one worker. Tests whose processes cannot share the machine with their own kind
# form one group each; a module whose fixture starts processes once per module is one group, so
# they start once rather than on every worker. pytest-xdist reads `xdist_group` marks by editing
# node ids, which pytest 9.2 no longer honours (pytest-xdist issue 1386), so the scheduler below
# takes the groups from the test's path instead: the controller process sees only node ids.
SERIAL_GROUPS = {
    "tests/browser/": "chromium",  # one headless Chromium for all page tests
    "tests/integration/test_embedded.py": "private-postgres",  # servers of their own, initdb included
    "tests/integration/test_soak.py": "private-postgres",
}


@functools.cache
def _starts_processes_per_module(path: str) -> bool:
    source = ROOT / path
    return source.suffix == ".py" and 'scope="module"' in source.read_text(encoding="utf-8")


def xdist_group(nodeid: str) -> str | None:
    """The group a test runs in under `--dist loadgroup`, or None when it may run on any worker."""
    path = nodeid.split("::", 1)[0]
    for prefix, group in SERIAL_GROUPS.items():
        if path.startswith(prefix):
            return group
    return path if _starts_processes_per_module(path) else None


class GroupScheduling(LoadGroupScheduling):
    """xdist's `loadgroup` with the groups of `xdist_group()`."""

    def _split_scope(self, nodeid: str) -> str:
        marked = super()._split_scope(nodeid)
        return marked if marked != nodeid else (xdist_group(nodeid) or nodeid)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> GroupScheduling | None:
    """Schedule `--dist loadgroup` by `xdist_group()`."""
    return GroupScheduling(config, log) if config.getvalue("dist") == "loadgroup" else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the slow modules first: the long tests set the wall time of a parallel run."""
    slow_modules = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_modules)  # stable: a module's tests stay together
