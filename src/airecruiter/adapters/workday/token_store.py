"""The refresh token Workday rotates, kept Fernet-encrypted wherever a `CiphertextSlot` keeps it.

The composition root hands in the database's slot (`db.workday_refresh_token`), so the clear
token never passes through the database layer and this module never names a table.
"""

from __future__ import annotations

from typing import Protocol

from airecruiter.adapters.secrets_box import encrypt, reveal


class CiphertextSlot(Protocol):
    """One stored ciphertext."""

    async def read(self) -> str | None:
        """The ciphertext, or None when nothing was stored."""
        ...

    async def write(self, ciphertext: str) -> None:
        """Store (or replace) the ciphertext."""
        ...


class EncryptedTokenStore:
    """A `RefreshTokenStore`: the rotated refresh token, encrypted with AIRECRUITER_SECRET_KEY."""

    def __init__(self, slot: CiphertextSlot, secret_key: str) -> None:
        self._slot = slot
        self._key = secret_key

    async def load(self) -> str | None:
        """The newest refresh token Workday issued us, if one was stored."""
        stored = await self._slot.read()
        return None if stored is None else reveal(stored, self._key, name="the stored Workday refresh token")

    async def save(self, token: str) -> None:
        """Store the rotated token encrypted; it wins over WORKDAY_REFRESH_TOKEN from now on."""
        await self._slot.write(encrypt(token, self._key))
