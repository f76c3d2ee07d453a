"""The activity log: who did what and when, filtered by requisition, application, action, actor, time."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from airecruiter.db.read_models.activities import ActivityFilter, ActivitySlice, activity_page, known_actions
from airecruiter.web.admin.queue_pages import parse_optional_id
from airecruiter.web.dependencies import DbDep, ReadAccess
from airecruiter.web.pagination import PageRequest, page_number
from airecruiter.web.templating import render

router = APIRouter(prefix="/admin")

DETAIL_VALUE_CHARS = 300
FIELDS = ("requisition_id", "application_id", "action", "actor", "from", "to")


def compact_details(details: dict[str, Any]) -> str:
    """An entry's details as short `key: value` text (long values cut), for a table cell."""
    parts = []
    for key, value in details.items():
        if value is None or value == "":
            shown = "—"
        else:
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        if len(shown) > DETAIL_VALUE_CHARS:
            shown = shown[:DETAIL_VALUE_CHARS] + "…"
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)


def _day(value: str, label: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"The {label} date must look like 2024-05-31; “{value[:20]}” does not.") from exc


@dataclass
class ParsedFilters:
    """The filters as typed (to refill the form) and as understood, with any sentences refusing them."""

    raw: dict[str, str]
    value: ActivityFilter = field(default_factory=ActivityFilter)
    errors: list[str] = field(default_factory=list)


def _parse(request: Request) -> ParsedFilters:
    raw = {key: request.query_params.get(key, "").strip()[:100] for key in FIELDS}
    parsed = ParsedFilters(raw=raw)
    values: dict[str, Any] = {"action": raw["action"] or None, "actor": raw["actor"] or None}
    for key, label in (("requisition_id", "requisition id"), ("application_id", "application id")):
        try:
            values[key] = parse_optional_id(raw[key], label)
        except ValueError as error:
            parsed.errors.append(str(error))
    try:
        start, end = _day(raw["from"], "from"), _day(raw["to"], "to")
    except ValueError as error:
        parsed.errors.append(str(error))
        start = end = None
    if start and end and end < start:
        parsed.errors.append("The “to” date is before the “from” date; swap them or widen the range.")
    # Dates are whole UTC days, both ends included.
    values["since"] = datetime.combine(start, time.min, UTC) if start else None
    values["before"] = datetime.combine(end + timedelta(days=1), time.min, UTC) if end else None
    parsed.value = ActivityFilter(**values)
    return parsed


@router.get("/activity", response_class=HTMLResponse)
async def activity_log(request: Request, engine: DbDep, _: ReadAccess) -> HTMLResponse:
    """The log, newest first, one page at a time."""
    filters = _parse(request)
    wanted = PageRequest.of(page_number(request.query_params.get("page")))
    actions = await known_actions(engine)
    if filters.errors:
        found = ActivitySlice(entries=[], total=0, total_capped=False, has_next=False)
    else:
        found = await activity_page(engine, filters.value, limit=wanted.size, offset=wanted.offset)
    return render(
        request,
        "admin/activity.html",
        {
            "section": "activity",
            "filters": filters,
            "actions": actions,
            "found": found,
            "wanted": wanted,
            "first_index": wanted.offset + 1,
            "last_index": wanted.offset + len(found.entries),
            "compact_details": compact_details,
        },
        status_code=422 if filters.errors else 200,
    )
