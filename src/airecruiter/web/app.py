"""The FastAPI application factory."""

from __future__ import annotations

import time

from fastapi import FastAPI

from airecruiter.bootstrap import Runtime
from airecruiter.processors.interview_engine import InterviewEngine
from airecruiter.web import health, interview_api


def create_app(runtime: Runtime, *, interview_engine: InterviewEngine | None = None) -> FastAPI:
    """The web app over an already built runtime (the service owns its lifetime).

    `interview_engine` replaces the one built from the runtime (tests pass one with other limits).
    """
    app = FastAPI(title="AIRecruiter", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.runtime = runtime
    app.state.started = time.monotonic()
    app.state.interview_engine = interview_engine or interview_api.build_interview_engine(runtime)
    app.include_router(health.router)
    app.include_router(interview_api.router)
    return app
