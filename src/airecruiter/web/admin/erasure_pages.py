"""The admin's erasure of a candidate: a confirm page, the erasure, and its receipt (JSON and PDF)."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from airecruiter.bootstrap import Application
from airecruiter.bootstrap.lifecycle import deletion_stores, erasure_receipt_pdf
from airecruiter.db.erasure_receipts import ErasureReceipt
from airecruiter.db.retention import candidate_of_application
from airecruiter.domain.permissions import MANAGE_CANDIDATE_DATA
from airecruiter.errors import ValidationError
from airecruiter.services.erasure import erase_candidate, erasure_receipt
from airecruiter.web.admin.errors import NotFoundError
from airecruiter.web.admin.session import ConsoleUser, redirect_with_notice, require
from airecruiter.web.dependencies import AppDep
from airecruiter.web.templating import render

router = APIRouter(prefix="/admin")
ManageCandidateDataAccess = Annotated[ConsoleUser, Depends(require(MANAGE_CANDIDATE_DATA))]
REASON_LIMIT = 1000


async def _candidate_of(runtime: Application, application_id: int) -> tuple[str, int]:
    async with runtime.engine.connect() as conn:
        found = await candidate_of_application(conn, application_id)
    if found is None:
        raise NotFoundError(f"There is no application {application_id}; it may have been erased already.")
    return found


def _confirm_page(
    request: Request, application_id: int, candidate: str, count: int, error: str | None = None, reason: str = ""
) -> HTMLResponse:
    context = {
        "section": "applications",
        "application_id": application_id,
        "candidate": candidate,
        "count": count,
        "error": error,
        "reason": reason,
        "limit": REASON_LIMIT,
    }
    return render(request, "admin/erase_confirm.html", context, status_code=422 if error else 200)


@router.get("/applications/{application_id}/erase", response_class=HTMLResponse)
async def erase_confirm(
    request: Request, application_id: int, runtime: AppDep, user: ManageCandidateDataAccess
) -> HTMLResponse:
    """Ask the admin to confirm erasing every application of this application's candidate, and why."""
    candidate, count = await _candidate_of(runtime, application_id)
    return _confirm_page(request, application_id, candidate, count)


@router.post("/applications/{application_id}/erase", response_model=None)
async def erase(request: Request, application_id: int, runtime: AppDep, user: ManageCandidateDataAccess) -> Response:
    """Erase the candidate (or record the request under a legal hold) and show the receipt."""
    candidate, count = await _candidate_of(runtime, application_id)
    form = await request.form()
    reason = str(form.get("reason") or "").strip()
    if form.get("confirm") != "yes" or not reason or len(reason) > REASON_LIMIT:
        problem = "Tick the confirmation and give the reason (up to 1000 characters) to erase."
        return _confirm_page(request, application_id, candidate, count, problem, reason[:REASON_LIMIT])
    stores = deletion_stores(runtime.settings, runtime.adapters.storage)
    try:
        outcome = await erase_candidate(
            runtime.engine, stores, external_candidate_id=candidate, reason=reason, actor=user.actor
        )
    except ValidationError as exc:
        return _confirm_page(request, application_id, candidate, count, exc.message, reason)
    if outcome.status == "on_hold":
        reasons = "; ".join(f"hold {h.id}: {h.reason}" for h in outcome.holds)
        message = (
            f"Erasure refused: a legal hold applies ({reasons}). The request is recorded "
            f"(register entry {outcome.request_id}) and runs when the hold is lifted."
        )
        return redirect_with_notice(request, f"/admin/applications/{application_id}", message, kind="error")
    return RedirectResponse(f"/admin/erasure-receipts/{outcome.receipt_id}", status_code=303)


@router.get("/erasure-receipts/{receipt_id:int}", response_class=HTMLResponse)
async def receipt_page(
    request: Request, receipt_id: int, runtime: AppDep, user: ManageCandidateDataAccess
) -> HTMLResponse:
    """The receipt: what was removed, when, by whom, why; what Workday keeps."""
    receipt = await _receipt(runtime, receipt_id)
    return render(request, "admin/erasure_receipt.html", {"section": "applications", "receipt": receipt})


@router.get("/erasure-receipts/{receipt_id:int}.json")
async def receipt_json(receipt_id: int, runtime: AppDep, user: ManageCandidateDataAccess) -> Response:
    """The receipt as JSON."""
    body = json.dumps(dataclasses.asdict(await _receipt(runtime, receipt_id)), indent=2, default=str)
    return Response(body, media_type="application/json", headers=_download(f"erasure-receipt-{receipt_id}.json"))


@router.get("/erasure-receipts/{receipt_id:int}.pdf")
async def receipt_pdf(receipt_id: int, runtime: AppDep, user: ManageCandidateDataAccess) -> Response:
    """The receipt as PDF."""
    pdf = await erasure_receipt_pdf(dataclasses.asdict(await _receipt(runtime, receipt_id)))
    return Response(pdf, media_type="application/pdf", headers=_download(f"erasure-receipt-{receipt_id}.pdf"))


def _download(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}


async def _receipt(runtime: Application, receipt_id: int) -> ErasureReceipt:
    try:
        return await erasure_receipt(runtime.engine, receipt_id)
    except ValidationError as exc:
        raise NotFoundError(exc.message) from exc
