"""Admin console users: username, argon2 password hash, role; never a clear password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.activities import record_activity
from airecruiter.db.console_sessions import end_user_sessions
from airecruiter.domain.console_activity import (
    UserActivated,
    UserCreated,
    UserDeactivated,
    UserPasswordSet,
    UserRoleChanged,
)
from airecruiter.errors import ValidationError

ROLES = ("admin", "recruiter", "auditor")

_INSERT_USER = text("""
    INSERT INTO users (username, password_hash, role) VALUES (:u, :h, :r)
    RETURNING id, username, password_hash, role, active, last_login_at, created_at
""")
_UPDATE_PASSWORD_HASH = text("""
    UPDATE users SET password_hash = :h WHERE username = :u
    RETURNING id, username, password_hash, role, active, last_login_at, created_at
""")
_UPDATE_ACTIVE = text("""
    UPDATE users SET active = :a WHERE username = :u
    RETURNING id, username, password_hash, role, active, last_login_at, created_at
""")
_UPDATE_ROLE = text("""
    UPDATE users SET role = :r WHERE username = :u
    RETURNING id, username, password_hash, role, active, last_login_at, created_at
""")
_SELECT_USER_BY_USERNAME = text("""
    SELECT id, username, password_hash, role, active, last_login_at, created_at
      FROM users WHERE username = :u
""")
_SELECT_USER_BY_ID = text("""
    SELECT id, username, password_hash, role, active, last_login_at, created_at
      FROM users WHERE id = :id
""")
_RECORD_LOGIN = text("""
    UPDATE users SET last_login_at = now(), password_hash = COALESCE(:h, password_hash)
     WHERE id = :id
""")
_SELECT_USERS = text("""
    SELECT id, username, password_hash, role, active, last_login_at, created_at
      FROM users ORDER BY username
""")


@dataclass(frozen=True)
class UserRecord:
    """One console user."""

    id: int
    username: str
    password_hash: str
    role: str
    active: bool
    last_login_at: datetime | None
    created_at: datetime


def _record(row: Row[Any] | None) -> UserRecord | None:
    return UserRecord(**row._mapping) if row is not None else None


async def create_user(
    conn: AsyncConnection,
    *,
    username: str,
    password_hash: str,
    role: str,
    actor: str,
) -> UserRecord:
    """Add a user; a taken username or an unknown role is a ValidationError."""
    if role not in ROLES:
        raise ValidationError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}.")
    try:
        async with conn.begin_nested():
            row = (
                await conn.execute(
                    _INSERT_USER,
                    {"u": username, "h": password_hash, "r": role},
                )
            ).first()
    except IntegrityError as exc:
        # Not `from exc`: SQLAlchemy's error quotes the statement's parameters, the password hash among them.
        if "users_username_key" in str(exc.orig):
            raise ValidationError(f"A user named {username!r} already exists.") from None
        raise ValidationError(
            f"{username!r} is not a valid username: use 1–64 letters, digits and . _ @ - only."
        ) from None
    user = _record(row)
    assert user is not None
    await record_activity(conn, actor=actor, details=UserCreated(username=username, role=role))
    return user


async def set_password_hash(conn: AsyncConnection, *, username: str, password_hash: str, actor: str) -> UserRecord:
    """Replace a user's password hash and end every session of theirs; a deactivated user stays so."""
    row = (
        await conn.execute(
            _UPDATE_PASSWORD_HASH,
            {"u": username, "h": password_hash},
        )
    ).first()
    user = _existing(row, username)
    await record_activity(conn, actor=actor, details=UserPasswordSet(username=username))
    await end_user_sessions(conn, user_id=user.id, actor=actor, reason="password_changed")
    return user


async def set_active(conn: AsyncConnection, *, username: str, active: bool, actor: str) -> UserRecord:
    """Deactivate (ending every session at once) or reactivate a user."""
    row = (
        await conn.execute(
            _UPDATE_ACTIVE,
            {"u": username, "a": active},
        )
    ).first()
    user = _existing(row, username)
    details = UserActivated(username=username) if active else UserDeactivated(username=username)
    await record_activity(conn, actor=actor, details=details)
    if not active:
        await end_user_sessions(conn, user_id=user.id, actor=actor, reason="deactivated")
    return user


async def set_role(conn: AsyncConnection, *, username: str, role: str, actor: str) -> UserRecord:
    """Give a user another role, ending their sessions so the new role starts with a fresh sign-in."""
    if role not in ROLES:
        raise ValidationError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}.")
    row = (
        await conn.execute(
            _UPDATE_ROLE,
            {"u": username, "r": role},
        )
    ).first()
    user = _existing(row, username)
    await record_activity(conn, actor=actor, details=UserRoleChanged(username=username, role=role))
    await end_user_sessions(conn, user_id=user.id, actor=actor, reason="role_changed")
    return user


def _existing(row: Row[Any] | None, username: str) -> UserRecord:
    user = _record(row)
    if user is None:
        raise ValidationError(f"There is no user named {username!r}; create it with `airecruiter users create`.")
    return user


async def user_by_username(conn: AsyncConnection, *, username: str) -> UserRecord | None:
    """The user with this username, active or not."""
    row = (
        await conn.execute(
            _SELECT_USER_BY_USERNAME,
            {"u": username},
        )
    ).first()
    return _record(row)


async def user_by_id(conn: AsyncConnection, *, user_id: int) -> UserRecord | None:
    """The user with this id, active or not."""
    row = (
        await conn.execute(
            _SELECT_USER_BY_ID,
            {"id": user_id},
        )
    ).first()
    return _record(row)


async def record_login(conn: AsyncConnection, *, user_id: int, password_hash: str | None = None) -> None:
    """Note a successful login, storing a re-computed hash when the parameters changed."""
    await conn.execute(
        _RECORD_LOGIN,
        {"id": user_id, "h": password_hash},
    )


async def list_users(conn: AsyncConnection) -> list[UserRecord]:
    """Every user, by username."""
    rows = await conn.execute(_SELECT_USERS)
    return [UserRecord(**r._mapping) for r in rows]
