"""The dashboard: where the pipeline stands, how the queue is doing, and whether Workday answers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from airecruiter.bootstrap import Application
from airecruiter.db.read_models.agreement import AgreementFigures, agreement_figures
from airecruiter.db.read_models.dashboard import DashboardFigures, dashboard_figures
from airecruiter.queue.failures import FailureGroup
from airecruiter.queue.jobs import QUEUE_STATES
from airecruiter.web.dependencies import AppDep, ReadAccess
from airecruiter.web.health import workday_connected
from airecruiter.web.templating import render

router = APIRouter(prefix="/admin")

BAR_STEPS = 20  # bars are drawn in 5 % steps by CSS classes (the CSP allows no inline style)


async def _figures(runtime: Application, now: datetime) -> DashboardFigures:
    async with runtime.engine.connect() as conn:
        return await dashboard_figures(conn, now=now)


async def _agreement(runtime: Application) -> AgreementFigures:
    async with runtime.engine.connect() as conn:
        return await agreement_figures(conn)


async def _workday_state(runtime: Application) -> str:
    """`connected`, `not_connected`, or `not_checked` when this process has no Workday client."""
    if runtime.workday_probe is None:
        return "not_checked"
    return "connected" if await workday_connected(runtime) else "not_connected"


def problem_sentence(group: FailureGroup) -> str:
    """What is wrong, in a sentence: the dead letter's largest cause."""
    times = "once" if group.count == 1 else f"{group.count} times"
    repeated = (
        " The scheduler now tries it less and less often (at most hourly) until a success, a settings change"
        " or a restart."
        if group.count > 1
        else ""
    )
    return f"The {group.identity.job_type} job has died {times} for the same reason: {group.example}{repeated}"


def bar_step(count: int, busiest: int) -> int:
    """How many of the BAR_STEPS a bar for `count` fills (any job at all shows at least one)."""
    if count <= 0:
        return 0
    return max(1, round(BAR_STEPS * count / max(1, busiest)))


@router.get("", response_class=HTMLResponse)
async def dashboard(request: Request, runtime: AppDep, user: ReadAccess) -> HTMLResponse:
    """Applications by status, the queue by state, throughput, Workday, and people's agreement with the AI."""
    # Independent reads on their own connections, and the Workday probe, all at once.
    figures, queue_counts, last_success, workday, causes, agreement = await asyncio.gather(
        _figures(runtime, datetime.now(UTC)),
        runtime.operations.counts(),
        runtime.operations.last_successful_job(),
        _workday_state(runtime),
        runtime.operations.dead_letter_groups(limit=1),
        _agreement(runtime),
    )
    return render(
        request,
        "admin/dashboard.html",
        {
            "section": "dashboard",
            "figures": figures,
            "queue_counts": {state: queue_counts.get(state, 0) for state in QUEUE_STATES},
            "last_success": last_success,
            "workday": workday,
            "agreement": agreement,
            "problem": problem_sentence(causes[0]) if causes else None,
            "bar_step": lambda count: bar_step(count, figures.busiest_hour),
        },
    )
