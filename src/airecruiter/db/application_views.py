"""Read models of applications for the console: the filtered, sorted list and the detail page's extras.

The list is one statement for the page and one for the count. The latest analysis and evaluation
come from LATERAL subqueries over their per-application indexes, so a page of 50 out of 10,000
applications costs 50 index probes when sorted by an application column, and one probe per
application (still a few milliseconds) when sorted or filtered by a score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.interviews import InterviewRecord
from airecruiter.db.json_columns import from_json
from airecruiter.db.sql import with_columns

# Sort keys the console offers → the ORDER BY each means. Every order ends on the id, so pages are stable.
SORTS: dict[str, str] = {
    "updated": "a.updated_at {dir}, a.id {dir}",
    "candidate": "lower(a.candidate_name) {dir}, a.id {dir}",
    "risk": "an.risk_score {dir} NULLS LAST, a.id {dir}",
    "overall": "ev.overall_score {dir} NULLS LAST, a.id {dir}",
    "status": "a.status {dir}, a.updated_at DESC, a.id DESC",
}
DEFAULT_SORT = "-updated"

_LATEST_ANALYSIS = """LEFT JOIN LATERAL (
        SELECT risk_score FROM analyses WHERE application_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1
    ) an ON true"""
_LATEST_EVALUATION = """LEFT JOIN LATERAL (
        SELECT overall_score FROM evaluations WHERE application_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1
    ) ev ON true"""
_HAS_REPORT = "EXISTS (SELECT 1 FROM reports rp WHERE rp.application_id = a.id)"

_INTERVIEW_COLUMNS = """id, application_id, token_hash, expires_at, status, invitation_message_id,
    invitation_sent_at, started_at, completed_at, created_at"""
_NEWEST_INTERVIEW = with_columns(
    "SELECT {columns} FROM interviews WHERE application_id = :id ORDER BY id DESC LIMIT 1", _INTERVIEW_COLUMNS
)
_ACTIVITIES = text("""
    SELECT id, occurred_at, actor, action, queue_item_id, details FROM activities
     WHERE application_id = :id ORDER BY occurred_at DESC, id DESC LIMIT :limit
""")
_ACTIVITY_COUNT = text("SELECT count(*) FROM activities WHERE application_id = :id")
_REQUISITION_CHOICES = text("SELECT id, name, external_id FROM requisitions ORDER BY name, id LIMIT :limit")
_REQUESTED_SINCE = text("""
    SELECT EXISTS (SELECT 1 FROM activities
                    WHERE application_id = :id AND action = :action
                      AND (CAST(:since AS timestamptz) IS NULL OR occurred_at > :since))
""")


@dataclass(frozen=True)
class ApplicationFilter:
    """What the list is narrowed to; None means no restriction."""

    status: str | None = None
    requisition_id: int | None = None
    search: str | None = None  # candidate name, email or Workday application id, anywhere in it
    risk_min: float | None = None
    risk_max: float | None = None
    has_report: bool | None = None

    @property
    def needs_analysis(self) -> bool:
        """Whether the filter reads the latest analysis."""
        return self.risk_min is not None or self.risk_max is not None


@dataclass(frozen=True)
class ApplicationRow:
    """One line of the applications list."""

    id: int
    candidate_name: str
    candidate_email: str | None
    external_application_id: str
    status: str
    workday_status: str | None
    updated_at: datetime
    requisition_id: int
    requisition_name: str
    requisition_external_id: str
    risk_score: float | None
    overall_score: float | None
    has_report: bool


@dataclass(frozen=True)
class ActivityEntry:
    """One entry of an application's activity timeline."""

    id: int
    occurred_at: datetime
    actor: str
    action: str
    queue_item_id: int | None
    details: dict[str, Any]


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(filters: ApplicationFilter) -> tuple[str, dict[str, Any]]:
    """The WHERE clause (built only from fixed fragments) and its parameters."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if filters.status:
        clauses.append("a.status = :status")
        params["status"] = filters.status
    if filters.requisition_id is not None:
        clauses.append("a.requisition_id = :requisition_id")
        params["requisition_id"] = filters.requisition_id
    if filters.search:
        clauses.append(
            "(a.candidate_name ILIKE :search OR a.candidate_email ILIKE :search"
            " OR a.external_application_id ILIKE :search)"
        )
        params["search"] = f"%{_escape_like(filters.search)}%"
    if filters.risk_min is not None:
        clauses.append("an.risk_score >= :risk_min")
        params["risk_min"] = filters.risk_min
    if filters.risk_max is not None:
        clauses.append("an.risk_score <= :risk_max")
        params["risk_max"] = filters.risk_max
    if filters.has_report is not None:
        clauses.append(_HAS_REPORT if filters.has_report else f"NOT {_HAS_REPORT}")
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def order_by(sort: str) -> str:
    """The ORDER BY of a sort key such as `risk` or `-updated` (unknown keys fall back to the default)."""
    key = sort.lstrip("-")
    if key not in SORTS:
        return order_by(DEFAULT_SORT)
    return SORTS[key].replace("{dir}", "DESC" if sort.startswith("-") else "ASC")


def normal_sort(sort: str | None) -> str:
    """The sort key itself when the list offers it, else the default."""
    return sort if sort and sort.lstrip("-") in SORTS else DEFAULT_SORT


def _scored(filters: ApplicationFilter, sort: str) -> bool:
    """Whether ordering or filtering needs every matching application's latest scores."""
    return filters.needs_analysis or sort.lstrip("-") in ("risk", "overall")


