"""Pacing of Workday calls shared by every process of a deployment: one row per tenant.

A tenant's request limit holds for the whole integration user, not per process. Each call reserves
the next start slot in one statement (a row lock held for that statement only): the slot is the
later of now and the previous reservation's end, and the row moves one interval on. The caller
sleeps until its slot. Processes that start together therefore take turns, as one process would.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

# The returned wait is this reservation's start minus now (clock_timestamp: the statement's own now).
_RESERVE = text("""
    INSERT INTO workday_request_pacing AS p (tenant, next_start)
    VALUES (:tenant, clock_timestamp() + make_interval(secs => :interval))
    ON CONFLICT (tenant) DO UPDATE
       SET next_start = GREATEST(p.next_start, clock_timestamp()) + make_interval(secs => :interval)
    RETURNING GREATEST(0, EXTRACT(EPOCH FROM (p.next_start - clock_timestamp())) - :interval) AS wait_s
""")


@dataclass(frozen=True)
class SharedPacer:
    """The minimum interval between calls to `tenant`, across every process using this database."""

    engine: AsyncEngine
    tenant: str
    min_interval: float

    async def reserve(self) -> float:
        """Reserve the next start slot; the seconds to wait for it."""
        async with self.engine.begin() as conn:
            wait = await conn.scalar(_RESERVE, {"tenant": self.tenant, "interval": self.min_interval})
        return float(wait or 0.0)

    async def wait_turn(self) -> None:
        """Return when this call's reserved slot has come."""
        if self.min_interval <= 0:
            return
        wait = await self.reserve()
        if wait > 0:
            await asyncio.sleep(wait)
