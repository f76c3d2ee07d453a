"""Applications in the console: the filtered, sorted list and one application's whole story.

Downloads and the recruiter's actions live beside this module (application_downloads, application_actions).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.analyses import latest_analysis
from airecruiter.db.applications import ApplicationRecord, application_by_id
from airecruiter.db.candidate_request_flow import application_requests
from airecruiter.db.evaluations import latest_evaluation
from airecruiter.db.interviews import messages
from airecruiter.db.read_models.applications import (
    ApplicationFilter,
    application_activities,
    count_application_activities,
    count_applications,
    list_applications,
    newest_interview,
    normal_sort,
    requisition_choices,
)
from airecruiter.db.reports import latest_report, report_count
from airecruiter.db.requisitions import requisition_by_id
from airecruiter.domain.permissions import REANALYZE, RECORD_DECISION, REQUEST_REPORT, SEND_INTERVIEW
from airecruiter.domain.scoring import SCORE_WEIGHTS
from airecruiter.domain.statuses import ApplicationStatus
from airecruiter.web.admin.decision_pages import decision_context
from airecruiter.web.admin.errors import NotFoundError
from airecruiter.web.dependencies import AppDep, DbDep, ReadAccess
from airecruiter.web.pagination import Page, PageRequest, page_number, whole_number
from airecruiter.web.templating import render

router = APIRouter(prefix="/admin")

TIMELINE_LIMIT = 50
STATUSES = [s.value for s in ApplicationStatus]


def _number(value: str | None, low: float, high: float) -> float | None:
    """A number typed into a filter, or None when blank or not a number in range."""
    try:
        number = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and low <= number <= high else None


def _filters(params: Any) -> ApplicationFilter:
    status = params.get("status") or None
    report = params.get("report")
    return ApplicationFilter(
        status=status if status in STATUSES else None,
        requisition_id=whole_number(params.get("requisition")),
        search=(params.get("q") or "").strip()[:200] or None,
        risk_min=_number(params.get("risk_min"), 0.0, 1.0),
        risk_max=_number(params.get("risk_max"), 0.0, 1.0),
        has_report={"yes": True, "no": False}.get(report or ""),
    )


@router.get("/applications", response_class=HTMLResponse)
async def application_list(request: Request, engine: DbDep, user: ReadAccess) -> HTMLResponse:
    """All applications with their latest risk and overall scores: filter, sort, page."""
    params = request.query_params
    filters = _filters(params)
    sort = normal_sort(params.get("sort"))
    wanted = PageRequest.of(page_number(params.get("page")))
    async with engine.connect() as conn:
        rows = await list_applications(conn, filters=filters, sort=sort, limit=wanted.size, offset=wanted.offset)
        total = await count_applications(conn, filters=filters)
        requisitions = await requisition_choices(conn)
    page = Page(rows, wanted.number, wanted.size, total)
    return render(
        request,
        "admin/applications.html",
        {
            "section": "applications",
            "page": page,
            "filters": filters,
            "sort": sort,
            "statuses": STATUSES,
            "requisitions": requisitions,
            "search": params.get("q") or "",
            "risk_min": params.get("risk_min") or "",
            "risk_max": params.get("risk_max") or "",
            "report": params.get("report") or "",
        },
    )


async def _interview_context(conn: AsyncConnection, application_id: int) -> dict[str, Any]:
    interview = await newest_interview(conn, application_id=application_id)
    transcript = [] if interview is None else await messages(conn, interview_id=interview.id)
    return {"interview": interview, "transcript": transcript}


async def _detail_context(conn: AsyncConnection, application: ApplicationRecord) -> dict[str, Any]:
    app_id = application.id
    report = await latest_report(conn, application_id=app_id)
    return {
        "application": application,
        "requisition": await requisition_by_id(conn, requisition_id=application.requisition_id),
        "analysis": await latest_analysis(conn, application_id=app_id),
        "evaluation": await latest_evaluation(conn, application_id=app_id),
        "report": report,
        "report_count": 0 if report is None else await report_count(conn, application_id=app_id),
        "candidate_requests": await application_requests(conn, app_id),
        "activities": await application_activities(conn, application_id=app_id, limit=TIMELINE_LIMIT),
        "activity_total": await count_application_activities(conn, application_id=app_id),
        **await _interview_context(conn, app_id),
    }


@router.get("/applications/{application_id}", response_class=HTMLResponse)
async def application_detail(
    request: Request,
    application_id: int,
    engine: DbDep,
    user: ReadAccess,
    runtime: AppDep,
) -> HTMLResponse:
    """One application: candidate, statuses, résumé, analysis, interview, evaluation, report, timeline."""
    async with engine.connect() as conn:
        application = await application_by_id(conn, application_id=application_id)
        if application is None:
            raise NotFoundError(f"There is no application {application_id}. It may have been deleted.")
        context = await _detail_context(conn, application)
        context |= await decision_context(
            conn, application_id=application.id, user=user, reason_codes=runtime.settings.decision_reason_codes
        )
    artifacts = application.artifacts
    resume = artifacts.resume
    return render(
        request,
        "admin/application.html",
        {
            "section": "applications",
            **context,
            "hidden_text": (context["analysis"].hidden_text if context["analysis"] else ()) or artifacts.hidden_text,
            "resume_filename": None if resume is None else resume.filename,
            "resume_bytes": None if resume is None else resume.size,
            "resume_missing": artifacts.resume_missing,
            "score_names": list(SCORE_WEIGHTS),
            # Offered only when it can work now; services.applications says why otherwise.
            "can_send_interview": user.can(SEND_INTERVIEW)
            and application.status == "analyzed"
            and (context["interview"] is None or context["interview"].status == "expired"),
            "can_request_report": user.can(REQUEST_REPORT),
            "can_reanalyze": user.can(REANALYZE),
            "human_review": application.status == ApplicationStatus.HUMAN_REVIEW,
            "can_assess_by_person": user.can(RECORD_DECISION) and application.status != ApplicationStatus.HUMAN_REVIEW,
            # A person assesses it: the AI's view stays out of sight unless asked for.
            "show_ai": application.status != ApplicationStatus.HUMAN_REVIEW
            or request.query_params.get("show_ai") == "1",
            "timeline_limit": TIMELINE_LIMIT,
        },
    )
