"""Shared helpers of the retention and erasure tests: the stores of a pipeline, and what is left of a person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.services.data_deletion import DeletionStores
from tests.integration.pipeline_fixtures import Pipeline

SECRET_KEY = "Zai8WMuNUMXG0-_ywXFpcAlI1OkcbJPwV00v3nSCV7w="  # a Fernet key, as AIRECRUITER_SECRET_KEY must be


def stores_of(pipeline: Pipeline) -> DeletionStores:
    """What deleting reaches in the pipeline fixture: its storage and its outbox folder."""
    return DeletionStores(storage=pipeline.ctx.storage, outbox_dir=pipeline.outbox, secret_key=SECRET_KEY)


def with_stores(pipeline: Pipeline) -> Pipeline:
    """The pipeline with its deletion stores set, as bootstrap sets them."""
    return pipeline.with_context(deletion=stores_of(pipeline))


def files_under(folder: Path) -> list[Path]:
    """Every file below `folder` (none when it does not exist)."""
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


async def public_tables(db: AsyncEngine) -> list[str]:
    """Every table of the database's public schema."""
    async with db.connect() as conn:
        found = await conn.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
        )
        return [r[0] for r in found]


async def dump(db: AsyncEngine) -> dict[str, str]:
    """Each table's rows as one lower-case text (to search a person's data in)."""
    dumped: dict[str, str] = {}
    async with db.connect() as conn:
        for table in await public_tables(db):
            rows = await conn.execute(text(f'SELECT t::text FROM "{table}" t'))
            dumped[table] = "\n".join(r[0] for r in rows).lower()
    return dumped


async def scalar(db: AsyncEngine, statement: str, **params: Any) -> Any:
    """The one value of a query."""
    async with db.connect() as conn:
        return await conn.scalar(text(statement), params)
