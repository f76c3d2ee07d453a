"""The async SQLAlchemy engine over asyncpg, and URL helpers for the raw driver."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def sqlalchemy_url(url: str) -> str:
    """`postgresql://…` as SQLAlchemy's asyncpg URL."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def driver_dsn(url: str) -> str:
    """`postgresql+asyncpg://…` as the plain DSN asyncpg.connect accepts."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def redacted(url: str) -> str:
    """The URL with its password hidden, fit for logs."""
    return make_url(url).render_as_string(hide_password=True)


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    """An engine whose pool suits one process of workers, scheduler and web."""
    return create_async_engine(
        sqlalchemy_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        # A connection the server dropped (a restart, a failover, an idle timeout) is replaced at
        # checkout instead of failing the first statement after it; one cheap round trip.
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={
            "server_settings": {
                "application_name": "airecruiter",
                # SSD-era page costs: with the default (4.0) the planner trades the claim's index for a
                # sequential scan once a burst of deleted queue rows has bloated the indexes.
                "random_page_cost": "1.1",
            }
        },
    )


def is_invalid_value(exc: BaseException) -> bool:
    """True for PostgreSQL's "data exception" (SQLSTATE class 22): a value out of range, NUL in text...

    Such a failure is the request's fault (a 20-digit id, a NUL typed into a filter), not the service's.
    """
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(getattr(orig, "__cause__", None), "sqlstate", None)
    return isinstance(sqlstate, str) and sqlstate.startswith("22")
