"""The request register (admins and auditors): every candidate request, its due date and who handled it.

Auditors see the register without the candidates' own words (`request_text`); admins see them and
close open requests as done or refused with a note.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from airecruiter.db.read_models.candidate_requests import LIMIT, RegisterEntry, register_entries
from airecruiter.db.request_register import REQUEST_KINDS, REQUEST_STATUSES
from airecruiter.domain.csv_cells import neutralised
from airecruiter.domain.permissions import MANAGE_CANDIDATE_DATA, VIEW_REQUESTS
from airecruiter.errors import ValidationError
from airecruiter.services.candidate_requests import RequestNotFoundError, close_candidate_request
from airecruiter.web.admin.errors import NotFoundError
from airecruiter.web.admin.session import ConsoleUser, redirect_with_notice, require
from airecruiter.web.dependencies import DbDep
from airecruiter.web.templating import render

router = APIRouter(prefix="/admin")

CSV_LIMIT = 100_000  # the whole register of any real employer; the page shows the newest LIMIT
RegisterAccess = Annotated[ConsoleUser, Depends(require(VIEW_REQUESTS))]
CloseAccess = Annotated[ConsoleUser, Depends(require(MANAGE_CANDIDATE_DATA))]
KIND_LABELS = {
    "human_review": "A person instead of the AI",
    "accommodation": "Accommodation",
    "access": "Access (copy of their data)",
    "erasure": "Erasure",
}
CSV_COLUMNS = [
    "id",
    "kind",
    "received_at",
    "due_on",
    "overdue",
    "status",
    "handled_by",
    "handled_at",
    "application_id",
    "requisition_id",
]


def _filters(request: Request) -> tuple[str | None, str | None]:
    kind = request.query_params.get("kind") or None
    status = request.query_params.get("status") or None
    return (kind if kind in REQUEST_KINDS else None, status if status in REQUEST_STATUSES else None)


def _shows_text(user: ConsoleUser) -> bool:
    # The candidate's own words are personal data: admins only, never the auditor.
    return user.can(MANAGE_CANDIDATE_DATA)


@router.get("/requests", response_class=HTMLResponse)
async def request_register(request: Request, engine: DbDep, user: RegisterAccess) -> HTMLResponse:
    """Every request, newest first, overdue ones marked."""
    kind, status = _filters(request)
    entries = await register_entries(engine, kind=kind, status=status)
    return render(
        request,
        "admin/requests.html",
        {
            "section": "requests",
            "entries": entries,
            "kind": kind or "",
            "status": status or "",
            "kinds": KIND_LABELS,
            "statuses": REQUEST_STATUSES,
            "today": datetime.now(UTC).date(),
            "shows_text": _shows_text(user),
            "can_close": user.can(MANAGE_CANDIDATE_DATA),
            "limit": LIMIT,
        },
    )


def register_csv(entries: list[RegisterEntry], *, with_text: bool, today: datetime) -> str:
    """The register as CSV, every cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = CSV_COLUMNS + (["request_text", "note"] if with_text else [])
    writer.writerow(columns)
    for entry in entries:
        values = {**entry.__dict__, "overdue": "yes" if entry.overdue(today.date()) else "no", "note": entry.note}
        writer.writerow([neutralised(values[column]) for column in columns])
    return buffer.getvalue()


@router.get("/requests.csv")
async def request_register_csv(request: Request, engine: DbDep, user: RegisterAccess) -> Response:
    """The filtered register as a CSV download."""
    kind, status = _filters(request)
    entries = await register_entries(engine, kind=kind, status=status, limit=CSV_LIMIT)
    now = datetime.now(UTC)
    return Response(
        content=register_csv(entries, with_text=_shows_text(user), today=now),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="request-register-{now:%Y%m%d}.csv"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/requests/{request_id}/close")
async def close_request_route(request: Request, request_id: int, engine: DbDep, user: CloseAccess) -> RedirectResponse:
    """Close an open request as done or refused, with a note."""
    form = await request.form()
    try:
        message = await close_candidate_request(
            engine,
            request_id=request_id,
            status=str(form.get("status") or ""),
            note=str(form.get("note") or ""),
            actor=user.actor,
        )
    except RequestNotFoundError as exc:
        raise NotFoundError(exc.message) from exc
    except ValidationError as exc:
        return redirect_with_notice(request, "/admin/requests", exc.message, kind="error")
    return redirect_with_notice(request, "/admin/requests", message)
