"""Apply the Alembic migrations, then ANALYZE so the planner has statistics from the start."""

from __future__ import annotations

import asyncio
from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.engine import sqlalchemy_url

_ANALYZE = text("ANALYZE")
_SELECT_HAS_VERSION_TABLE = text("SELECT to_regclass('alembic_version') IS NOT NULL")
_SELECT_VERSION = text("SELECT version_num FROM alembic_version")


def alembic_config(url: str) -> Config:
    """The Alembic configuration of the packaged migrations, pointed at `url`."""
    location = resources.files("airecruiter") / "migrations"
    config = Config(str(location / "alembic.ini"))
    config.set_main_option("script_location", str(location))
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(url).replace("%", "%%"))
    return config


async def upgrade(url: str, engine: AsyncEngine) -> None:
    """Migrate the database at `url` to the newest revision and refresh planner statistics."""
    # Alembic's env runs its own event loop, so it gets a thread of its own.
    await asyncio.to_thread(command.upgrade, alembic_config(url), "head")
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(_ANALYZE)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None before the first migration."""
    async with engine.connect() as conn:
        exists = await conn.scalar(_SELECT_HAS_VERSION_TABLE)
        if not exists:
            return None
        revision = await conn.scalar(_SELECT_VERSION)
        return str(revision) if revision is not None else None
