"""Requisitions: the list with search and filters, one requisition's page, its settings and "sync now"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.bootstrap import Application
from airecruiter.db.read_models.requisitions import (
    DEFAULT_SORT,
    SORT_COLUMNS,
    RequisitionFilter,
    application_counts,
    list_requisitions,
    live_sync,
    recent_activity,
    requisition_applications,
    workday_statuses,
)
from airecruiter.db.requisitions import RequisitionRecord, RequisitionSettings, requisition_by_id
from airecruiter.domain.business_days import MAX_NOTICE_DAYS
from airecruiter.errors import ValidationError
from airecruiter.queue.jobs import Priority
from airecruiter.services import requisitions as requisition_service
from airecruiter.web.admin.errors import NotFoundError
from airecruiter.web.admin.session import redirect_with_notice
from airecruiter.web.dependencies import AppDep, DbDep, EditRequisitionAccess, ReadAccess, SyncAccess
from airecruiter.web.pagination import Page, PageRequest, page_number
from airecruiter.web.templating import render

router = APIRouter(prefix="/admin")

LOOKBACK_RANGE = (1, 720)
SYNC_INTERVAL_RANGE = (0, 1440)
TRIGGER_STATUS_MAX = 200
APPLICATIONS_PER_PAGE = 25
_YES_NO = {"yes": True, "no": False}
_ON_OFF = {"on": True, "off": False}


# --- the job description ------------------------------------------------------------------------


class _TextFromHTML(HTMLParser):
    """Workday's job description HTML as plain text: blocks become line breaks, scripts and styles vanish."""

    PARAGRAPHS = frozenset(
        {
            "p",
            "div",
            "ul",
            "ol",
            "table",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "section",
            "article",
            "blockquote",
            "hr",
            "pre",
        }
    )
    LINES = frozenset({"br", "li", "tr"})
    HIDDEN = frozenset({"script", "style", "template", "head", "title", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.pending_breaks = 0
        self.bullet = False

    def _boundary(self, tag: str, starting: bool) -> None:
        if tag in self.PARAGRAPHS:
            self.pending_breaks = max(self.pending_breaks, 2)
        elif tag in self.LINES:
            self.pending_breaks = max(self.pending_breaks, 1)
            self.bullet = self.bullet or (starting and tag == "li")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        self._boundary(tag, True)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        self._boundary(tag, False)

    def handle_data(self, data: str) -> None:
        words = re.sub(r"\s+", " ", data)
        if self.hidden or not words.strip():
            if words and self.parts and not self.pending_breaks:
                self.parts.append(" ")
            return
        if self.pending_breaks and self.parts:
            self.parts.append("\n" * self.pending_breaks)
        if self.pending_breaks or not self.parts:
            words = words.lstrip()
        self.parts.append(("• " if self.bullet else "") + words)
        self.pending_breaks, self.bullet = 0, False


def description_text(description: str) -> str:
    """The description as text to show escaped: HTML is reduced to its words, paragraphs and list items."""
    if "<" not in description:
        return description.strip()
    parser = _TextFromHTML()
    parser.feed(description)
    parser.close()
    return "\n".join(line.strip() for line in "".join(parser.parts).splitlines()).strip()


# --- the list -----------------------------------------------------------------------------------


@router.get("/requisitions", response_class=HTMLResponse)
async def requisitions(request: Request, engine: DbDep, user: ReadAccess) -> HTMLResponse:
    """Requisitions matching the search and filters, sorted and one page at a time."""
    query = request.query_params
    where = RequisitionFilter(
        search=(query.get("q") or "").strip() or None,
        active=_YES_NO.get(query.get("active", "")),
        auto_send=_ON_OFF.get(query.get("auto_send", "")),
        workday_status=query.get("status") or None,
    )
    sort = query.get("sort", DEFAULT_SORT)
    sort = sort if sort.lstrip("-") in SORT_COLUMNS else DEFAULT_SORT
    wanted = PageRequest.of(page_number(query.get("page")))
    async with engine.connect() as conn:
        items, total = await list_requisitions(conn, where=where, sort=sort, limit=wanted.size, offset=wanted.offset)
        statuses = await workday_statuses(conn)
    return render(
        request,
        "admin/requisitions.html",
        {
            "section": "requisitions",
            "page": Page(items, wanted.number, wanted.size, total),
            "sort": sort,
            "statuses": statuses,
            "filters": {key: query.get(key, "") for key in ("q", "active", "auto_send", "status")},
        },
    )


# --- one requisition ----------------------------------------------------------------------------


@dataclass
class SettingsForm:
    """The settings form as shown: the values (saved or as just submitted) and what is wrong with them."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, requisition: RequisitionRecord) -> SettingsForm:
        """The form showing the saved settings."""
        return cls(
            {
                "auto_send_interview": requisition.auto_send_interview,
                "auto_send_on_status": requisition.auto_send_on_status or "",
                "lookback_hours": "" if requisition.lookback_hours is None else str(requisition.lookback_hours),
                "min_sync_interval_minutes": str(requisition.min_sync_interval_minutes),
                "active": requisition.active,
                "blind_education": requisition.blind_education,
                "notice_period_days": str(requisition.notice_period_days),
                "notice_given_on": ""
                if requisition.notice_given_on is None
                else requisition.notice_given_on.isoformat(),
            }
        )


def _whole_number(raw: str, low: int, high: int) -> int | None:
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    return value if low <= value <= high else None


def _notice(values: dict[str, Any], errors: dict[str, str], today: date) -> tuple[int | None, date | None]:
    """The notice period and posting date as submitted, checked (0–60 business days; a date not in the future)."""
    days = _whole_number(values["notice_period_days"] or "0", 0, MAX_NOTICE_DAYS)
    if days is None:
        errors["notice_period_days"] = (
            f"The notice period must be a whole number of business days from 0 to {MAX_NOTICE_DAYS} "
            "(0: no advance notice; New York City asks for 10)."
        )
    given_on = None
    if values["notice_given_on"]:
        try:
            given_on = date.fromisoformat(values["notice_given_on"])
        except ValueError:
            errors["notice_given_on"] = "Enter the date notice was given in the job posting as YYYY-MM-DD."
        else:
            if given_on > today:
                errors["notice_given_on"] = (
                    f"The notice date {given_on.isoformat()} is in the future; enter the date the job "
                    "posting with the notice was published, or leave it blank."
                )
    return days, given_on


def parse_settings(
    form: dict[str, str], default_lookback: int, today: date | None = None
) -> tuple[SettingsForm, RequisitionSettings | None]:
    """The submitted settings, checked; the settings are None when a field is wrong (see the form's errors)."""
    shown = SettingsForm(
        {
            "auto_send_interview": form.get("auto_send_interview") == "on",
            "auto_send_on_status": form.get("auto_send_on_status", "").strip(),
            "lookback_hours": form.get("lookback_hours", "").strip(),
            "min_sync_interval_minutes": form.get("min_sync_interval_minutes", "").strip(),
            "active": form.get("active") == "on",
            "blind_education": form.get("blind_education") == "on",
            "notice_period_days": form.get("notice_period_days", "").strip(),
            "notice_given_on": form.get("notice_given_on", "").strip(),
        }
    )
    values, errors = shown.values, shown.errors
    notice_days, given_on = _notice(values, errors, today or date.today())
    if len(values["auto_send_on_status"]) > TRIGGER_STATUS_MAX:
        errors["auto_send_on_status"] = (
            f"The trigger status is longer than {TRIGGER_STATUS_MAX} characters. "
            "Enter the Workday status exactly as Workday shows it."
        )
    lookback = None if not values["lookback_hours"] else _whole_number(values["lookback_hours"], *LOOKBACK_RANGE)
    if values["lookback_hours"] and lookback is None:
        errors["lookback_hours"] = (
            f"Lookback hours must be a whole number from {LOOKBACK_RANGE[0]} to "
            f"{LOOKBACK_RANGE[1]}, or blank to use the default of {default_lookback}."
        )
    interval = _whole_number(values["min_sync_interval_minutes"], *SYNC_INTERVAL_RANGE)
    if interval is None:
        errors["min_sync_interval_minutes"] = (
            f"The minimum sync interval must be a whole number of minutes from {SYNC_INTERVAL_RANGE[0]} "
            f"to {SYNC_INTERVAL_RANGE[1]} (0 syncs at every scheduler pass)."
        )
    if errors or interval is None or notice_days is None:
        return shown, None
    return shown, RequisitionSettings(
        auto_send_interview=values["auto_send_interview"],
        auto_send_on_status=values["auto_send_on_status"] or None,
        lookback_hours=lookback,
        min_sync_interval_minutes=interval,
        active=values["active"],
        blind_education=values["blind_education"],
        notice_period_days=notice_days,
        notice_given_on=given_on,
    )


async def _requisition(conn: AsyncConnection, requisition_id: int) -> RequisitionRecord:
    requisition = await requisition_by_id(conn, requisition_id=requisition_id)
    if requisition is None:
        raise NotFoundError(
            f"There is no requisition {requisition_id}. It may never have been synced; "
            "go back to the requisitions list and pick one from there."
        )
    return requisition


async def _detail_page(
    request: Request,
    runtime: Application,
    requisition_id: int,
    form: SettingsForm | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    wanted = PageRequest.of(page_number(request.query_params.get("page")), APPLICATIONS_PER_PAGE)
    async with runtime.engine.connect() as conn:
        requisition = await _requisition(conn, requisition_id)
        counts = await application_counts(conn, requisition_id=requisition_id)
        applications = await requisition_applications(
            conn, requisition_id=requisition_id, limit=wanted.size, offset=wanted.offset
        )
        sync = await live_sync(conn, requisition_id=requisition_id)
        activity = await recent_activity(conn, requisition_id=requisition_id)
    return render(
        request,
        "admin/requisition.html",
        {
            "section": "requisitions",
            "requisition": requisition,
            "description": description_text(requisition.detailed_description),
            "counts": counts,
            "applications": Page(applications, wanted.number, wanted.size, sum(counts.values())),
            "sync": sync,
            "manual_priority": int(Priority.MANUAL),
            "activity": activity,
            "form": form or SettingsForm.of(requisition),
            "lookback_default": runtime.settings.LOOKBACK_HOURS_DEFAULT,
            "limits": {
                "lookback": LOOKBACK_RANGE,
                "interval": SYNC_INTERVAL_RANGE,
                "trigger": TRIGGER_STATUS_MAX,
                "notice": MAX_NOTICE_DAYS,
            },
            "notice_time_zone": runtime.settings.NOTICE_TIME_ZONE,
        },
        status_code=status_code,
    )


@router.get("/requisitions/{requisition_id:int}", response_class=HTMLResponse)
async def requisition_page(
    request: Request,
    requisition_id: int,
    runtime: AppDep,
    user: ReadAccess,
) -> HTMLResponse:
    """The requisition's facts, description, applications, settings and recent activity."""
    return await _detail_page(request, runtime, requisition_id)


@router.post("/requisitions/{requisition_id:int}/settings", response_model=None)
async def save_settings(
    request: Request,
    requisition_id: int,
    runtime: AppDep,
    user: EditRequisitionAccess,
) -> Response:
    """Save the settings in one transaction with their activity entry; a wrong field saves nothing (422)."""
    submitted = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    calendar = runtime.settings.notice_calendar
    today = calendar.local_date(datetime.now(UTC))
    form, settings = parse_settings(submitted, runtime.settings.LOOKBACK_HOURS_DEFAULT, today)
    if settings is None:
        return await _detail_page(request, runtime, requisition_id, form, status_code=422)
    try:
        changes = await requisition_service.save_settings(
            runtime.engine, requisition_id=requisition_id, settings=settings, actor=user.actor
        )
    except requisition_service.RequisitionNotFoundError as exc:
        raise NotFoundError(exc.message) from exc
    message = "Saved." if changes else "Saved. Nothing had changed."
    return redirect_with_notice(request, f"/admin/requisitions/{requisition_id}", message)


@router.post("/requisitions/{requisition_id:int}/sync", response_model=None)
async def sync_now(request: Request, requisition_id: int, runtime: AppDep, user: SyncAccess) -> Response:
    """Queue this requisition's sync with manual priority (a waiting one is lifted, never doubled)."""
    here = f"/admin/requisitions/{requisition_id}"
    try:
        outcome = await requisition_service.sync_now(
            runtime.engine, runtime.queue, requisition_id=requisition_id, actor=user.actor
        )
    except requisition_service.RequisitionNotFoundError as exc:
        raise NotFoundError(exc.message) from exc
    except ValidationError as exc:
        return redirect_with_notice(request, here, exc.message, "error")
    return redirect_with_notice(request, here, outcome.message)
