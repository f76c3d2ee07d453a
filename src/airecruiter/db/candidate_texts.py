"""Versions of the texts candidates read about the AI: list, read, create, activate, the active one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.activities import record_activity
from airecruiter.domain.candidate_texts import (
    DEFAULT_TEXTS,
    CandidateTextActivated,
    CandidateTextVersionCreated,
    check_content,
    check_kind,
)
from airecruiter.errors import ValidationError

_SELECT_ACTIVE = text(
    "SELECT id, kind, version, content, active, created_by, created_at FROM candidate_texts"
    " WHERE kind = :kind AND active"
)
_SELECT_ONE = text(
    "SELECT id, kind, version, content, active, created_by, created_at FROM candidate_texts WHERE id = :id"
)
_SELECT_ALL = text(
    "SELECT id, kind, version, content, active, created_by, created_at FROM candidate_texts ORDER BY kind, version DESC"
)
# Writers of one kind take turns, so versions never collide and the switch is never interleaved.
_LOCK_KIND = text("SELECT pg_advisory_xact_lock(hashtext('candidate_texts'), hashtext(CAST(:kind AS text)))")
_DEACTIVATE_KIND = text("UPDATE candidate_texts SET active = false WHERE kind = :kind AND active")
_INSERT_VERSION = text("""
    INSERT INTO candidate_texts (kind, version, content, active, created_by)
    SELECT :kind, COALESCE(MAX(version), 0) + 1, :content, :active, :created_by
      FROM candidate_texts WHERE kind = :kind
    RETURNING id, kind, version, content, active, created_by, created_at
""")
_ACTIVATE = text(
    "UPDATE candidate_texts SET active = true WHERE id = :id"
    " RETURNING id, kind, version, content, active, created_by, created_at"
)
# The seeded default, put back when a kind has no version at all (an emptied database).
_SEED_DEFAULT = text("""
    INSERT INTO candidate_texts (kind, version, content, active, created_by)
    SELECT CAST(:kind AS text), 1, CAST(:content AS text), true, 'system'
     WHERE NOT EXISTS (SELECT 1 FROM candidate_texts WHERE kind = CAST(:kind AS text))
    ON CONFLICT DO NOTHING
    RETURNING id, kind, version, content, active, created_by, created_at
""")


@dataclass(frozen=True)
class CandidateText:
    """One stored version of a candidate text."""

    id: int
    kind: str
    version: int
    content: str
    active: bool
    created_by: str
    created_at: datetime


def _text(row: Row[Any]) -> CandidateText:
    return CandidateText(**row._mapping)


async def active_text(conn: AsyncConnection, *, kind: str) -> CandidateText:
    """The version of `kind` in use; the seeded default when the kind has none (it is stored then)."""
    row = (await conn.execute(_SELECT_ACTIVE, {"kind": check_kind(kind)})).first()
    if row is not None:
        return _text(row)
    seeded = (await conn.execute(_SEED_DEFAULT, {"kind": kind, "content": DEFAULT_TEXTS[kind]})).first()
    if seeded is not None:
        return _text(seeded)
    # Versions exist but none is active (an admin cannot get here; a hand edit can): use the newest.
    versions = [t for t in await all_texts(conn) if t.kind == kind]
    return versions[0]


async def text_by_id(conn: AsyncConnection, *, text_id: int) -> CandidateText | None:
    """One version, or None."""
    row = (await conn.execute(_SELECT_ONE, {"id": text_id})).first()
    return None if row is None else _text(row)


async def all_texts(conn: AsyncConnection) -> list[CandidateText]:
    """Every version of every kind, newest first within a kind."""
    return [_text(row) for row in await conn.execute(_SELECT_ALL)]


async def create_text_version(
    conn: AsyncConnection, *, kind: str, content: str, created_by: str, activate: bool
) -> CandidateText:
    """The next version of `kind`, active at once when `activate`; logged, in the caller's transaction."""
    kind, content = check_kind(kind), check_content(content)
    await conn.execute(_LOCK_KIND, {"kind": kind})
    await active_text(conn, kind=kind)  # version 1 is the default, so a first edit becomes version 2
    if activate:
        await conn.execute(_DEACTIVATE_KIND, {"kind": kind})
    params = {"kind": kind, "content": content, "active": activate, "created_by": created_by}
    created = _text((await conn.execute(_INSERT_VERSION, params)).one())
    await record_activity(
        conn, actor=created_by, details=CandidateTextVersionCreated(kind=kind, version=created.version)
    )
    if activate:
        await record_activity(
            conn, actor=created_by, details=CandidateTextActivated(kind=kind, version=created.version)
        )
    return created


async def activate_text(conn: AsyncConnection, *, text_id: int, actor: str) -> CandidateText:
    """Make this version the one in use for its kind; logged, in the caller's transaction."""
    found = await text_by_id(conn, text_id=text_id)
    if found is None:
        raise ValidationError(f"There is no candidate text version {text_id}.")
    await conn.execute(_LOCK_KIND, {"kind": found.kind})
    if found.active:
        return found
    await conn.execute(_DEACTIVATE_KIND, {"kind": found.kind})
    activated = _text((await conn.execute(_ACTIVATE, {"id": text_id})).one())
    await record_activity(conn, actor=actor, details=CandidateTextActivated(kind=found.kind, version=found.version))
    return activated
