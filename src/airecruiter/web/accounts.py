"""Console accounts: argon2 password hashes, user creation and authentication (used by the CLI too)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.users import UserRecord, create_user, record_login, set_password_hash, user_by_username
from airecruiter.errors import ValidationError

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()  # argon2id with the library's current RFC 9106 "low memory" profile
# Verifying against this when the username is unknown keeps both answers equally slow.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An argon2id hash of a password that meets the minimum length."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"The password is too short: use at least {MIN_PASSWORD_LENGTH} characters.")
    return _hasher.hash(password)


def new_password() -> str:
    """A random password to hand out once (about 128 bits)."""
    return secrets.token_urlsafe(16)


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


async def authenticate(engine: AsyncEngine, *, username: str, password: str) -> UserRecord | None:
    """The active user with this username and password, or None; the same cost either way."""
    async with engine.connect() as conn:
        user = await user_by_username(conn, username=username)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    rehashed = _hasher.hash(password) if _hasher.check_needs_rehash(user.password_hash) else None
    async with engine.begin() as conn:
        await record_login(conn, user_id=user.id, password_hash=rehashed)
    return user
