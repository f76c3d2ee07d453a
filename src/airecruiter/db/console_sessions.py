"""Console sessions kept in the database: the cookie's random id is stored only as its SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.activities import record_activity
from airecruiter.domain.console_activity import SessionEnded

USER_AGENT_CHARS = 200


_INSERT_SESSION = text("""
    INSERT INTO console_sessions (token_hash, user_id, csrf_token, expires_at, client_address, user_agent)
    VALUES (:h, :u, :c, now() + make_interval(secs => :life), :a, :ua)
""")
_TOUCH_LIVE_SESSION = text("""
    UPDATE console_sessions s SET last_seen_at = CASE WHEN :touch THEN now() ELSE s.last_seen_at END
    FROM users u
    WHERE s.token_hash = :h AND u.id = s.user_id AND u.active AND s.expires_at > now()
    AND s.last_seen_at > now() - make_interval(secs => :idle)
    RETURNING s.id, u.id AS user_id, u.username, u.role, s.csrf_token
""")
_DELETE_ENDED_SESSION = text("""
    DELETE FROM console_sessions s USING users u WHERE s.token_hash = :h AND u.id = s.user_id
    RETURNING u.username, CASE WHEN NOT u.active THEN 'deactivated'
    WHEN s.expires_at <= now() THEN 'expired' ELSE 'idle' END AS reason
""")
_DELETE_SESSION_BY_TOKEN_HASH = text("""
    DELETE FROM console_sessions s USING users u WHERE s.token_hash = :h AND u.id = s.user_id
    RETURNING u.username
""")
_DELETE_SESSION_BY_ID = text("""
    DELETE FROM console_sessions s USING users u WHERE s.id = :id AND u.id = s.user_id
    RETURNING u.username
""")
_DELETE_USER_SESSIONS = text("""
    DELETE FROM console_sessions s USING users u WHERE s.user_id = :id AND u.id = s.user_id
    RETURNING u.username
""")
_SELECT_ACTIVE_SESSIONS = text("""
    SELECT s.id, u.username, u.role, s.created_at, s.last_seen_at, s.expires_at, s.client_address,
    s.user_agent FROM console_sessions s JOIN users u ON u.id = s.user_id
    WHERE u.active AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => :idle)
    ORDER BY s.last_seen_at DESC, s.id DESC LIMIT :limit
""")
_DELETE_STALE_SESSIONS = text("""
    DELETE FROM console_sessions s USING users u WHERE u.id = s.user_id AND s.id IN (
    SELECT id FROM console_sessions WHERE expires_at <= now()
    OR last_seen_at <= now() - make_interval(secs => :idle) LIMIT 500 FOR UPDATE SKIP LOCKED)
    RETURNING u.username, CASE WHEN s.expires_at <= now() THEN 'expired' ELSE 'idle' END AS reason
""")


@dataclass(frozen=True)
class LiveSession:
    """A valid session and its user, as a request sees them."""

    session_id: int
    user_id: int
    username: str
    role: str
    csrf_token: str


@dataclass(frozen=True)
class SessionListing:
    """One active session as the console lists it."""

    id: int
    username: str
    role: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    client_address: str | None
    user_agent: str | None


def hash_session_token(token: str) -> str:
    """The SHA-256 (hex) stored in place of the cookie's random id."""
    return hashlib.sha256(token.encode()).hexdigest()


async def create_session(
    conn: AsyncConnection,
    *,
    user_id: int,
    lifetime_seconds: float,
    client_address: str | None,
    user_agent: str | None,
) -> tuple[str, str]:
    """A new session for the user: (the cookie's random id, the session's CSRF token)."""
    token = secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    await conn.execute(
        _INSERT_SESSION,
        {
            "h": hash_session_token(token),
            "u": user_id,
            "c": csrf_token,
            "life": lifetime_seconds,
            "a": client_address,
            "ua": (user_agent or "")[:USER_AGENT_CHARS] or None,
        },
    )
    return token, csrf_token


async def use_session(
    conn: AsyncConnection, *, token: str, idle_seconds: float, touch: bool = True
) -> LiveSession | None:
    """The live session behind a cookie (noting it was used just now), or None.

    A session that outlived its idle timeout or its lifetime, or whose user is no longer active,
    is ended here (deleted and logged), so nothing can bring it back.
    """
    token_hash = hash_session_token(token)
    live = (
        await conn.execute(
            _TOUCH_LIVE_SESSION,
            {"h": token_hash, "idle": idle_seconds, "touch": touch},
        )
    ).first()
    if live is not None:
        return LiveSession(
            session_id=live.id, user_id=live.user_id, username=live.username, role=live.role, csrf_token=live.csrf_token
        )
    ended = (
        await conn.execute(
            _DELETE_ENDED_SESSION,
            {"h": token_hash},
        )
    ).first()
    if ended is not None:
        await _log_ended(conn, actor="system", username=ended.username, reason=ended.reason, count=1)
    return None


async def end_session(conn: AsyncConnection, *, token: str, actor: str, reason: str) -> bool:
    """End the session behind a cookie (signing out); whether there was one."""
    row = (
        await conn.execute(
            _DELETE_SESSION_BY_TOKEN_HASH,
            {"h": hash_session_token(token)},
        )
    ).first()
    if row is not None:
        await _log_ended(conn, actor=actor, username=row.username, reason=reason, count=1)
    return row is not None


async def end_session_by_id(conn: AsyncConnection, *, session_id: int, actor: str) -> str | None:
    """An admin ends one session; the username it belonged to, or None when it was already gone."""
    row = (
        await conn.execute(
            _DELETE_SESSION_BY_ID,
            {"id": session_id},
        )
    ).first()
    if row is None:
        return None
    await _log_ended(conn, actor=actor, username=row.username, reason="ended_by_admin", count=1)
    return str(row.username)


async def end_user_sessions(conn: AsyncConnection, *, user_id: int, actor: str, reason: str) -> int:
    """End every session of one user at once (sign-out, new password, deactivation, new role)."""
    rows = (
        await conn.execute(
            _DELETE_USER_SESSIONS,
            {"id": user_id},
        )
    ).all()
    if rows:
        await _log_ended(conn, actor=actor, username=rows[0].username, reason=reason, count=len(rows))
    return len(rows)


async def active_sessions(conn: AsyncConnection, *, idle_seconds: float, limit: int = 500) -> list[SessionListing]:
    """Sessions still valid now (not idle, not expired, active user), most recently used first."""
    rows = await conn.execute(
        _SELECT_ACTIVE_SESSIONS,
        {"idle": idle_seconds, "limit": limit},
    )
    return [SessionListing(**r._mapping) for r in rows]


async def prune_sessions(conn: AsyncConnection, *, idle_seconds: float) -> int:
    """End (delete and log) sessions that timed out but were never presented again; how many.

    A few hundred at a time: called at each sign-in, it keeps the table to the live sessions.
    """
    rows = (
        await conn.execute(
            _DELETE_STALE_SESSIONS,
            {"idle": idle_seconds},
        )
    ).all()
    ended = Counter((row.username, row.reason) for row in rows)
    for (username, reason), count in sorted(ended.items()):
        await _log_ended(conn, actor="system", username=username, reason=reason, count=count)
    return len(rows)


async def _log_ended(conn: AsyncConnection, *, actor: str, username: str, reason: str, count: int) -> None:
    details = SessionEnded(username=username, reason=reason, sessions=count)
    await record_activity(conn, actor=actor, details=details)
