"""Console accounts: create, set a password, sign in, (de)activate, change role, end sessions, unlock.

Every change is in the activity log (written by `db.users` and friends in the same transaction);
a change to who someone is or may do ends their sessions at once.
"""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.console_sessions import end_session_by_id, end_user_sessions
from airecruiter.db.login_attempts import unlock_username
from airecruiter.db.users import (
    UserRecord,
    create_user,
    list_users,
    record_login,
    set_active,
    set_password_hash,
    set_role,
    user_by_username,
)
from airecruiter.services.passwords import PasswordChecker, check_password, dummy_hash, hash_password
from airecruiter.services.sign_in import CHECK_WINDOW_SECONDS, MAX_CHECKS


async def create_account(engine: AsyncEngine, *, username: str, password: str, role: str, actor: str) -> UserRecord:
    """Create a console user with this password."""
    password_hash = hash_password(password)
    async with engine.begin() as conn:
        return await create_user(conn, username=username, password_hash=password_hash, role=role, actor=actor)


async def reset_password(engine: AsyncEngine, *, username: str, password: str, actor: str) -> UserRecord:
    """Give an existing user a new password."""
    password_hash = hash_password(password)
    async with engine.begin() as conn:
        return await set_password_hash(conn, username=username, password_hash=password_hash, actor=actor)


async def authenticate(
    engine: AsyncEngine, *, username: str, password: str, checker: PasswordChecker | None = None
) -> UserRecord | None:
    """The active user with this username and password, or None; the same cost either way.

    The check runs off the event loop: in `checker`'s pool (the caller holds one of its slots), else
    in a worker thread.
    """
    async with engine.connect() as conn:
        user = await user_by_username(conn, username=username)
    stored = user.password_hash if user else await asyncio.to_thread(dummy_hash)
    if checker is not None:
        matched, rehashed = await checker.verify(stored, password)
    else:
        matched, rehashed = await asyncio.to_thread(check_password, stored, password)
    if not matched or user is None or not user.active:
        return None
    async with engine.begin() as conn:
        await record_login(conn, user_id=user.id, password_hash=rehashed)
    return user


async def set_account_active(engine: AsyncEngine, *, username: str, active: bool, actor: str) -> UserRecord:
    """Deactivate a user (every session ends at once) or reactivate one."""
    async with engine.begin() as conn:
        return await set_active(conn, username=username, active=active, actor=actor)


async def change_role(engine: AsyncEngine, *, username: str, role: str, actor: str) -> UserRecord:
    """Give a user another role (every session ends at once)."""
    async with engine.begin() as conn:
        return await set_role(conn, username=username, role=role, actor=actor)


async def end_session(engine: AsyncEngine, *, session_id: int, actor: str) -> str | None:
    """End one console session; whose it was, or None when it had ended already."""
    async with engine.begin() as conn:
        return await end_session_by_id(conn, session_id=session_id, actor=actor)


async def sign_out(engine: AsyncEngine, *, user_id: int, actor: str) -> None:
    """End every session of this user, here and elsewhere."""
    async with engine.begin() as conn:
        await end_user_sessions(conn, user_id=user_id, actor=actor, reason="signed_out")


async def unlock(engine: AsyncEngine, *, username: str, actor: str) -> bool:
    """Let a username locked by failed sign-ins sign in again at once; whether it was locked."""
    async with engine.begin() as conn:
        return await unlock_username(
            conn, username=username, actor=actor, limit=MAX_CHECKS, window_seconds=CHECK_WINDOW_SECONDS
        )


async def list_accounts(engine: AsyncEngine) -> list[UserRecord]:
    """Every console user, for the operator's overview."""
    async with engine.connect() as conn:
        return await list_users(conn)
