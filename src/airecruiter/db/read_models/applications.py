"""Read models of applications for the console: the filtered, sorted list and the detail page's extras.

The list is one statement for the page and one for the count. The latest analysis and evaluation
come from LATERAL subqueries over their per-application indexes, so a page of 50 out of 10,000
applications costs 50 index probes when sorted by an application column, and one probe per
application (still a few milliseconds) when sorted or filtered by a score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.interviews import InterviewRecord, interview_from_row
from airecruiter.db.read_models.activities import ActivityEntry, activity_entry
from airecruiter.db.sql import compose, where

# Sort keys the console offers ("-key" descending) → the ORDER BY each means. Every order ends on
# the id, so pages are stable.
ORDER_BY: dict[str, str] = {
    "updated": "ORDER BY a.updated_at ASC, a.id ASC",
    "-updated": "ORDER BY a.updated_at DESC, a.id DESC",
    "candidate": "ORDER BY lower(a.candidate_name) ASC, a.id ASC",
    "-candidate": "ORDER BY lower(a.candidate_name) DESC, a.id DESC",
    "risk": "ORDER BY an.risk_score ASC NULLS LAST, a.id ASC",
    "-risk": "ORDER BY an.risk_score DESC NULLS LAST, a.id DESC",
    "overall": "ORDER BY ev.overall_score ASC NULLS LAST, a.id ASC",
    "-overall": "ORDER BY ev.overall_score DESC NULLS LAST, a.id DESC",
    "status": "ORDER BY a.status ASC, a.updated_at DESC, a.id DESC",
    "-status": "ORDER BY a.status DESC, a.updated_at DESC, a.id DESC",
}
DEFAULT_SORT = "-updated"
_SCORE_SORTS = ("risk", "-risk", "overall", "-overall")

# The condition each filter of ApplicationFilter sets (only the set ones are used); values are parameters.
_CONDITIONS = {
    "status": "a.status = :status",
    "requisition_id": "a.requisition_id = :requisition_id",
    "search": (
        "(a.candidate_name ILIKE :search OR a.candidate_email ILIKE :search OR a.external_application_id ILIKE :search)"
    ),
    "risk_min": "an.risk_score >= :risk_min",
    "risk_max": "an.risk_score <= :risk_max",
    "has_report": "EXISTS (SELECT 1 FROM reports rp WHERE rp.application_id = a.id)",
    "has_no_report": "NOT EXISTS (SELECT 1 FROM reports rp WHERE rp.application_id = a.id)",
}

_SELECT_ROWS = """
    SELECT a.id, a.candidate_name, a.candidate_email, a.external_application_id, a.status, a.workday_status,
           a.updated_at, r.id AS requisition_id, r.name AS requisition_name,
           r.external_id AS requisition_external_id, an.risk_score, ev.overall_score,
           EXISTS (SELECT 1 FROM reports rp WHERE rp.application_id = a.id) AS has_report"""
_FROM_APPLICATIONS = "FROM applications a"
# Pick the page from applications alone, then look up the scores of its rows only.
_FROM_PAGE_OF_APPLICATIONS = "FROM (SELECT a.* FROM applications a"
_PAGE = "LIMIT :limit OFFSET :offset"
_END_OF_PAGE = "LIMIT :limit OFFSET :offset) a"
_JOIN_REQUISITION = "JOIN requisitions r ON r.id = a.requisition_id"
_JOIN_LATEST_ANALYSIS = """LEFT JOIN LATERAL (
        SELECT risk_score FROM analyses WHERE application_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1
    ) an ON true"""
_JOIN_LATEST_EVALUATION = """LEFT JOIN LATERAL (
        SELECT overall_score FROM evaluations WHERE application_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1
    ) ev ON true"""
_COUNT_APPLICATIONS = "SELECT count(*) FROM applications a"

_SELECT_NEWEST_INTERVIEW = text("""
    SELECT id, application_id, token_hash, expires_at, status, invitation_message_id,
           invitation_sent_at, started_at, completed_at, created_at
      FROM interviews WHERE application_id = :id ORDER BY id DESC LIMIT 1
""")
_SELECT_ACTIVITIES = text("""
    SELECT id, occurred_at, actor, action, requisition_id, application_id, queue_item_id, details
      FROM activities
     WHERE application_id = :id ORDER BY occurred_at DESC, id DESC LIMIT :limit
