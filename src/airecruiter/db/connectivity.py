"""Which database errors mean "not reachable now, try again" and which mean "configured wrongly".

A database that is restarting or not up yet is waited for; a wrong password, role or database
name never fixes itself, so it stops the process with a sentence naming DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import asyncpg
import structlog
from sqlalchemy import exc as sa_exc

from airecruiter.db.engine import driver_dsn, redacted
from airecruiter.errors import ConfigurationError, describe

log = structlog.get_logger(__name__)

# The server answered and refused us: waiting will not change its mind.
_REFUSALS = (asyncpg.InvalidAuthorizationSpecificationError, asyncpg.InvalidCatalogNameError)
# The server is away, starting, shutting down or full: it may answer in a moment.
_OUTAGES = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.OperatorInterventionError,
    asyncpg.TooManyConnectionsError,
)


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, and what it wraps (SQLAlchemy keeps the driver's error as `orig` and the cause)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        todo += [current.__cause__, current.__context__, orig if isinstance(orig, BaseException) else None]


def is_refusal(error: BaseException) -> bool:
    """The server refused our credentials or database name: a configuration error."""
    return any(isinstance(e, _REFUSALS) for e in _causes(error))


def is_outage(error: BaseException) -> bool:
    """The database could not be reached or dropped the connection: worth trying again."""
    if is_refusal(error):
        return False
    for e in _causes(error):
        if isinstance(e, sa_exc.DBAPIError) and e.connection_invalidated:
            return True
        if isinstance(e, _OUTAGES):
            return True
    return False


def refusal_error(url: str, error: BaseException) -> ConfigurationError:
    """The sentence for a database that refused us."""
    return ConfigurationError(
        f"The database at {redacted(url)} refused the connection ({describe(error)}). "
        "Check the user, password and database name in DATABASE_URL."
    )


async def wait_for_database(url: str, *, max_delay: float = 5.0, connect_timeout: float = 5.0) -> None:
    """Return once PostgreSQL at `url` accepts a connection; wait out an outage, fail fast on a refusal.

    Cancel the caller (e.g. on SIGTERM) to stop waiting.
    """
    try:
        dsn = driver_dsn(url)
    except Exception as exc:  # sqlalchemy's ArgumentError, ValueError: a malformed URL
        # Not `from exc`: the parser's error may quote the whole URL, its password included.
        raise ConfigurationError(f"DATABASE_URL is not a valid PostgreSQL URL ({describe(exc)}).") from None
    delay, tries = 0.5, 0
    while True:
        tries += 1
        try:
            conn = await asyncpg.connect(dsn, timeout=connect_timeout)
        except Exception as exc:
            if is_refusal(exc):
                raise refusal_error(url, exc) from exc
            if any(isinstance(e, socket.gaierror) for e in _causes(exc)):
                raise ConfigurationError(
                    f"The database host in {redacted(url)} has no address ({describe(exc)}). Check DATABASE_URL."
                ) from exc
            if not is_outage(exc):
                raise ConfigurationError(
                    f"Cannot connect to the database at {redacted(url)} ({describe(exc)}). Check DATABASE_URL."
                ) from exc
            log.warning(
                "database_unreachable_waiting", url=redacted(url), error=describe(exc), retry_in_s=delay, tries=tries
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)
            continue
        await conn.close()
        if tries > 1:
            log.info("database_reachable", url=redacted(url), tries=tries)
        return
