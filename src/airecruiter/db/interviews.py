"""Interviews (one live one per application, its token stored only as a hash) and their messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

# The partial unique index allows one interview per application that is not expired.
_INSERT_INTERVIEW = text("""
    INSERT INTO interviews (application_id, token_hash, expires_at)
    VALUES (:application_id, :token_hash, :expires_at)
    ON CONFLICT (application_id) WHERE status <> 'expired' DO NOTHING
    RETURNING id, application_id, token_hash, expires_at, status, invitation_message_id, invitation_sent_at,
              started_at, completed_at, created_at
""")
_SELECT_LIVE_INTERVIEW = text("""
    SELECT id, application_id, token_hash, expires_at, status, invitation_message_id, invitation_sent_at,
           started_at, completed_at, created_at
      FROM interviews WHERE application_id = :application_id AND status <> 'expired'
     ORDER BY id DESC LIMIT 1
""")
_SELECT_INTERVIEW = text("""
    SELECT id, application_id, token_hash, expires_at, status, invitation_message_id, invitation_sent_at,
           started_at, completed_at, created_at
      FROM interviews WHERE id = :id
""")
_LOCK_INTERVIEW = text("""
    SELECT id, application_id, token_hash, expires_at, status, invitation_message_id, invitation_sent_at,
           started_at, completed_at, created_at
      FROM interviews WHERE id = :id FOR UPDATE
""")
_SELECT_INTERVIEW_BY_TOKEN_HASH = text("""
    SELECT id, application_id, token_hash, expires_at, status, invitation_message_id, invitation_sent_at,
           started_at, completed_at, created_at
      FROM interviews WHERE token_hash = :token_hash
""")
_REISSUE_TOKEN = text("""
    UPDATE interviews SET token_hash = :token_hash, expires_at = :expires_at
     WHERE id = :id AND invitation_message_id IS NULL AND status = 'scheduled'
    RETURNING id, application_id, token_hash, expires_at, status, invitation_message_id, invitation_sent_at,
              started_at, completed_at, created_at
""")
_RECORD_INVITATION = text("""
    UPDATE interviews SET invitation_message_id = :message_id, invitation_sent_at = :sent_at
     WHERE id = :id AND invitation_message_id IS NULL
    RETURNING id, application_id, token_hash, expires_at, status, invitation_message_id, invitation_sent_at,
              started_at, completed_at, created_at
""")
_MARK_STARTED = text("""
    UPDATE interviews SET status = 'in_progress', started_at = :at
     WHERE id = :id AND status = 'scheduled'
    RETURNING id, application_id, token_hash, expires_at, status, invitation_message_id, invitation_sent_at,
              started_at, completed_at, created_at
""")
_MARK_COMPLETED = text("""
    UPDATE interviews SET status = 'completed', completed_at = :at, started_at = COALESCE(started_at, :at)
     WHERE id = :id AND status IN ('scheduled', 'in_progress')
    RETURNING id, application_id, token_hash, expires_at, status, invitation_message_id, invitation_sent_at,
              started_at, completed_at, created_at
""")
_MARK_EXPIRED = text("""
    UPDATE interviews SET status = 'expired'
     WHERE id = :id AND status IN ('scheduled', 'in_progress')
    RETURNING id, application_id, token_hash, expires_at, status, invitation_message_id, invitation_sent_at,
              started_at, completed_at, created_at
""")
_APPEND_MESSAGE = text("""
    INSERT INTO interview_messages (interview_id, seq, role, content)
    SELECT :interview_id, COALESCE(MAX(seq), 0) + 1, :role, :content
      FROM interview_messages WHERE interview_id = :interview_id
    RETURNING id, interview_id, seq, role, content, created_at
""")
_SELECT_MESSAGES = text("""
    SELECT id, interview_id, seq, role, content, created_at
      FROM interview_messages WHERE interview_id = :interview_id ORDER BY seq
""")

MessageRole = Literal["interviewer", "candidate"]


@dataclass(frozen=True)
class InterviewRecord:
    """One interview; the candidate's token is never stored, only `token_hash`."""

    id: int
    application_id: int
    token_hash: str
    expires_at: datetime
    status: str
    invitation_message_id: str | None
    invitation_sent_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class InterviewMessageRecord:
    """One message of an interview, numbered from 1 in the order it was stored."""

    id: int
    interview_id: int
    seq: int
    role: str
    content: str
    created_at: datetime


