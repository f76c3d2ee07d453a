"""Candidate texts: save a new version, make one active, and the active text rendered for a surface.

Each action runs in one transaction with its activity entries; an old version is never changed,
so an email can always name the text version it carried.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.db.candidate_texts import (
    CandidateText,
    activate_text,
    active_text,
    all_texts,
    create_text_version,
    text_by_id,
)
from airecruiter.domain.candidate_texts import DEFAULT_RETENTION_DAYS, TEXT_KINDS, render


@dataclass(frozen=True)
class RenderedText:
    """A candidate text filled in for one candidate, with the version it came from."""

    kind: str
    version: int
    text: str


async def save_new_version(
    engine: AsyncEngine, *, kind: str, content: str, actor: str, activate: bool
) -> CandidateText:
    """Store the text as the next version of its kind; active at once when `activate`."""
    async with engine.begin() as conn:
        return await create_text_version(conn, kind=kind, content=content, created_by=actor, activate=activate)


async def activate(engine: AsyncEngine, *, text_id: int, actor: str) -> CandidateText:
    """Make this version the one candidates read (the one before stops being used)."""
    async with engine.begin() as conn:
        return await activate_text(conn, text_id=text_id, actor=actor)


async def catalogue(engine: AsyncEngine) -> list[CandidateText]:
    """Every version of every kind (the active one of each kind is seeded when missing)."""
    async with engine.begin() as conn:
        for kind in TEXT_KINDS:
            await active_text(conn, kind=kind)  # puts back a seeded default an emptied database lost
        return await all_texts(conn)


async def version(engine: AsyncEngine, *, text_id: int) -> CandidateText | None:
    """One version, or None."""
    async with engine.connect() as conn:
        return await text_by_id(conn, text_id=text_id)


async def rendered(
    conn: AsyncConnection,
    *,
    kind: str,
    role: str,
    company: str,
    contact: str,
    retention_days: int = DEFAULT_RETENTION_DAYS,
) -> RenderedText:
    """The active version of `kind` with its placeholders filled in (plain text: callers escape it)."""
    current = await active_text(conn, kind=kind)
    values = {"role": role, "company": company, "contact": contact, "retention_days": retention_days}
    return RenderedText(kind=kind, version=current.version, text=render(current.content, values))
