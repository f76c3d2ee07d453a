"""Signing in to the console: a throttle in the database, the password check, a new session.

For one username at most MAX_CHECKS password checks run per CHECK_WINDOW_SECONDS, in every process
together; later attempts are refused without a check. Each check is reserved in the database
before the password is verified, so concurrency cannot squeeze in more. The web layer owns the
cookies and pages; this module owns what is stored and logged.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.console_sessions import create_session, prune_sessions
from airecruiter.db.login_attempts import Reservation, finish_check, release_check, reserve_check
from airecruiter.db.users import UserRecord
from airecruiter.domain.console_activity import SignIn, SignInFailed, SignInLocked

MAX_CHECKS = 5
CHECK_WINDOW_SECONDS = 15 * 60


async def reserve(engine: AsyncEngine, *, username: str, client: str) -> Reservation:
    """A password check for this username, or the refusal (the first refusal of a lock-out is logged)."""
    async with engine.begin() as conn:
        reservation = await reserve_check(
            conn, username=username, limit=MAX_CHECKS, window_seconds=CHECK_WINDOW_SECONDS, client_address=client
        )
        if reservation.first_refusal:
            await record_activity(
                conn,
                actor="console",
                details=SignInLocked(username=username, client=client, retry_after_seconds=reservation.retry_after),
            )
    return reservation


async def release(engine: AsyncEngine, *, attempt_id: int) -> None:
    """Give back a reserved check that could not run (the server was busy): it does not count."""
    async with engine.begin() as conn:
        await release_check(conn, attempt_id=attempt_id)


async def finish(
    engine: AsyncEngine,
    *,
    attempt_id: int,
    user: UserRecord | None,
    username: str,
    client: str,
    user_agent: str | None,
    idle_seconds: float,
    lifetime_seconds: float,
) -> str | None:
    """Record the check's outcome; for a signed-in user a new session, whose cookie id is returned."""
    async with engine.begin() as conn:
        await finish_check(conn, attempt_id=attempt_id, succeeded=user is not None)
        if user is None:
            await record_activity(conn, actor="console", details=SignInFailed(username=username, client=client))
            return None
        await record_activity(conn, actor=f"console:{user.username}", details=SignIn(client=client))
        await prune_sessions(conn, idle_seconds=idle_seconds)
        token, _ = await create_session(
            conn, user_id=user.id, lifetime_seconds=lifetime_seconds, client_address=client, user_agent=user_agent
        )
    return token
