"""A refresh token Workday rotates is kept encrypted in PostgreSQL and wins from then on."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.secrets_box import generate_key
from airecruiter.bootstrap.workday import refresh_token_store
from airecruiter.errors import ConfigurationError


async def test_a_rotated_refresh_token_is_stored_encrypted_and_read_back(db: AsyncEngine) -> None:
    key = generate_key()
    store = refresh_token_store(db, key)
    assert await store.load() is None
    await store.save("rt-rotated-0002")
    async with db.connect() as conn:
        stored = await conn.scalar(text("SELECT value_encrypted FROM settings"))
    assert stored.startswith("enc:") and "rt-rotated-0002" not in stored
    assert await refresh_token_store(db, key).load() == "rt-rotated-0002"
    await store.save("rt-rotated-0003")
    assert await refresh_token_store(db, key).load() == "rt-rotated-0003"


async def test_a_token_stored_under_another_key_is_a_clear_configuration_error(db: AsyncEngine) -> None:
    await refresh_token_store(db, generate_key()).save("rt-secret-value")
    with pytest.raises(ConfigurationError) as raised:
        await refresh_token_store(db, generate_key()).load()
    assert "AIRECRUITER_SECRET_KEY" in str(raised.value)
    assert "rt-secret-value" not in str(raised.value)
