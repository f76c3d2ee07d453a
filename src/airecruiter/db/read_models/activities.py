"""Read model of the activity log for the admin console: filtered, newest first, cheap to page.

The log grows without bound, so a page reads along the (occurred_at DESC) indexes and counts at
most COUNT_CAP matching entries: past that the console says "10,000+" instead of an exact total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.json_columns import from_json
from airecruiter.db.sql import compose, where

COUNT_CAP = 10_000

# A loose index scan over activities_action_idx: one index probe per distinct action, not a scan
# of the whole log (PostgreSQL has no skip scan of its own before version 18).
_SELECT_KNOWN_ACTIONS = text("""
    WITH RECURSIVE found AS (
        (SELECT action FROM activities ORDER BY action LIMIT 1)
        UNION ALL
        SELECT (SELECT a.action FROM activities a WHERE a.action > found.action ORDER BY a.action LIMIT 1)
          FROM found WHERE found.action IS NOT NULL
    )
    SELECT action FROM found WHERE action IS NOT NULL
""")
# The page and its capped count, around the WHERE clause of the filters that are set.
_SELECT_ENTRIES = "SELECT id, occurred_at, actor, action, requisition_id, application_id, queue_item_id, details"
_FROM_ACTIVITIES = "FROM activities"
_PAGE = "ORDER BY occurred_at DESC, id DESC LIMIT :limit OFFSET :offset"
_COUNT_MATCHING = "SELECT count(*) FROM (SELECT 1 FROM activities"
_UP_TO_CAP = "LIMIT :cap) AS matching"
# The filter each field of ActivityFilter sets (only the set ones are used); values are parameters.
_CONDITIONS = {
    "requisition_id": "requisition_id = :requisition_id",
    "application_id": "application_id = :application_id",
    "action": "action = :action",
    # Exact names (no index on actor, and a pattern match costs a slow scan of a long log);
    # a bare console username also finds what that user did in the console.
    "actor": "actor IN (:actor, :console_actor)",
    "since": "occurred_at >= :since",
    "before": "occurred_at < :before",
}


@dataclass(frozen=True)
class ActivityFilter:
    """Which entries to show; None means any."""

    requisition_id: int | None = None
    application_id: int | None = None
    action: str | None = None
    actor: str | None = None
    since: datetime | None = None
    before: datetime | None = None


@dataclass(frozen=True)
class ActivityEntry:
    """One entry of the activity log, wherever the console shows it."""

    id: int
    occurred_at: datetime
    actor: str
    action: str
    requisition_id: int | None
    application_id: int | None
    queue_item_id: int | None
    details: dict[str, Any]


@dataclass(frozen=True)
class ActivitySlice:
    """One page of entries, how many match (counted up to COUNT_CAP) and whether more follow."""

    entries: list[ActivityEntry]
    total: int
    total_capped: bool
    has_next: bool


def activity_entry(row: Row[Any]) -> ActivityEntry:
    """The entry of a row with the columns of ActivityEntry (every page's activity query selects them all)."""
    return ActivityEntry(**{**row._mapping, "details": from_json(row.details) or {}})


def _filter(filters: ActivityFilter) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The names of the conditions that apply, and their parameters."""
    params: dict[str, Any] = {
        name: getattr(filters, name) for name in _CONDITIONS if name != "actor" and getattr(filters, name) is not None
    }
    if filters.actor:
        params["actor"] = filters.actor
        params["console_actor"] = f"console:{filters.actor}"
    return tuple(name for name in _CONDITIONS if name in params), params


@lru_cache(maxsize=64)
def _statements(conditions: tuple[str, ...]) -> tuple[TextClause, TextClause]:
    """The page and the capped count over the conditions named (keys of _CONDITIONS)."""
    clause = where(*(_CONDITIONS[name] for name in conditions))
    return compose(_SELECT_ENTRIES, _FROM_ACTIVITIES, clause, _PAGE), compose(_COUNT_MATCHING, clause, _UP_TO_CAP)


async def known_actions(engine: AsyncEngine) -> list[str]:
    """Every action the log holds, alphabetically."""
    async with engine.connect() as conn:
        return [str(row[0]) for row in await conn.execute(_SELECT_KNOWN_ACTIONS)]


async def activity_page(
    engine: AsyncEngine,
    filters: ActivityFilter,
    *,
    limit: int,
    offset: int,
    count_cap: int = COUNT_CAP,
) -> ActivitySlice:
    """Entries matching the filters, newest first, with a count that stops at `count_cap`."""
    conditions, params = _filter(filters)
    page, count = _statements(conditions)
    async with engine.connect() as conn:
        rows = list(await conn.execute(page, {**params, "limit": limit + 1, "offset": offset}))
        total = int(await conn.scalar(count, {**params, "cap": count_cap + 1}) or 0)
    entries = [activity_entry(row) for row in rows[:limit]]
    return ActivitySlice(
        entries=entries, total=min(total, count_cap), total_capped=total > count_cap, has_next=len(rows) > limit
    )
