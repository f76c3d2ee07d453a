"""How the web app answers when a request fails: a value the database refuses is the request's fault
(400), anything else is ours (500, logged with its stack). Both answers carry the security headers:
a 500 is sent from outside the middleware stack, so the headers are set here."""

from __future__ import annotations

from collections.abc import Mapping

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy.exc import DBAPIError

from airecruiter.db.engine import is_invalid_value

log = structlog.get_logger(__name__)

INVALID_VALUE = "The request contains a value the service cannot use (a number out of range or a control character)."
INTERNAL = "Something went wrong on our side; the error was logged. Try again in a moment."


def _answer(request: Request, status: int, message: str, headers: Mapping[str, str]) -> Response:
    extra = {**headers, "Cache-Control": "no-store"}
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status, headers=extra)
    return PlainTextResponse(message, status_code=status, headers=extra)


def install_failure_handlers(app: FastAPI, headers: Mapping[str, str]) -> None:
    """400 for values PostgreSQL refuses as data, 500 with the security headers for the rest."""

    @app.exception_handler(DBAPIError)
    async def database_refused(request: Request, exc: DBAPIError) -> Response:
        if not is_invalid_value(exc):
            return await internal_error(request, exc)
        log.info("request_value_refused", path=request.url.path, sqlstate=getattr(exc.orig, "sqlstate", None))
        return _answer(request, 400, INVALID_VALUE, headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.error("request_failed", path=request.url.path, error_class=type(exc).__name__, exc_info=exc)
        return _answer(request, 500, INTERNAL, headers)
