"""A brand-new empty database per test, for the tests that run the migrations themselves."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from airecruiter.db.engine import driver_dsn


@pytest.fixture
async def scratch_database(server_url: str) -> AsyncIterator[str]:
    """A brand-new empty database of its own, dropped afterwards."""
    name = f"airecruiter_scratch_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(driver_dsn(server_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
