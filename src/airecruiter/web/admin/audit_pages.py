"""The bias audit in the console (auditors and admins): the tables of a range, a chart per table, exports.

Viewing and exporting each write an activity entry naming the range and format (no figure of a
category). Charts are server-rendered SVG whose sizes are attributes: the CSP allows no inline style.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from airecruiter.bootstrap.audit import audit_summary_renderer
from airecruiter.domain.permissions import VIEW_AUDIT
from airecruiter.services import bias_audit
from airecruiter.services.bias_audit import AuditReport
from airecruiter.services.bias_audit_exports import audit_csv_export, audit_pdf, audit_view
from airecruiter.web.admin.queue_pages import parse_optional_id
from airecruiter.web.admin.session import ConsoleUser, require
from airecruiter.web.dependencies import DbDep
from airecruiter.web.templating import render

router = APIRouter(prefix="/admin")
AuditAccess = Annotated[ConsoleUser, Depends(require(VIEW_AUDIT))]
DEFAULT_DAYS = 365
CHART_WIDTH = 240  # the bar of a 100 % rate, in SVG user units
EXPORTS = {"json": "application/json", "csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


@dataclass
class AuditQuery:
    """The form as typed (to refill it) and as understood, with any sentences refusing it."""

    raw: dict[str, str]
    start: date
    end: date
    requisition_id: int | None = None
    errors: list[str] = field(default_factory=list)

    def query_string(self) -> str:
        """The range as a query string, for the export links."""
        values = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.requisition_id is not None:
            values["requisition_id"] = str(self.requisition_id)
        return urlencode(values)


def parse_query(request: Request, today: date) -> AuditQuery:
    """The range and requisition of the request; a year up to today when none is given."""
    raw = {key: request.query_params.get(key, "").strip()[:40] for key in ("from", "to", "requisition_id")}
    query = AuditQuery(raw=raw, start=today - timedelta(days=DEFAULT_DAYS), end=today)
    for key, attribute in (("from", "start"), ("to", "end")):
        if raw[key]:
            try:
                setattr(query, attribute, date.fromisoformat(raw[key]))
            except ValueError:
                query.errors.append(f"The “{key}” date must look like 2026-05-31.")
    if query.end < query.start:
        query.errors.append("The “to” date is before the “from” date; swap them.")
    try:
        query.requisition_id = parse_optional_id(raw["requisition_id"], "requisition id")
    except ValueError as error:
        query.errors.append(str(error))
    return query


def chart_bars(grouping: dict[str, Any]) -> list[dict[str, Any]]:
    """One bar per category (its rate as a share of CHART_WIDTH), flagged ones marked."""
    bars = []
    for index, row in enumerate([*grouping["rows"], *grouping["small"]]):
        rate = row["rate"] or 0.0
        kind = "flag" if row["below_four_fifths"] else ("small" if row in grouping["small"] else "ok")
        bars.append({"y": index * 22, "width": round(rate * CHART_WIDTH, 1), "kind": kind, **row})
    return bars


def paired_bars(grouping: dict[str, Any]) -> list[dict[str, Any]]:
    """Two bars per category of the human decision: Workday's, then the console's."""
    bars = []
    for index, row in enumerate(grouping["rows"]):
        for offset, side in enumerate(("workday", "console")):
            figures = row[side] or {}
            rate = figures.get("rate") or 0.0
            kind = "flag" if figures.get("below_four_fifths") else ("ok" if side == "workday" else "second")
            shown = figures.get("rate_shown", "—")
            bars.append(
                {
                    "y": index * 34 + offset * 15,
                    "width": round(rate * CHART_WIDTH, 1),
                    "kind": kind,
                    "category": row["category"] if offset == 0 else "",
                    "rate_shown": shown,
                    "side": side,
                }
            )
    return bars


def _distribution(request: Request) -> date | None:
    """The distribution date typed for the summary, or None (the PDF leaves a line to fill in)."""
    try:
        return date.fromisoformat(request.query_params.get("distribution_date", "").strip()[:20])
    except ValueError:
        return None


async def _report(db: DbDep, query: AuditQuery) -> AuditReport:
    return await bias_audit.audit_range(db, start=query.start, end=query.end, requisition_id=query.requisition_id)


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(request: Request, db: DbDep, user: AuditAccess) -> HTMLResponse:
    """The tables of the range, with a chart each and the export links."""
    query = parse_query(request, datetime.now(UTC).date())
    view = None
    if not query.errors:
        report = await _report(db, query)
        await bias_audit.record_audit_viewed(db, report=report, actor=user.actor, fmt="page")
        view = audit_view(report)
    context = {
        "section": "audit",
        "query": query,
        "view": view,
        "chart_bars": chart_bars,
        "paired_bars": paired_bars,
        "width": CHART_WIDTH,
    }
    return render(request, "admin/audit.html", context, status_code=400 if query.errors else 200)


@router.get("/audit/export.{fmt}")
async def audit_export(request: Request, fmt: str, db: DbDep, user: AuditAccess) -> Response:
    """The audit of the range as JSON, CSV or the draft summary PDF (a download)."""
    query = parse_query(request, datetime.now(UTC).date())
    if fmt not in EXPORTS or query.errors:
        message = "; ".join(query.errors) or f"There is no {fmt[:10]} export: choose json, csv or pdf."
        return render(request, "admin/error.html", {"heading": "Cannot export", "message": message}, 400)
    report = await _report(db, query)
    await bias_audit.record_audit_viewed(db, report=report, actor=user.actor, fmt=fmt)
    if fmt == "pdf":
        body: bytes | str = await audit_pdf(report, audit_summary_renderer(), distribution_date=_distribution(request))
    elif fmt == "csv":
        body = audit_csv_export(report)
    else:
        body = json.dumps(audit_view(report), indent=2, ensure_ascii=False)
    name = f"bias-audit-{query.start}-{query.end}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=EXPORTS[fmt], headers=headers)
