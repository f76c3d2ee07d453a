"""GET /health/processor (the specification's JSON) and GET /metrics (Prometheus text)."""

from __future__ import annotations

import asyncio
import hmac
import time

import structlog
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import SecretStr

from airecruiter.bootstrap import Application
from airecruiter.errors import describe
from airecruiter.queue.metrics import OLDEST_PENDING, QUEUE_DEPTH
from airecruiter.web.dependencies import AppDep, ContextDep

log = structlog.get_logger(__name__)
router = APIRouter()

HEALTH_STATES = ("pending", "running", "failed", "dead")


async def workday_connected(runtime: Application) -> bool:
    """Whether Workday answered the probe just now (False without a probe, on error or after 5 s)."""
    if runtime.workday_probe is None:
        return False
    try:
        return await asyncio.wait_for(runtime.workday_probe.connected(), timeout=5)
    except Exception as exc:
        log.warning("workday_probe_failed", error=describe(exc))
        return False


@router.get("/health/processor")
async def processor_health(context: ContextDep) -> JSONResponse:
    """Healthy when the database answers and Workday is reachable; 503 without the database."""
    runtime = context.application
    uptime = int(time.monotonic() - context.started)
    try:
        counts = await runtime.operations.counts()
        last = await runtime.operations.last_successful_job()
    except Exception as exc:
        log.error("health_database_unreachable", error=describe(exc))
        return JSONResponse(
            status_code=503,
            content={
                "status": "unhealthy",
                "uptime_seconds": uptime,
                "queue": dict.fromkeys(HEALTH_STATES),
                "last_successful_job": None,
                "workday_connected": await workday_connected(runtime),
            },
        )
    connected = await workday_connected(runtime)
    return JSONResponse(
        content={
            "status": "healthy" if connected else "degraded",
            "uptime_seconds": uptime,
            "queue": {state: counts[state] for state in HEALTH_STATES},
            "last_successful_job": last.strftime("%Y-%m-%dT%H:%M:%SZ") if last else None,
            "workday_connected": connected,
        }
    )


@router.get("/metrics")
async def metrics(request: Request, context: ContextDep, runtime: AppDep) -> Response:
    """Jobs by type and outcome, durations, queue depth by state, oldest pending age (behind METRICS_TOKEN when set)."""
    if not _metrics_allowed(request, context.metrics_token):
        return Response(
            content="Send the metrics token as: Authorization: Bearer <METRICS_TOKEN>\n",
            status_code=401,
            media_type="text/plain",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    try:
        for state, count in (await runtime.operations.counts()).items():
            QUEUE_DEPTH.labels(state).set(count)
        OLDEST_PENDING.set(await runtime.operations.oldest_pending_age_seconds())
    except Exception as exc:
        log.error("metrics_database_unreachable", error=describe(exc))
    return Response(content=generate_latest(), media_type=CONTENT_TYPE_LATEST)


def _metrics_allowed(request: Request, token: SecretStr | None) -> bool:
    """Without METRICS_TOKEN anyone may scrape; with it, only a request bearing it (compared in constant time)."""
    if token is None:
        return True
    scheme, _, sent = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(sent.strip().encode(), token.get_secret_value().encode())
