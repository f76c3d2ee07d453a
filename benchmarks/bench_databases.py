"""A fresh, migrated database per benchmark run, dropped afterwards (shared by the benchmarks)."""

from __future__ import annotations

import os
import secrets


async def create_database(server_url: str, prefix: str = "airecruiter_bench") -> str:
    """Create and migrate a new database on the server; its URL."""
    import asyncpg
    from sqlalchemy.engine import make_url

    from airecruiter.db.engine import create_engine, driver_dsn
    from airecruiter.db.migrate import upgrade

    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    admin = await asyncpg.connect(driver_dsn(server_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url, pool_size=2)
    try:
        await upgrade(url, engine)  # the migrations seed the default prompts too
    finally:
        await engine.dispose()
    return url


async def drop_database(server_url: str, url: str) -> None:
    """Drop the database `url` names (connections to it are ended)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    from airecruiter.db.engine import driver_dsn

    admin = await asyncpg.connect(driver_dsn(server_url))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    finally:
        await admin.close()
