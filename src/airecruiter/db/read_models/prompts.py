"""Read models of the prompt versions for the admin console: the catalogue, one version beside its
predecessor, and the text a new version starts from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.prompts import Prompt, prompt_from_row

CATALOGUE_LIMIT = 1000

_SELECT_CATALOGUE = text("""
    SELECT p.id, p.type, p.requisition_id, r.name AS requisition_name, p.version, p.is_active,
           p.created_by, p.created_at, length(p.template_content) AS length
      FROM prompts p LEFT JOIN requisitions r ON r.id = p.requisition_id
     WHERE (CAST(:type AS text) IS NULL OR p.type = :type)
       AND (CAST(:requisition_id AS bigint) IS NULL OR p.requisition_id = :requisition_id)
     ORDER BY p.type, p.requisition_id NULLS FIRST, p.version DESC
     LIMIT :limit
""")
# The version and the one before it in the same type and scope, in one round trip.
_SELECT_WITH_PREVIOUS = text("""
    SELECT p.id, p.type, p.requisition_id, p.version, p.template_content, p.is_active, p.created_by,
           p.created_at, r.name AS requisition_name,
           prev.id AS prev_id, p.type AS prev_type, p.requisition_id AS prev_requisition_id,
           prev.version AS prev_version, prev.template_content AS prev_template_content,
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
_SELECT_STARTING_TEXT = text("""
    SELECT id, type, requisition_id, version, template_content, is_active, created_by, created_at
      FROM prompts
     WHERE type = :type AND (requisition_id = CAST(:requisition_id AS bigint) OR requisition_id IS NULL)
     ORDER BY requisition_id IS NULL, is_active DESC, version DESC
     LIMIT 1
""")
_SELECT_REQUISITION_NAME = text("SELECT name FROM requisitions WHERE id = :id")


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
        rows = await conn.execute(
            _SELECT_CATALOGUE, {"type": prompt_type, "requisition_id": requisition_id, "limit": limit}
        )
        return [PromptSummary(**row._mapping) for row in rows]


async def prompt_with_previous(engine: AsyncEngine, *, prompt_id: int) -> PromptWithPrevious | None:
    """One version with its predecessor, or None when there is no such version."""
    async with engine.connect() as conn:
        row = (await conn.execute(_SELECT_WITH_PREVIOUS, {"id": prompt_id})).first()
    if row is None:
        return None
    previous = None if row.prev_id is None else prompt_from_row(row, prefix="prev_")
    return PromptWithPrevious(prompt=prompt_from_row(row), requisition_name=row.requisition_name, previous=previous)


async def starting_text(engine: AsyncEngine, *, prompt_type: str, requisition_id: int | None) -> Prompt | None:
    """The version a new one is drafted from: the scope's active (or newest), else the global one."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(_SELECT_STARTING_TEXT, {"type": prompt_type, "requisition_id": requisition_id})
        ).first()
    return None if row is None else prompt_from_row(row)


async def requisition_name(engine: AsyncEngine, *, requisition_id: int) -> str | None:
    """The requisition's name, or None when there is no such requisition."""
    async with engine.connect() as conn:
        name: str | None = await conn.scalar(_SELECT_REQUISITION_NAME, {"id": requisition_id})
    return name
