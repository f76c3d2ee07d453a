"""The FastAPI application factory."""

from __future__ import annotations

import time

from fastapi import FastAPI

from airecruiter.bootstrap import Runtime
from airecruiter.web import health


def create_app(runtime: Runtime) -> FastAPI:
    """The web app over an already built runtime (the service owns its lifetime)."""
    app = FastAPI(title="AIRecruiter", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.runtime = runtime
    app.state.started = time.monotonic()
    app.include_router(health.router)
    return app