async def list_applications(
    conn: AsyncConnection,
    *,
    filters: ApplicationFilter,
    sort: str,
    limit: int,
    offset: int,
) -> list[ApplicationRow]:
    """One page of applications with their latest risk and overall scores."""
    where, params = _where(filters)
    order = order_by(sort)
    if _scored(filters, sort):
        source, outer_where, page_limit = "applications a", where, "LIMIT :limit OFFSET :offset"
    else:
        # Pick the page from applications alone, then look up the scores of its rows only.
        source = f"(SELECT a.* FROM applications a {where} ORDER BY {order} LIMIT :limit OFFSET :offset) a"  # noqa: S608
        outer_where, page_limit = "", ""
    statement = text(f"""
        SELECT a.id, a.candidate_name, a.candidate_email, a.external_application_id, a.status, a.workday_status,
               a.updated_at, r.id AS requisition_id, r.name AS requisition_name,
               r.external_id AS requisition_external_id, an.risk_score, ev.overall_score,
               {_HAS_REPORT} AS has_report
          FROM {source}
          JOIN requisitions r ON r.id = a.requisition_id
          {_LATEST_ANALYSIS}
          {_LATEST_EVALUATION}
          {outer_where}
         ORDER BY {order}
         {page_limit}
    """)  # noqa: S608 - every interpolated piece is a constant of this module; values are bound
    rows = await conn.execute(statement, {**params, "limit": limit, "offset": offset})
    return [ApplicationRow(**row._mapping) for row in rows]


async def count_applications(conn: AsyncConnection, *, filters: ApplicationFilter) -> int:
    """How many applications the filter matches."""
    where, params = _where(filters)
    joins = _LATEST_ANALYSIS if filters.needs_analysis else ""
    statement = text(f"SELECT count(*) FROM applications a {joins} {where}")  # noqa: S608 - constants only
    return int(await conn.scalar(statement, params) or 0)


async def newest_interview(conn: AsyncConnection, *, application_id: int) -> InterviewRecord | None:
    """The application's most recent interview, expired ones included, or None."""
    row = (await conn.execute(_NEWEST_INTERVIEW, {"id": application_id})).first()
    return None if row is None else InterviewRecord(**row._mapping)


async def application_activities(conn: AsyncConnection, *, application_id: int, limit: int) -> list[ActivityEntry]:
    """The application's newest activity entries, newest first."""
    rows = await conn.execute(_ACTIVITIES, {"id": application_id, "limit": limit})
    return [ActivityEntry(**{**row._mapping, "details": from_json(row.details) or {}}) for row in rows]


async def count_application_activities(conn: AsyncConnection, *, application_id: int) -> int:
    """How many activity entries the application has."""
    return int(await conn.scalar(_ACTIVITY_COUNT, {"id": application_id}) or 0)


async def requisition_choices(conn: AsyncConnection, *, limit: int = 500) -> list[tuple[int, str, str]]:
    """(id, name, Workday id) of requisitions for the list's filter, by name."""
    rows = await conn.execute(_REQUISITION_CHOICES, {"limit": limit})
    return [(int(row.id), row.name, row.external_id) for row in rows]


async def requested_since(
    conn: AsyncConnection,
    *,
    application_id: int,
    action: str,
    since: datetime | None,
) -> bool:
    """Whether someone logged `action` (a request such as a re-analysis) for the application after `since`."""
    return bool(await conn.scalar(_REQUESTED_SINCE, {"id": application_id, "action": action, "since": since}))
