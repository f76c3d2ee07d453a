"""The recruiter's actions on one application: each queues a job, or says why it cannot now."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.bootstrap import Application
from airecruiter.errors import IllegalTransitionError, ValidationError
from airecruiter.queue.manager import QueueManager
from airecruiter.services import applications
from airecruiter.services.applications import ActionOutcome, ApplicationNotFoundError
from airecruiter.web.admin.errors import NotFoundError
from airecruiter.web.admin.session import ConsoleUser, redirect_with_notice
from airecruiter.web.dependencies import AppDep, ReanalyzeAccess, RequestReportAccess, SendInterviewAccess

router = APIRouter(prefix="/admin")

Action = Callable[..., Awaitable[ActionOutcome]]


async def _perform(
    request: Request, runtime: Application, application_id: int, user: ConsoleUser, action: Action
) -> RedirectResponse:
    """Run the action and come back to the application with what happened (Post/Redirect/Get)."""
    engine: AsyncEngine = runtime.engine
    queue: QueueManager = runtime.queue
    back = f"/admin/applications/{application_id}"
    try:
        outcome = await action(engine, queue, application_id=application_id, actor=user.actor)
    except ApplicationNotFoundError as exc:
        raise NotFoundError(exc.message) from exc
    except (ValidationError, IllegalTransitionError) as exc:
        return redirect_with_notice(request, back, exc.message, kind="error")
    return redirect_with_notice(request, back, outcome.message)


@router.post("/applications/{application_id}/send-interview")
async def send_interview(
    request: Request,
    application_id: int,
    runtime: AppDep,
    user: SendInterviewAccess,
) -> RedirectResponse:
    """Send the interview invitation now."""
    return await _perform(request, runtime, application_id, user, applications.send_interview_now)


@router.post("/applications/{application_id}/regenerate-report")
async def regenerate_report(
    request: Request,
    application_id: int,
    runtime: AppDep,
    user: RequestReportAccess,
) -> RedirectResponse:
    """Make a new report and upload it to Workday."""
    return await _perform(request, runtime, application_id, user, applications.regenerate_report)


@router.post("/applications/{application_id}/reanalyze")
async def reanalyze(
    request: Request,
    application_id: int,
    runtime: AppDep,
    user: ReanalyzeAccess,
) -> RedirectResponse:
    """Analyse the résumé again (admins only)."""
    return await _perform(request, runtime, application_id, user, applications.reanalyze)
