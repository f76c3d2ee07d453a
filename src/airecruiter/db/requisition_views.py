"""Read models of the console's requisition pages, and the settings a recruiter gives a requisition here."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.activities import record_activity
from airecruiter.db.json_columns import from_json
from airecruiter.domain.console_activity import RequisitionSettingsChanged, SettingChange
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

_FILTER = """
     WHERE (CAST(:pattern AS text) IS NULL OR r.name ILIKE :pattern OR r.external_id ILIKE :pattern)
       AND (CAST(:active AS boolean) IS NULL OR r.active = :active)
       AND (CAST(:auto_send AS boolean) IS NULL OR r.auto_send_interview = :auto_send)
       AND (CAST(:workday_status AS text) IS NULL OR r.workday_status = :workday_status)
"""
_LIST = """
    SELECT r.id, r.external_id, r.name, r.workday_status, r.recruiter_name, r.auto_send_interview,
           r.auto_send_on_status, r.active, r.last_synced_at,
           (SELECT count(*) FROM applications a WHERE a.requisition_id = r.id) AS applications
      FROM requisitions r
    {filter}
     ORDER BY {order} {direction} NULLS LAST, r.id {direction}
     LIMIT :limit OFFSET :offset
""".replace("{filter}", _FILTER)
# Every ordering the list offers, built once from the constant columns above (never from input).
_LIST_BY_SORT = {
    (key, direction): text(_LIST.replace("{order}", column).replace("{direction}", direction))
    for key, column in SORT_COLUMNS.items()
    for direction in ("ASC", "DESC")
}
_COUNT = text("SELECT count(*) FROM requisitions r {filter}".replace("{filter}", _FILTER))
_WORKDAY_STATUSES = text("SELECT DISTINCT workday_status FROM requisitions WHERE workday_status IS NOT NULL ORDER BY 1")
_STATUS_COUNTS = text("SELECT status, count(*) FROM applications WHERE requisition_id = :id GROUP BY status")
_APPLICATIONS = text("""
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
_LIVE_SYNC = text("""
    SELECT id, status, priority FROM queue_items
     WHERE job_type = 'sync' AND requisition_id = :id AND status IN ('pending', 'running', 'failed')
""")
_ACTIVITY = text("""
    SELECT id, occurred_at, actor, action, application_id, details FROM activities
     WHERE requisition_id = :id
     ORDER BY occurred_at DESC, id DESC
     LIMIT :limit
""")
_SETTINGS_LOCKED = text("""
    SELECT auto_send_interview, auto_send_on_status, lookback_hours, min_sync_interval_minutes, active
      FROM requisitions WHERE id = :id FOR UPDATE
""")
_UPDATE_SETTINGS = text("""
    UPDATE requisitions
       SET auto_send_interview = :auto_send_interview, auto_send_on_status = :auto_send_on_status,
           lookback_hours = :lookback_hours, min_sync_interval_minutes = :min_sync_interval_minutes,
           active = :active, updated_at = now()
     WHERE id = :id
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


@dataclass(frozen=True)
class ActivityRow:
    """One entry of the activity log."""

    id: int
    occurred_at: datetime
    actor: str
    action: str
    application_id: int | None
    details: dict[str, Any]


@dataclass(frozen=True)
class RequisitionSettings:
    """What is set here rather than in Workday; an empty trigger status sends right after analysis."""

    auto_send_interview: bool
    auto_send_on_status: str | None
    lookback_hours: int | None
    min_sync_interval_minutes: int
    active: bool


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
    key = sort.lstrip("-")
    if key not in SORT_COLUMNS:
        key, sort = DEFAULT_SORT, DEFAULT_SORT
    statement = _LIST_BY_SORT[key, "DESC" if sort.startswith("-") else "ASC"]
    params = _filter_params(where)
    rows = await conn.execute(statement, {**params, "limit": limit, "offset": offset})
    items = [RequisitionRow(**row._mapping) for row in rows]
    total = int(await conn.scalar(_COUNT, params) or 0)
    return items, total


async def workday_statuses(conn: AsyncConnection) -> list[str]:
    """The Workday statuses stored requisitions have, for the filter."""
    return [row[0] for row in await conn.execute(_WORKDAY_STATUSES)]


async def application_counts(conn: AsyncConnection, *, requisition_id: int) -> dict[str, int]:
    """The requisition's applications per status, every status present."""
    found = {row[0]: int(row[1]) for row in await conn.execute(_STATUS_COUNTS, {"id": requisition_id})}
    return {s.value: found.get(s.value, 0) for s in ApplicationStatus}


async def requisition_applications(
    conn: AsyncConnection,
    *,
    requisition_id: int,
    limit: int,
    offset: int,
) -> list[RequisitionApplicationRow]:
    """One page of the requisition's applications, newest first, with their latest scores."""
    rows = await conn.execute(_APPLICATIONS, {"id": requisition_id, "limit": limit, "offset": offset})
    return [RequisitionApplicationRow(**row._mapping) for row in rows]


async def live_sync(conn: AsyncConnection, *, requisition_id: int) -> LiveSync | None:
    """The requisition's sync job if one is queued, running or waiting for a retry."""
    row = (await conn.execute(_LIVE_SYNC, {"id": requisition_id})).first()
    return None if row is None else LiveSync(int(row.id), row.status, int(row.priority))


async def recent_activity(conn: AsyncConnection, *, requisition_id: int) -> list[ActivityRow]:
    """The requisition's latest activity log entries, newest first."""
    rows = await conn.execute(_ACTIVITY, {"id": requisition_id, "limit": RECENT_ACTIVITY_LIMIT})
    return [
        ActivityRow(
            id=row.id,
            occurred_at=row.occurred_at,
            actor=row.actor,
            action=row.action,
            application_id=row.application_id,
            details=from_json(row.details) or {},
        )
        for row in rows
    ]


async def update_requisition_settings(
    conn: AsyncConnection,
    *,
    requisition_id: int,
    settings: RequisitionSettings,
    actor: str,
) -> dict[str, dict[str, Any]] | None:
    """Save the settings and log `requisition_settings_changed` with {field: {from, to}}, in the caller's transaction.

    Returns what changed (empty when nothing did, and then nothing is written), or None when there
    is no such requisition.
    """
    row = (await conn.execute(_SETTINGS_LOCKED, {"id": requisition_id})).first()
    if row is None:
        return None
    current = RequisitionSettings(**row._mapping)
    changes = {
        f.name: {"from": getattr(current, f.name), "to": getattr(settings, f.name)}
        for f in fields(RequisitionSettings)
        if getattr(current, f.name) != getattr(settings, f.name)
    }
    if changes:
        await conn.execute(_UPDATE_SETTINGS, {"id": requisition_id, **settings.__dict__})
        details = RequisitionSettingsChanged(
            {name: SettingChange(before=change["from"], after=change["to"]) for name, change in changes.items()}
        )
        await record_activity(conn, actor=actor, requisition_id=requisition_id, details=details)
    return changes
