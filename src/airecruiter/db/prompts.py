"""Versioned prompts: one active version per type, globally and optionally per requisition.

Editing never changes a stored version: it creates the next one. The active version for a
requisition is its own active version if it has one, else the global active one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.domain.console_activity import PromptActivated, PromptDeactivated, PromptVersionCreated
from airecruiter.domain.prompt_defaults import DEFAULT_PROMPTS, PROMPT_TYPES
from airecruiter.errors import ValidationError

# `CAST(... AS bigint)`: asyncpg needs a type for a parameter that may be NULL.
_SELECT_ACTIVE = text("""
    SELECT id, type, requisition_id, version, template_content, is_active, created_by, created_at
      FROM prompts
     WHERE type = :type AND is_active
       AND (requisition_id = CAST(:requisition_id AS bigint) OR requisition_id IS NULL)
     ORDER BY requisition_id IS NULL, id DESC
     LIMIT 1
""")
_SELECT_VERSIONS = text("""
    SELECT id, type, requisition_id, version, template_content, is_active, created_by, created_at
      FROM prompts
     WHERE type = :type AND requisition_id IS NOT DISTINCT FROM CAST(:requisition_id AS bigint)
     ORDER BY version DESC
""")
_SELECT_PROMPT = text("""
    SELECT id, type, requisition_id, version, template_content, is_active, created_by, created_at
      FROM prompts WHERE id = :id
""")
# Creators and activators of one (type, requisition) take turns, so versions never collide and the
# switch of the active version is never interleaved. The two-key form keeps clear of the one-key
# advisory locks used elsewhere.
_LOCK_SCOPE = text("""
    SELECT pg_advisory_xact_lock(hashtext('prompts'), hashtext(
        CAST(:type AS text) || ':' || COALESCE(CAST(CAST(:requisition_id AS bigint) AS text), 'global')))
""")
_SELECT_REQUISITION_EXISTS = text("SELECT EXISTS (SELECT 1 FROM requisitions WHERE id = :id)")
_DEACTIVATE_SCOPE = text("""
    UPDATE prompts SET is_active = false
     WHERE type = :type AND requisition_id IS NOT DISTINCT FROM CAST(:requisition_id AS bigint) AND is_active
""")
_INSERT_VERSION = text("""
    INSERT INTO prompts (type, requisition_id, version, template_content, is_active, created_by)
    SELECT :type, CAST(:requisition_id AS bigint), COALESCE(MAX(version), 0) + 1, :content, :active, :created_by
      FROM prompts
     WHERE type = :type AND requisition_id IS NOT DISTINCT FROM CAST(:requisition_id AS bigint)
    RETURNING id, type, requisition_id, version, template_content, is_active, created_by, created_at
""")
_SET_ACTIVE = text("""
    UPDATE prompts SET is_active = :active WHERE id = :id
    RETURNING id, type, requisition_id, version, template_content, is_active, created_by, created_at
""")

SEED_DEFAULT_PROMPTS = text("""
    INSERT INTO prompts (type, requisition_id, version, template_content, is_active, created_by)
    SELECT CAST(:type AS text), NULL, 1, CAST(:content AS text), true, 'system'
     WHERE NOT EXISTS (SELECT 1 FROM prompts WHERE type = CAST(:type AS text) AND requisition_id IS NULL)
    ON CONFLICT DO NOTHING
""")
"""Version 1 of a default as the active global prompt, unless that type has a global prompt already."""


@dataclass(frozen=True)
class Prompt:
    """One stored version of a prompt template."""

    id: int
    type: str
    requisition_id: int | None
    version: int
    template_content: str
    is_active: bool
    created_by: str
    created_at: datetime


def prompt_from_row(row: Row[Any], *, prefix: str = "") -> Prompt:
    """The prompt of a row with the columns of Prompt, each named `prefix` + field (the one row mapper)."""
    values = row._mapping
    return Prompt(
        id=int(values[prefix + "id"]),
        type=values[prefix + "type"],
        requisition_id=values[prefix + "requisition_id"],
        version=int(values[prefix + "version"]),
        template_content=values[prefix + "template_content"],
        is_active=bool(values[prefix + "is_active"]),
        created_by=values[prefix + "created_by"],
        created_at=values[prefix + "created_at"],
    )


@asynccontextmanager
async def _transaction(target: AsyncEngine | AsyncConnection) -> AsyncIterator[AsyncConnection]:
    """A transaction on the engine, or within the caller's connection (a savepoint if one is open)."""
    if isinstance(target, AsyncEngine):
        async with target.begin() as conn:
            yield conn
    elif target.in_transaction():
        async with target.begin_nested():
            yield target
    else:
        async with target.begin():
            yield target


@asynccontextmanager
async def _reading(target: AsyncEngine | AsyncConnection) -> AsyncIterator[AsyncConnection]:
    if isinstance(target, AsyncEngine):
        async with target.connect() as conn:
            yield conn
    else:
        yield target


async def seed_default_prompts(target: AsyncEngine | AsyncConnection) -> None:
    """Restore the default prompts as active global version 1 where a type has no global prompt."""
    async with _transaction(target) as conn:
        for kind in PROMPT_TYPES:
            await conn.execute(SEED_DEFAULT_PROMPTS, {"type": kind, "content": DEFAULT_PROMPTS[kind]})