""")
_COUNT_ACTIVITIES = text("SELECT count(*) FROM activities WHERE application_id = :id")
_SELECT_REQUISITION_CHOICES = text("SELECT id, name, external_id FROM requisitions ORDER BY name, id LIMIT :limit")
_SELECT_REQUESTED_SINCE = text("""
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


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filter(filters: ApplicationFilter) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The names of the conditions that apply, and their parameters."""
    params: dict[str, Any] = {}
    if filters.status:
        params["status"] = filters.status
    if filters.requisition_id is not None:
        params["requisition_id"] = filters.requisition_id
    if filters.search:
        params["search"] = f"%{_escape_like(filters.search)}%"
    if filters.risk_min is not None:
        params["risk_min"] = filters.risk_min
    if filters.risk_max is not None:
        params["risk_max"] = filters.risk_max
    conditions = [name for name in _CONDITIONS if name in params]
    if filters.has_report is not None:
        conditions.append("has_report" if filters.has_report else "has_no_report")
    return tuple(conditions), params


def normal_sort(sort: str | None) -> str:
    """The sort key itself when the list offers it, else the default."""
    return sort if sort in ORDER_BY else DEFAULT_SORT


@lru_cache(maxsize=256)
def _page_statement(conditions: tuple[str, ...], sort: str, scored: bool) -> TextClause:
    """The page over the conditions named (keys of _CONDITIONS) in the order of ORDER_BY[sort].

    `scored`: ordering or filtering needs every matching application's latest scores.
    """
    clause = where(*(_CONDITIONS[name] for name in conditions))
    joins = (_JOIN_REQUISITION, _JOIN_LATEST_ANALYSIS, _JOIN_LATEST_EVALUATION)
    if scored:
        return compose(_SELECT_ROWS, _FROM_APPLICATIONS, *joins, clause, ORDER_BY[sort], _PAGE)
    return compose(
        _SELECT_ROWS, _FROM_PAGE_OF_APPLICATIONS, clause, ORDER_BY[sort], _END_OF_PAGE, *joins, ORDER_BY[sort]
    )


@lru_cache(maxsize=64)
def _count_statement(conditions: tuple[str, ...], needs_analysis: bool) -> TextClause:
    """The count over the conditions named (keys of _CONDITIONS)."""
    clause = where(*(_CONDITIONS[name] for name in conditions))
    return compose(_COUNT_APPLICATIONS, _JOIN_LATEST_ANALYSIS if needs_analysis else "", clause)


async def list_applications(
    conn: AsyncConnection,
    *,
    filters: ApplicationFilter,
    sort: str,
    limit: int,
    offset: int,
) -> list[ApplicationRow]:
    """One page of applications with their latest risk and overall scores."""
    conditions, params = _filter(filters)
    sort = normal_sort(sort)
    statement = _page_statement(conditions, sort, filters.needs_analysis or sort in _SCORE_SORTS)
    rows = await conn.execute(statement, {**params, "limit": limit, "offset": offset})
    return [ApplicationRow(**row._mapping) for row in rows]


async def count_applications(conn: AsyncConnection, *, filters: ApplicationFilter) -> int:
    """How many applications the filter matches."""
    conditions, params = _filter(filters)
    return int(await conn.scalar(_count_statement(conditions, filters.needs_analysis), params) or 0)


async def newest_interview(conn: AsyncConnection, *, application_id: int) -> InterviewRecord | None:
    """The application's most recent interview, expired ones included, or None."""
    row = (await conn.execute(_SELECT_NEWEST_INTERVIEW, {"id": application_id})).first()
    return None if row is None else interview_from_row(row)


async def application_activities(conn: AsyncConnection, *, application_id: int, limit: int) -> list[ActivityEntry]:
    """The application's newest activity entries, newest first."""
    rows = await conn.execute(_SELECT_ACTIVITIES, {"id": application_id, "limit": limit})
    return [activity_entry(row) for row in rows]


async def count_application_activities(conn: AsyncConnection, *, application_id: int) -> int:
    """How many activity entries the application has."""
    return int(await conn.scalar(_COUNT_ACTIVITIES, {"id": application_id}) or 0)


async def requisition_choices(conn: AsyncConnection, *, limit: int = 500) -> list[tuple[int, str, str]]:
    """(id, name, Workday id) of requisitions for the list's filter, by name."""
    rows = await conn.execute(_SELECT_REQUISITION_CHOICES, {"limit": limit})
    return [(int(row.id), row.name, row.external_id) for row in rows]


async def requested_since(
    conn: AsyncConnection,
    *,
    application_id: int,
    action: str,
    since: datetime | None,
) -> bool:
    """Whether someone logged `action` (a request such as a re-analysis) for the application after `since`."""
    return bool(await conn.scalar(_SELECT_REQUESTED_SINCE, {"id": application_id, "action": action, "since": since}))
