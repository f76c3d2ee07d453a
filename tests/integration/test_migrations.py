"""The migrations as a whole: every downgrade undoes its upgrade, so a round trip changes nothing."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.engine import create_engine
from airecruiter.db.migrate import alembic_config

# What makes up the schema, each as sorted rows of text: a difference names what the round trip lost.
SCHEMA_QUERIES = {
    "columns": """
        SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '')
          FROM information_schema.columns WHERE table_schema = 'public'""",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "constraints": """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
          FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'""",
    "storage_options": """
        SELECT c.relname, array_to_string(c.reloptions, ',')
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.reloptions IS NOT NULL""",
    "functions": """
        SELECT p.proname, pg_get_functiondef(p.oid)
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'""",
    "triggers": """
        SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal""",
    "sequences": "SELECT sequence_name, data_type FROM information_schema.sequences WHERE sequence_schema = 'public'",
    "seeded_prompts": "SELECT type, version, is_active, created_by, md5(template_content) FROM prompts",
}


async def _schema(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    async with engine.connect() as conn:
        has_prompts = await conn.scalar(text("SELECT to_regclass('prompts') IS NOT NULL"))
        return {
            name: sorted(tuple(row) for row in await conn.execute(text(query)) if row[0] != "alembic_version")
            for name, query in SCHEMA_QUERIES.items()
            if name != "seeded_prompts" or has_prompts
        }


async def _migrate(url: str, verb: str, target: str) -> None:
    await asyncio.to_thread(getattr(command, verb), alembic_config(url), target)


def _revisions(url: str) -> list[str]:
    """Every revision, oldest first."""
    scripts = ScriptDirectory.from_config(alembic_config(url))
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


async def test_each_downgrade_restores_the_schema_its_upgrade_started_from_and_a_round_trip_changes_nothing(
    scratch_database: str,
) -> None:
    engine = create_engine(scratch_database, pool_size=2)
    revisions = _revisions(scratch_database)
    try:
        before = {"base": await _schema(engine)}
        for revision in revisions:  # upgrade to head one revision at a time
            await _migrate(scratch_database, "upgrade", revision)
            before[revision] = await _schema(engine)
        at_head = before[revisions[-1]]
        assert at_head["columns"] and at_head["indexes"] and len(at_head["seeded_prompts"]) == 3

        for revision in reversed(["base", *revisions[:-1]]):  # downgrade to base one revision at a time
            await _migrate(scratch_database, "downgrade", revision)
            after, expected = await _schema(engine), before[revision]
            differing = sorted(part for part in after.keys() | expected.keys() if after.get(part) != expected.get(part))
            assert differing == [], f"downgrade to {revision}"
        assert before["base"]["columns"] == []

        await _migrate(scratch_database, "upgrade", "head")
        assert await _schema(engine) == at_head
    finally:
        await engine.dispose()