def _check_type(prompt_type: str) -> None:
    if prompt_type not in PROMPT_TYPES:
        raise ValidationError(f"Unknown prompt type {prompt_type!r}; use one of {', '.join(PROMPT_TYPES)}.")


async def active_prompt(
    target: AsyncEngine | AsyncConnection, *, prompt_type: str, requisition_id: int | None = None
) -> Prompt | None:
    """The requisition's own active version if it has one, else the global active one, else None."""
    _check_type(prompt_type)
    async with _reading(target) as conn:
        row = (await conn.execute(_SELECT_ACTIVE, {"type": prompt_type, "requisition_id": requisition_id})).first()
    return None if row is None else prompt_from_row(row)


async def prompt_versions(
    target: AsyncEngine | AsyncConnection, *, prompt_type: str, requisition_id: int | None = None
) -> list[Prompt]:
    """Every version of one prompt (global when `requisition_id` is None), newest first."""
    _check_type(prompt_type)
    async with _reading(target) as conn:
        rows = await conn.execute(_SELECT_VERSIONS, {"type": prompt_type, "requisition_id": requisition_id})
    return [prompt_from_row(row) for row in rows]


async def prompt_by_id(target: AsyncEngine | AsyncConnection, *, prompt_id: int) -> Prompt | None:
    """One stored version, or None."""
    async with _reading(target) as conn:
        row = (await conn.execute(_SELECT_PROMPT, {"id": prompt_id})).first()
    return None if row is None else prompt_from_row(row)


async def create_prompt_version(
    target: AsyncEngine | AsyncConnection,
    *,
    prompt_type: str,
    requisition_id: int | None,
    template_content: str,
    created_by: str,
    activate: bool,
) -> Prompt:
    """Store `template_content` as the next version of the prompt; optionally make it the active one."""
    _check_type(prompt_type)
    if not template_content.strip():
        raise ValidationError("A prompt cannot be empty; write the instructions the model should follow.")
    scope = {"type": prompt_type, "requisition_id": requisition_id}
    async with _transaction(target) as conn:
        if requisition_id is not None and not await conn.scalar(_SELECT_REQUISITION_EXISTS, {"id": requisition_id}):
            raise ValidationError(f"There is no requisition {requisition_id} to give a prompt to.")
        await conn.execute(_LOCK_SCOPE, scope)
        if activate:
            await conn.execute(_DEACTIVATE_SCOPE, scope)
        row = (
            await conn.execute(
                _INSERT_VERSION,
                {
                    **scope,
                    "content": template_content,
                    "active": activate,
                    "created_by": created_by,
                },
            )
        ).one()
        prompt = prompt_from_row(row)
        await _record(conn, PromptVersionCreated, prompt, created_by)
        if activate:
            await _record(conn, PromptActivated, prompt, created_by)
    return prompt


async def activate_prompt(target: AsyncEngine | AsyncConnection, *, prompt_id: int, actor: str) -> Prompt:
    """Make this version the active one of its type and requisition, deactivating the one before."""
    async with _transaction(target) as conn:
        prompt = await _locked(conn, prompt_id)
        if prompt.is_active:
            return prompt
        scope = {"type": prompt.type, "requisition_id": prompt.requisition_id}
        await conn.execute(_DEACTIVATE_SCOPE, scope)
        prompt = prompt_from_row((await conn.execute(_SET_ACTIVE, {"id": prompt_id, "active": True})).one())
        await _record(conn, PromptActivated, prompt, actor)
    return prompt


async def deactivate_prompt(target: AsyncEngine | AsyncConnection, *, prompt_id: int, actor: str) -> Prompt:
    """End a requisition's own prompt so it falls back to the global one; global ones are replaced instead."""
    async with _transaction(target) as conn:
        prompt = await _locked(conn, prompt_id)
        if prompt.requisition_id is None:
            raise ValidationError(
                "The global prompt cannot be switched off, since every requisition falls back to it; "
                "activate another version instead."
            )
        if not prompt.is_active:
            return prompt
        prompt = prompt_from_row((await conn.execute(_SET_ACTIVE, {"id": prompt_id, "active": False})).one())
        await _record(conn, PromptDeactivated, prompt, actor)
    return prompt


async def _locked(conn: AsyncConnection, prompt_id: int) -> Prompt:
    """The prompt, read again after taking its scope's lock (another activator may have just finished)."""
    row = (await conn.execute(_SELECT_PROMPT, {"id": prompt_id})).first()
    if row is None:
        raise ValidationError(f"There is no prompt {prompt_id}; it may have been removed with its requisition.")
    await conn.execute(_LOCK_SCOPE, {"type": row.type, "requisition_id": row.requisition_id})
    return prompt_from_row((await conn.execute(_SELECT_PROMPT, {"id": prompt_id})).one())


async def _record(
    conn: AsyncConnection,
    kind: type[PromptVersionCreated | PromptActivated | PromptDeactivated],
    prompt: Prompt,
    actor: str,
) -> None:
    await record_activity(
        conn,
        actor=actor,
        requisition_id=prompt.requisition_id,
        details=kind(type=prompt.type, version=prompt.version, requisition_id=prompt.requisition_id),
    )
