"""Jinja2 templates (autoescaped), the filters they share, and `render` for console and candidate pages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from airecruiter.web.admin.session import NOTICE_COOKIE, signer

WEB_DIR = Path(__file__).resolve().parent
HTMX_FILE = "htmx-2.0.8.min.js"


def when(value: datetime | None, default: str = "—") -> str:
    """A timestamp as an operator reads it: UTC, to the minute."""
    if value is None:
        return default
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def score(value: float | None, places: int = 1) -> str:
    """A score with a fixed number of decimals, or a dash."""
    return "—" if value is None else f"{value:.{places}f}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(WEB_DIR / "templates"),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = when
    env.filters["score"] = score
    env.globals["htmx_file"] = HTMX_FILE
    return env


templates = Jinja2Templates(env=_environment())


def query_with(request: Request, **changes: Any) -> str:
    """This page's query string with some parameters changed (None removes one)."""
    params = {k: v for k, v in request.query_params.items()}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a page with the signed-in user, the CSRF token and any pending notice."""
    user = getattr(request.state, "user", None)
    notice = signer(request).read_notice(request.cookies.get(NOTICE_COOKIE))
    page_context = {
        "request": request,
        "user": user,
        "csrf_token": user.csrf_token if user else "",
        "notice": notice,
        "query_with": lambda **c: query_with(request, **c),
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, page_context, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    if notice is not None:
        response.delete_cookie(NOTICE_COOKIE, path="/admin")
    return response
