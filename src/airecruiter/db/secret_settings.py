"""The `settings` table: values stored encrypted (a rotated Workday refresh token, say).

This module stores and reads ciphertext only; `adapters.workday.token_store` encrypts and decrypts, so no
clear secret passes through the database layer's code or its logs.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

_SELECT_SETTING = text("SELECT value_encrypted FROM settings WHERE key = :key")
_UPSERT_SETTING = text("""
    INSERT INTO settings (key, value_encrypted) VALUES (:key, :value)
    ON CONFLICT (key) DO UPDATE SET value_encrypted = EXCLUDED.value_encrypted, updated_at = now()
""")

WORKDAY_REFRESH_TOKEN_KEY = "workday.refresh_token"  # noqa: S105 - the row's name, not a secret


async def read_encrypted_setting(engine: AsyncEngine, *, key: str) -> str | None:
    """The stored ciphertext for `key`, or None."""
    async with engine.connect() as conn:
        value = await conn.scalar(_SELECT_SETTING, {"key": key})
    return None if value is None else str(value)


async def write_encrypted_setting(engine: AsyncEngine, *, key: str, value_encrypted: str) -> None:
    """Store (or replace) the ciphertext for `key`."""
    async with engine.begin() as conn:
        await conn.execute(_UPSERT_SETTING, {"key": key, "value": value_encrypted})