def interview_from_row(row: Row[Any]) -> InterviewRecord:
    """The interview of a row holding (at least) the columns of InterviewRecord: the one row mapper."""
    return InterviewRecord(**{name: row._mapping[name] for name in InterviewRecord.__dataclass_fields__})


def _interview(row: Row[Any] | None) -> InterviewRecord | None:
    return None if row is None else interview_from_row(row)


async def create_interview(
    conn: AsyncConnection,
    *,
    application_id: int,
    token_hash: str,
    expires_at: datetime,
) -> InterviewRecord | None:
    """A new `scheduled` interview; None when the application already has a live one."""
    return _interview(
        (
            await conn.execute(
                _INSERT_INTERVIEW,
                {"application_id": application_id, "token_hash": token_hash, "expires_at": expires_at},
            )
        ).first()
    )


async def live_interview(conn: AsyncConnection, *, application_id: int) -> InterviewRecord | None:
    """The application's interview that has not expired, or None."""
    return _interview((await conn.execute(_SELECT_LIVE_INTERVIEW, {"application_id": application_id})).first())


async def interview_by_id(conn: AsyncConnection, *, interview_id: int) -> InterviewRecord | None:
    """The interview with this id, or None."""
    return _interview((await conn.execute(_SELECT_INTERVIEW, {"id": interview_id})).first())


async def interview_by_token_hash(conn: AsyncConnection, *, token_hash: str) -> InterviewRecord | None:
    """The interview a link opens (hash the token with `domain.interview_tokens.hash_interview_token`)."""
    return _interview((await conn.execute(_SELECT_INTERVIEW_BY_TOKEN_HASH, {"token_hash": token_hash})).first())


async def reissue_token(
    conn: AsyncConnection,
    *,
    interview_id: int,
    token_hash: str,
    expires_at: datetime,
) -> InterviewRecord | None:
    """Give a never-sent interview a new token (the old clear token is lost); None once it was sent."""
    return _interview(
        (
            await conn.execute(_REISSUE_TOKEN, {"id": interview_id, "token_hash": token_hash, "expires_at": expires_at})
        ).first()
    )


async def record_invitation(
    conn: AsyncConnection,
    *,
    interview_id: int,
    message_id: str,
    sent_at: datetime,
) -> InterviewRecord | None:
    """Remember the invitation's message id; None when one was recorded already."""
    return _interview(
        (
            await conn.execute(_RECORD_INVITATION, {"id": interview_id, "message_id": message_id, "sent_at": sent_at})
        ).first()
    )


async def mark_interview_started(conn: AsyncConnection, *, interview_id: int, at: datetime) -> InterviewRecord | None:
    """`scheduled` → `in_progress` when the candidate first answers; None when it was not scheduled."""
    return _interview((await conn.execute(_MARK_STARTED, {"id": interview_id, "at": at})).first())


async def mark_interview_completed(
    conn: AsyncConnection,
    *,
    interview_id: int,
    at: datetime,
) -> InterviewRecord | None:
    """→ `completed`; None when it had already ended (completed or expired)."""
    return _interview((await conn.execute(_MARK_COMPLETED, {"id": interview_id, "at": at})).first())


async def mark_interview_expired(conn: AsyncConnection, *, interview_id: int) -> InterviewRecord | None:
    """→ `expired` (frees the application for a new interview); None when it had already ended."""
    return _interview((await conn.execute(_MARK_EXPIRED, {"id": interview_id})).first())


async def append_message(
    conn: AsyncConnection,
    *,
    interview_id: int,
    role: MessageRole,
    content: str,
) -> InterviewMessageRecord:
    """Store the next message of the interview, inside the caller's transaction.

    The interview row is locked first, so concurrent appends (two browser tabs) take turns and
    each gets the next `seq`; the insert runs as a second statement so it sees the other's row.
    """
    if (await conn.execute(_LOCK_INTERVIEW, {"id": interview_id})).first() is None:
        raise LookupError(f"there is no interview {interview_id}")
    row = (await conn.execute(_APPEND_MESSAGE, {"interview_id": interview_id, "role": role, "content": content})).one()
    return InterviewMessageRecord(**row._mapping)


async def messages(conn: AsyncConnection, *, interview_id: int) -> list[InterviewMessageRecord]:
    """The interview's messages in order."""
    rows = await conn.execute(_SELECT_MESSAGES, {"interview_id": interview_id})
    return [InterviewMessageRecord(**row._mapping) for row in rows]
