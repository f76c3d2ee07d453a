"""Read models of the prompt versions for the admin console: the catalogue, one version beside its
predecessor, and the text a new version starts from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.prompts import Prompt

CATALOGUE_LIMIT = 1000

_CATALOGUE = text("""
    SELECT p.id, p.type, p.requisition_id, r.name AS requisition_name, p.version, p.is_active,
           p.created_by, p.created_at, length(p.template_content) AS length
      FROM prompts p LEFT JOIN requisitions r ON r.id = p.requisition_id
     WHERE (CAST(:type AS text) IS NULL OR p.type = :type)
       AND (CAST(:requisition_id AS bigint) IS NULL OR p.requisition_id = :requisition_id)
     ORDER BY p.type, p.requisition_id NULLS FIRST, p.version DESC
     LIMIT :limit
""")
# The version and the one before it in the same type and scope, in one round trip.
_WITH_PREVIOUS = text("""
    SELECT p.id, p.type, p.requisition_id, p.version, p.template_content, p.is_active, p.created_by,
           p.created_at, r.name AS requisition_name,
           prev.id AS prev_id, prev.version AS prev_version, prev.template_content AS prev_content,
           prev.is_active AS prev_is_active, prev.created_by AS prev_created_by, prev.created_at AS prev_created_at
      FROM prompts p
      LEFT JOIN requisitions r ON r.id = p.requisition_id
      LEFT JOIN LATERAL (
            SELECT id, version, template_content, is_active, created_by, created_at FROM prompts q
             WHERE q.type = p.type AND q.requisition_id IS NOT DISTINCT FROM p.requisition_id
               AND q.version < p.version
             ORDER BY q.version DESC LIMIT 1) prev ON true
     WHERE p.id = :id
""")
# Own scope first (its active version, else its newest), then the global active (else newest) one.
_STARTING_TEXT = text("""
    SELECT id, type, requisition_id, version, template_content, is_active, created_by, created_at
      FROM prompts
     WHERE type = :type AND (requisition_id = CAST(:requisition_id AS bigint) OR requisition_id IS NULL)
     ORDER BY requisition_id IS NULL, is_active DESC, version DESC
     LIMIT 1
""")
_REQUISITION_NAME = text("SELECT name FROM requisitions WHERE id = :id")


@dataclass(frozen=True)
class PromptSummary:
    """One version in the catalogue (without its text)."""

    id: int
    type: str
    requisition_id: int | None
    requisition_name: str | None
    version: int
    is_active: bool
    created_by: str
    created_at: datetime
    length: int


@dataclass(frozen=True)
class PromptWithPrevious:
    """A version, the requisition it belongs to, and the version before it in the same scope."""

    prompt: Prompt
    requisition_name: str | None
    previous: Prompt | None


async def prompt_catalogue(
    engine: AsyncEngine,
    *,
    prompt_type: str | None = None,
    requisition_id: int | None = None,
    limit: int = CATALOGUE_LIMIT,
) -> list[PromptSummary]:
    """Versions by type, global first then per requisition, newest version first."""
    async with engine.connect() as conn:
        rows = await conn.execute(_CATALOGUE, {"type": prompt_type, "requisition_id": requisition_id, "limit": limit})
        return [PromptSummary(**row._mapping) for row in rows]


def _previous(row: Row[Any]) -> Prompt | None:
    if row.prev_id is None:
        return None
    return Prompt(
        id=int(row.prev_id),
        type=row.type,
        requisition_id=row.requisition_id,
        version=int(row.prev_version),
        template_content=row.prev_content,
        is_active=bool(row.prev_is_active),
        created_by=row.prev_created_by,
        created_at=row.prev_created_at,
    )


async def prompt_with_previous(engine: AsyncEngine, *, prompt_id: int) -> PromptWithPrevious | None:
    """One version with its predecessor, or None when there is no such version."""
    async with engine.connect() as conn:
        row = (await conn.execute(_WITH_PREVIOUS, {"id": prompt_id})).first()
    if row is None:
        return None
    prompt = Prompt(
        id=int(row.id),
        type=row.type,
        requisition_id=row.requisition_id,
        version=int(row.version),
        template_content=row.template_content,
        is_active=bool(row.is_active),
        created_by=row.created_by,
        created_at=row.created_at,
    )
    return PromptWithPrevious(prompt=prompt, requisition_name=row.requisition_name, previous=_previous(row))


async def starting_text(engine: AsyncEngine, *, prompt_type: str, requisition_id: int | None) -> Prompt | None:
    """The version a new one is drafted from: the scope's active (or newest), else the global one."""
    async with engine.connect() as conn:
        row = (await conn.execute(_STARTING_TEXT, {"type": prompt_type, "requisition_id": requisition_id})).first()
    if row is None:
        return None
    return Prompt(
        id=int(row.id),
        type=row.type,
        requisition_id=row.requisition_id,
        version=int(row.version),
        template_content=row.template_content,
        is_active=bool(row.is_active),
        created_by=row.created_by,
        created_at=row.created_at,
    )


async def requisition_name(engine: AsyncEngine, *, requisition_id: int) -> str | None:
    """The requisition's name, or None when there is no such requisition."""
    async with engine.connect() as conn:
        name: str | None = await conn.scalar(_REQUISITION_NAME, {"id": requisition_id})
    return name
