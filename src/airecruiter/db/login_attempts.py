"""The sign-in throttle, shared by every process: one row per password check, reserved before it runs.

A check is reserved under a transaction-scoped advisory lock on the username, so however many
requests race, no more than `limit` checks of one username start within `window_seconds`. Every
check counts, the successful ones too: a correct password among the first checks gets in, and
nothing gets a check past the limit. Rows older than the window are pruned as attempts arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.activities import record_activity
from airecruiter.domain.console_activity import SignInUnlocked

_LOCK_CLASS = 0x5349474E  # "SIGN": advisory-lock namespace of the throttle
_PRUNE_BATCH = 200


_LOCK_USERNAME = text("SELECT pg_advisory_xact_lock(:cls, hashtext(:u))")
_DELETE_OLD_ATTEMPTS = text("""
    DELETE FROM login_attempts WHERE id IN (SELECT id FROM login_attempts
    WHERE attempted_at <= now() - make_interval(secs => :w) LIMIT :n FOR UPDATE SKIP LOCKED)
""")
_COUNT_RECENT_ATTEMPTS = text("""
    SELECT count(*) FILTER (WHERE outcome <> 'refused') AS checks,
    count(*) FILTER (WHERE outcome = 'refused') AS refusals,
    EXTRACT(EPOCH FROM min(attempted_at) FILTER (WHERE outcome <> 'refused')
    + make_interval(secs => :w) - now()) AS wait
    FROM login_attempts WHERE username = :u AND attempted_at > now() - make_interval(secs => :w)
""")
_INSERT_REFUSAL = text("INSERT INTO login_attempts (username, outcome, client_address) VALUES (:u, 'refused', :a)")
_INSERT_ATTEMPT = text("INSERT INTO login_attempts (username, client_address) VALUES (:u, :a) RETURNING id")
_UPDATE_OUTCOME = text("UPDATE login_attempts SET outcome = :o WHERE id = :id")
_DELETE_UNUSED_RESERVATION = text("DELETE FROM login_attempts WHERE id = :id AND outcome = 'checking'")
_SELECT_LOCKED_USERNAMES = text("""
    SELECT username, count(*) FILTER (WHERE outcome <> 'refused') AS checks,
    min(attempted_at) FILTER (WHERE outcome <> 'refused') + make_interval(secs => :w) AS locked_until,
    (array_agg(client_address ORDER BY attempted_at DESC))[1] AS last_client_address
    FROM login_attempts WHERE attempted_at > now() - make_interval(secs => :w)
    GROUP BY username HAVING count(*) FILTER (WHERE outcome <> 'refused') >= :limit
    ORDER BY locked_until DESC, username LIMIT 500
""")
_COUNT_RECENT_CHECKS = text("""
    SELECT count(*) FROM login_attempts WHERE username = :u AND outcome <> 'refused'
    AND attempted_at > now() - make_interval(secs => :w)
""")
_DELETE_FINISHED_ATTEMPTS = text("DELETE FROM login_attempts WHERE username = :u AND outcome <> 'checking'")


@dataclass(frozen=True)
class Reservation:
    """A password check may run (`attempt_id`), or it is refused for `retry_after` seconds."""

    attempt_id: int | None
    retry_after: int = 0
    first_refusal: bool = False


@dataclass(frozen=True)
class LockedUsername:
    """A username that used up its checks, and when it may try again."""

    username: str
    checks: int
    locked_until: datetime
    last_client_address: str | None


def throttle_key(username: str) -> str:
    """Usernames are throttled case-insensitively."""
    return username.strip().lower()


async def reserve_check(
    conn: AsyncConnection, *, username: str, limit: int, window_seconds: float, client_address: str | None
) -> Reservation:
    """Reserve one password check for this username, or refuse it (run inside the caller's transaction)."""
    key = throttle_key(username)
    await conn.execute(_LOCK_USERNAME, {"cls": _LOCK_CLASS, "u": key})
    await conn.execute(
        _DELETE_OLD_ATTEMPTS,
        {"w": window_seconds, "n": _PRUNE_BATCH},
    )
    seen = (
        await conn.execute(
            _COUNT_RECENT_ATTEMPTS,
            {"u": key, "w": window_seconds},
        )
    ).one()
    if seen.checks >= limit:
        if not seen.refusals:
            await conn.execute(
                _INSERT_REFUSAL,
                {"u": key, "a": client_address},
            )
        return Reservation(None, retry_after=max(1, int(seen.wait or 0) + 1), first_refusal=not seen.refusals)
    attempt_id = await conn.scalar(
        _INSERT_ATTEMPT,
        {"u": key, "a": client_address},
    )
    assert attempt_id is not None
    return Reservation(int(attempt_id))


async def finish_check(conn: AsyncConnection, *, attempt_id: int, succeeded: bool) -> None:
    """Record how a reserved check ended."""
    await conn.execute(
        _UPDATE_OUTCOME,
        {"id": attempt_id, "o": "succeeded" if succeeded else "failed"},
    )


async def release_check(conn: AsyncConnection, *, attempt_id: int) -> None:
    """Give back a reserved check that never ran (the server was too busy to run it)."""
    await conn.execute(_DELETE_UNUSED_RESERVATION, {"id": attempt_id})


async def locked_usernames(conn: AsyncConnection, *, limit: int, window_seconds: float) -> list[LockedUsername]:
    """Usernames that may not try again yet, soonest unlocked last."""
    rows = await conn.execute(
        _SELECT_LOCKED_USERNAMES,
        {"w": window_seconds, "limit": limit},
    )
    return [LockedUsername(**r._mapping) for r in rows]


async def unlock_username(
    conn: AsyncConnection, *, username: str, actor: str, limit: int, window_seconds: float
) -> bool:
    """Forget a locked username's checks so it may sign in again at once; whether it was locked."""
    key = throttle_key(username)
    await conn.execute(_LOCK_USERNAME, {"cls": _LOCK_CLASS, "u": key})
    checks = await conn.scalar(
        _COUNT_RECENT_CHECKS,
        {"u": key, "w": window_seconds},
    )
    if int(checks or 0) < limit:
        return False
    await conn.execute(_DELETE_FINISHED_ATTEMPTS, {"u": key})
    await record_activity(conn, actor=actor, details=SignInUnlocked(username=key))
    return True
