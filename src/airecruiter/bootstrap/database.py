"""The PostgreSQL one process talks to: the configured server, or an embedded one in the data dir."""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.config import Settings, revealed
from airecruiter.db.connectivity import wait_for_database as wait_until_reachable
from airecruiter.db.embedded import EmbeddedPostgres
from airecruiter.db.engine import create_engine, redacted
from airecruiter.db.migrate import upgrade

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Database:
    """The engine over `url`, and the embedded server behind it when this process started one."""

    url: str
    engine: AsyncEngine
    embedded: EmbeddedPostgres | None = None

    async def aclose(self) -> None:
        """Dispose of the engine's connections, then stop the embedded server this process started."""
        await self.engine.dispose()
        if self.embedded is not None:
            self.embedded.stop()


async def open_database(settings: Settings, *, migrate: bool | None = None, wait: bool = False) -> Database:
    """Connect to PostgreSQL (embedded when DATABASE_URL is unset).

    The embedded database migrates itself; a configured one is migrated by `airecruiter db upgrade`
    unless `migrate` is set. With `wait` a configured server that does not answer yet is waited for
    (a refusal of our credentials still fails fast).
    """
    embedded = None
    url = revealed(settings.DATABASE_URL)
    if url is None:
        embedded = EmbeddedPostgres(settings.AIRECRUITER_DATA_DIR)
        url = embedded.start()
        log.info("database_local_twin", reason="DATABASE_URL is not set", data_dir=str(settings.AIRECRUITER_DATA_DIR))
    else:
        log.info("database_configured", url=redacted(url))
        if wait:
            await wait_until_reachable(url)
    database = Database(url, create_engine(url, pool_size=max(6, settings.QUEUE_MAX_CONCURRENCY + 5)), embedded)
    try:
        if migrate if migrate is not None else embedded is not None:
            await upgrade(url, database.engine)
    except BaseException:
        await database.aclose()
        raise
    return database
