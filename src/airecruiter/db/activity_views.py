"""Read model of the activity log for the admin console: filtered, newest first, cheap to page.

The log grows without bound, so a page reads along the (occurred_at DESC) indexes and counts at
most COUNT_CAP matching entries: past that the console says "10,000+" instead of an exact total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

COUNT_CAP = 10_000

# A loose index scan over activities_action_idx: one index probe per distinct action, not a scan
# of the whole log (PostgreSQL has no skip scan of its own before version 18).
_KNOWN_ACTIONS = text("""
    WITH RECURSIVE found AS (
        (SELECT action FROM activities ORDER BY action LIMIT 1)
        UNION ALL
        SELECT (SELECT a.action FROM activities a WHERE a.action > found.action ORDER BY a.action LIMIT 1)
          FROM found WHERE found.action IS NOT NULL
    )
    SELECT action FROM found WHERE action IS NOT NULL
""")
_COLUMNS = "id, occurred_at, actor, action, requisition_id, application_id, queue_item_id, details"


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
    """One entry of the log."""

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


def _where(filters: ActivityFilter) -> tuple[str, dict[str, Any]]:
    """The WHERE clause of the filters that are set (only fixed SQL fragments; values are parameters)."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    for column in ("requisition_id", "application_id", "action"):
        value = getattr(filters, column)
        if value is not None:
            clauses.append(f"{column} = :{column}")
            params[column] = value
    if filters.actor:
        # Exact names (no index on actor, and a pattern match costs a slow scan of a long log);
        # a bare console username also finds what that user did in the console.
        clauses.append("actor IN (:actor, :console_actor)")
        params["actor"] = filters.actor
        params["console_actor"] = f"console:{filters.actor}"
    if filters.since is not None:
        clauses.append("occurred_at >= :since")
        params["since"] = filters.since
    if filters.before is not None:
        clauses.append("occurred_at < :before")
        params["before"] = filters.before
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


async def known_actions(engine: AsyncEngine) -> list[str]:
    """Every action the log holds, alphabetically."""
    async with engine.connect() as conn:
        return [str(row[0]) for row in await conn.execute(_KNOWN_ACTIONS)]


async def activity_page(
    engine: AsyncEngine,
    filters: ActivityFilter,
    *,
    limit: int,
    offset: int,
    count_cap: int = COUNT_CAP,
) -> ActivitySlice:
    """Entries matching the filters, newest first, with a count that stops at `count_cap`."""
    where, params = _where(filters)
    async with engine.connect() as conn:
        rows = list(
            await conn.execute(
                text(
                    f"SELECT {_COLUMNS} FROM activities{where}"  # noqa: S608 - fixed fragments only
                    " ORDER BY occurred_at DESC, id DESC LIMIT :limit OFFSET :offset"
                ),
                {**params, "limit": limit + 1, "offset": offset},
            )
        )
        total = int(
            await conn.scalar(
                text(f"SELECT count(*) FROM (SELECT 1 FROM activities{where} LIMIT :cap) AS matching"),  # noqa: S608
                {**params, "cap": count_cap + 1},
            )
            or 0
        )
    entries = [ActivityEntry(**row._mapping) for row in rows[:limit]]
    return ActivitySlice(
        entries=entries, total=min(total, count_cap), total_capped=total > count_cap, has_next=len(rows) > limit
    )
