"""Read models of the console's requisition pages: the filtered, sorted list and one requisition's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.read_models.activities import ActivityEntry, activity_entry
from airecruiter.db.sql import compose
from airecruiter.domain.statuses import ApplicationStatus

# Sort keys the list accepts, and the column each orders by; anything else falls back to the name.
SORT_COLUMNS = {
    "name": "lower(r.name)",
    "external_id": "r.external_id",
    "status": "r.workday_status",
    "recruiter": "lower(r.recruiter_name)",
    "applications": "applications",
    "last_synced": "r.last_synced_at",
}
DEFAULT_SORT = "name"
RECENT_ACTIVITY_LIMIT = 20

_SELECT_ROWS = """
    SELECT r.id, r.external_id, r.name, r.workday_status, r.recruiter_name, r.auto_send_interview,
           r.auto_send_on_status, r.active, r.last_synced_at,
           (SELECT count(*) FROM applications a WHERE a.requisition_id = r.id) AS applications
      FROM requisitions r"""
_FILTER = """
     WHERE (CAST(:pattern AS text) IS NULL OR r.name ILIKE :pattern OR r.external_id ILIKE :pattern)
       AND (CAST(:active AS boolean) IS NULL OR r.active = :active)
       AND (CAST(:auto_send AS boolean) IS NULL OR r.auto_send_interview = :auto_send)
       AND (CAST(:workday_status AS text) IS NULL OR r.workday_status = :workday_status)"""
_DIRECTIONS = {"": "ASC NULLS LAST, r.id ASC", "-": "DESC NULLS LAST, r.id DESC"}
_PAGE = "LIMIT :limit OFFSET :offset"
# Every ordering the list offers ("-key" descending), built once from the constants above.
_SELECT_PAGE_BY_SORT = {
    direction + key: compose(_SELECT_ROWS, _FILTER, "ORDER BY", column, _DIRECTIONS[direction], _PAGE)
    for key, column in SORT_COLUMNS.items()
    for direction in _DIRECTIONS
}
_COUNT_REQUISITIONS = compose("SELECT count(*) FROM requisitions r", _FILTER)
_SELECT_WORKDAY_STATUSES = text(
    "SELECT DISTINCT workday_status FROM requisitions WHERE workday_status IS NOT NULL ORDER BY 1"
)
_COUNT_APPLICATIONS_BY_STATUS = text(
    "SELECT status, count(*) FROM applications WHERE requisition_id = :id GROUP BY status"
)
_SELECT_APPLICATIONS = text("""
    SELECT a.id, a.candidate_name, a.status, a.workday_status, a.workday_inactive, a.created_at,
           (SELECT an.risk_score FROM analyses an WHERE an.application_id = a.id
             ORDER BY an.created_at DESC, an.id DESC LIMIT 1) AS risk_score,
           (SELECT e.overall_score FROM evaluations e WHERE e.application_id = a.id
             ORDER BY e.created_at DESC, e.id DESC LIMIT 1) AS overall_score
      FROM applications a
     WHERE a.requisition_id = :id
     ORDER BY a.created_at DESC, a.id DESC
     LIMIT :limit OFFSET :offset
""")
_SELECT_LIVE_SYNC = text("""
    SELECT id, status, priority FROM queue_items
     WHERE job_type = 'sync' AND requisition_id = :id AND status IN ('pending', 'running', 'failed')
""")
_SELECT_ACTIVITY = text("""
    SELECT id, occurred_at, actor, action, requisition_id, application_id, queue_item_id, details
      FROM activities
     WHERE requisition_id = :id
     ORDER BY occurred_at DESC, id DESC
     LIMIT :limit
""")


@dataclass(frozen=True)
class RequisitionFilter:
    """What the list is narrowed to; None means any."""

    search: str | None = None
    active: bool | None = None
    auto_send: bool | None = None
    workday_status: str | None = None


@dataclass(frozen=True)
class RequisitionRow:
    """One line of the requisitions list."""

    id: int
    external_id: str
    name: str
    workday_status: str | None
    recruiter_name: str | None
    auto_send_interview: bool
    auto_send_on_status: str | None
    active: bool
    last_synced_at: datetime | None
    applications: int


@dataclass(frozen=True)
class RequisitionApplicationRow:
    """One application on a requisition's page."""

    id: int
    candidate_name: str
    status: str
    workday_status: str | None
    workday_inactive: bool
    created_at: datetime
    risk_score: float | None
    overall_score: float | None


@dataclass(frozen=True)
class LiveSync:
    """The requisition's sync job while it waits, runs or waits for a retry."""

    id: int
    status: str
    priority: int


def _pattern(search: str | None) -> str | None:
    if not search:
        return None
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filter_params(where: RequisitionFilter) -> dict[str, Any]:
    return {
        "pattern": _pattern(where.search),
        "active": where.active,
        "auto_send": where.auto_send,
        "workday_status": where.workday_status or None,
    }


async def list_requisitions(
    conn: AsyncConnection,
    *,
    where: RequisitionFilter,
    sort: str,
    limit: int,
    offset: int,
) -> tuple[list[RequisitionRow], int]:
    """One page of requisitions matching `where`, sorted by `sort` ("-key" descending), and the total."""
    statement = _SELECT_PAGE_BY_SORT.get(sort, _SELECT_PAGE_BY_SORT[DEFAULT_SORT])
    params = _filter_params(where)
    rows = await conn.execute(statement, {**params, "limit": limit, "offset": offset})
    items = [RequisitionRow(**row._mapping) for row in rows]
    total = int(await conn.scalar(_COUNT_REQUISITIONS, params) or 0)
    return items, total


async def workday_statuses(conn: AsyncConnection) -> list[str]:
    """The Workday statuses stored requisitions have, for the filter."""
    return [row[0] for row in await conn.execute(_SELECT_WORKDAY_STATUSES)]


async def application_counts(conn: AsyncConnection, *, requisition_id: int) -> dict[str, int]:
    """The requisition's applications per status, every status present."""
    found = {row[0]: int(row[1]) for row in await conn.execute(_COUNT_APPLICATIONS_BY_STATUS, {"id": requisition_id})}
    return {s.value: found.get(s.value, 0) for s in ApplicationStatus}


async def requisition_applications(
    conn: AsyncConnection,
    *,
    requisition_id: int,
    limit: int,
    offset: int,
) -> list[RequisitionApplicationRow]:
    """One page of the requisition's applications, newest first, with their latest scores."""
    rows = await conn.execute(_SELECT_APPLICATIONS, {"id": requisition_id, "limit": limit, "offset": offset})
    return [RequisitionApplicationRow(**row._mapping) for row in rows]


async def live_sync(conn: AsyncConnection, *, requisition_id: int) -> LiveSync | None:
    """The requisition's sync job if one is queued, running or waiting for a retry."""
    row = (await conn.execute(_SELECT_LIVE_SYNC, {"id": requisition_id})).first()
    return None if row is None else LiveSync(int(row.id), row.status, int(row.priority))


async def recent_activity(conn: AsyncConnection, *, requisition_id: int) -> list[ActivityEntry]:
    """The requisition's latest activity log entries, newest first."""
    rows = await conn.execute(_SELECT_ACTIVITY, {"id": requisition_id, "limit": RECENT_ACTIVITY_LIMIT})
    return [activity_entry(row) for row in rows]
