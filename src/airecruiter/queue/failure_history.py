"""The stored stacks of failed attempts, read for the console's history tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.queue import statements as sql

RunKey = tuple[int, int, datetime]
"""One recorded attempt: (queue item id, attempt, finished at), as the history rows carry it."""


async def stored_tracebacks(engine: AsyncEngine, item_ids: Sequence[int]) -> dict[RunKey, str]:
    """The traceback of every failed attempt of `item_ids` that has one (recorded since migration 0013)."""
    if not item_ids:
        return {}
    async with engine.connect() as conn:
        rows = await conn.execute(sql.SELECT_RUN_TRACEBACKS, {"ids": list(item_ids)})
        return {(int(r.queue_item_id), int(r.attempt), r.finished_at): str(r.traceback) for r in rows}
