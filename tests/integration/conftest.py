"""Fixtures and helpers for the queue's integration tests (real PostgreSQL, see tests/conftest.py)."""

from __future__ import annotations

import importlib
import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.migrations.sqlscript import split_statements
from airecruiter.queue.manager import QueueConfig, QueueManager
from airecruiter.queue.operations import QueueOperations
from tests.integration.admin_fixtures import admin, console, recruiter  # noqa: F401 - fixtures of the console tests
from tests.integration.interview_fixtures import shared_redactor_closed  # noqa: F401 - closes the shared redactor
from tests.integration.migration_fixtures import scratch_database  # noqa: F401 - fixture of the migration tests
from tests.integration.pipeline_fixtures import (  # noqa: F401 - fixtures of the processor tests
    pipeline,
    pipeline_sandbox,
    report_renderer,
    resume_reader,
    text_redactor,
)
from tests.integration.sandbox_fixtures import sandbox, wd  # noqa: F401 - fixtures of the sandbox tests

WORKER = "host-a:101"
OTHER_WORKER = "host-b:202"
JOB_TYPES = ("sync", "analyze", "send_interview", "evaluate", "generate_report", "upload_report")


@pytest.fixture
def queue(db: AsyncEngine) -> QueueManager:
    """A queue manager with the default knobs (3 attempts, 60 s leases, no per-type caps)."""
    return QueueManager(db, QueueConfig())


@pytest.fixture
def ops(db: AsyncEngine) -> QueueOperations:
    """The operator's view of the queue."""
    return QueueOperations(db)


@pytest.fixture
async def scratch_queue(db: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection whose `queue_items` is a brand-new table built by the queue migrations themselves.

    It lives in a schema of its own (first on the search path), so it has never been analysed;
    autovacuum is off for it, so only the test decides when statistics change.
    """
    migrations = [
        importlib.import_module("airecruiter.migrations.versions.0003_queue"),
        importlib.import_module("airecruiter.migrations.versions.0012_queue_lost_leases"),  # columns the claim returns
    ]
    schema = f"scratch_{secrets.token_hex(4)}"
    async with db.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        await conn.exec_driver_sql(f"SET search_path TO {schema}, public")
        try:
            for migration in migrations:
                for statement in split_statements(migration.UPGRADE):
                    await conn.exec_driver_sql(statement)
            await conn.exec_driver_sql("ALTER TABLE queue_items SET (autovacuum_enabled = false)")
            yield conn
        finally:
            await conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            await conn.exec_driver_sql("RESET search_path")


async def fetch_item(engine: AsyncEngine, item_id: int) -> Any:
    """The raw row of a queue item (None once it is gone), with its due time relative to now."""
    async with engine.connect() as conn:
        return (
            await conn.execute(
                text(
                    "SELECT *, EXTRACT(EPOCH FROM scheduled_for - now()) AS due_in,"
                    " EXTRACT(EPOCH FROM locked_until - now()) AS lease_left"
                    " FROM queue_items WHERE id = :id"
                ),
                {"id": item_id},
            )
        ).first()


async def job_runs(engine: AsyncEngine, item_id: int | None = None) -> list[Any]:
    """Recorded attempts, oldest first; of one item, or of all."""
    async with engine.connect() as conn:
        return list(
            await conn.execute(
                text("SELECT * FROM job_runs WHERE CAST(:id AS bigint) IS NULL OR queue_item_id = :id ORDER BY id"),
                {"id": item_id},
            )
        )


async def activities(engine: AsyncEngine, action: str) -> list[Any]:
    """Entries of the activity log with this action, oldest first."""
    async with engine.connect() as conn:
        return list(await conn.execute(text("SELECT * FROM activities WHERE action = :a ORDER BY id"), {"a": action}))


async def execute(engine: AsyncEngine, statement: str, **params: Any) -> None:
    """Run one statement in its own transaction (to age rows or set up states directly)."""
    async with engine.begin() as conn:
        await conn.execute(text(statement), params)


async def scalar(engine: AsyncEngine, statement: str, **params: Any) -> Any:
    """The single value one query returns."""
    async with engine.connect() as conn:
        return await conn.scalar(text(statement), params)
