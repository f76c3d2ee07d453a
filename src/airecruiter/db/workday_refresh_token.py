"""Where the rotated Workday refresh token is kept: its ciphertext, in the `settings` table.

Only ciphertext passes through here; `adapters.workday.token_store` encrypts and decrypts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.secret_settings import WORKDAY_REFRESH_TOKEN_KEY, read_encrypted_setting, write_encrypted_setting


@dataclass(frozen=True)
class StoredRefreshToken:
    """The `settings` row that holds the encrypted refresh token."""

    engine: AsyncEngine

    async def read(self) -> str | None:
        """The stored ciphertext, or None before Workday first rotated the token."""
        return await read_encrypted_setting(self.engine, key=WORKDAY_REFRESH_TOKEN_KEY)

    async def write(self, ciphertext: str) -> None:
        """Store (or replace) the ciphertext."""
        await write_encrypted_setting(self.engine, key=WORKDAY_REFRESH_TOKEN_KEY, value_encrypted=ciphertext)
