"""The FastAPI application factory: health, the candidate interview, and the admin console."""

from __future__ import annotations

import time

import structlog
from fastapi.staticfiles import StaticFiles

from airecruiter.bootstrap import Application
from airecruiter.config import revealed
from airecruiter.services.passwords import PasswordChecker
from airecruiter.web import candidate_pages, health, interview_api, interview_page
from airecruiter.web.admin import (
    activity_pages,
    application_actions,
    application_downloads,
    application_human_review,
    application_pages,
    audit_pages,
    auth_routes,
    candidate_export_action,
    candidate_text_pages,
    dashboard,
    decision_pages,
    erasure_pages,
    prompt_pages,
    queue_pages,
    request_pages,
    requisition_pages,
    session_pages,
)
from airecruiter.web.admin.errors import install_error_pages
from airecruiter.web.admin.session import SessionSigner
from airecruiter.web.context import WebApp, WebContext
from airecruiter.web.failures import install_failure_handlers
from airecruiter.web.request_guard import RequestGuard
from airecruiter.web.templating import WEB_DIR

log = structlog.get_logger(__name__)

# No third-party origin, no inline script or style: what a page runs and shows comes from here.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Interview links carry their token in the path: never hand it to another site.
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


HSTS = "max-age=31536000; includeSubDomains"


def security_headers(*, https: bool) -> dict[str, str]:
    """The headers every response carries; HSTS only when the service is reached over https."""
    return {**SECURITY_HEADERS, "Strict-Transport-Security": HSTS} if https else dict(SECURITY_HEADERS)


def create_app(application: Application) -> WebApp:
    """The web app over an already built application (the service owns its lifetime)."""
    settings = application.settings
    context = WebContext(
        application=application,
        started=time.monotonic(),
        session_signer=SessionSigner(revealed(settings.AIRECRUITER_SECRET_KEY)),
        https_frontend=settings.FRONTEND_URL.startswith("https://"),
        trusted_proxies=settings.trusted_proxies,
        password_checker=PasswordChecker(
            max_concurrent=settings.LOGIN_MAX_CONCURRENT_CHECKS,
            per_client=settings.LOGIN_MAX_CHECKS_PER_CLIENT,
            wait_seconds=settings.LOGIN_CHECK_WAIT,
            timeout_seconds=settings.LOGIN_CHECK_TIMEOUT,
        ),
        metrics_token=settings.METRICS_TOKEN,
    )
    app = WebApp(context, title="AIRecruiter", docs_url=None, redoc_url=None, openapi_url=None)
    if not context.session_signer.persistent:
        log.warning(
            "secret_key_per_process",
            hint="AIRECRUITER_SECRET_KEY is not set: a per-process key signs the sign-in form and notices"
            " (with several web processes a sign-in may need a second try); set one made by"
            " `airecruiter secrets generate-key`",
        )

    headers = security_headers(https=context.https_frontend)
    app.add_middleware(RequestGuard, headers=headers)
    install_failure_handlers(app, headers)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    install_error_pages(app)
    app.include_router(health.router)
    app.include_router(interview_api.router)
    app.include_router(interview_page.router)
    app.include_router(candidate_pages.router)
    for module in (
        auth_routes,
        dashboard,
        requisition_pages,
        application_pages,
        application_downloads,
        application_actions,
        application_human_review,
        decision_pages,
        queue_pages,
        prompt_pages,
        candidate_text_pages,
        activity_pages,
        session_pages,
        audit_pages,
        request_pages,
        candidate_export_action,
        erasure_pages,
    ):
        app.include_router(module.router)
    return app
