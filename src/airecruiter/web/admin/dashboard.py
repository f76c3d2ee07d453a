"""The dashboard (being built)."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from airecruiter.domain.permissions import READ
from airecruiter.web.admin.session import ConsoleUser, require
from airecruiter.web.templating import render

router = APIRouter(prefix="/admin")


@router.get("", response_class=HTMLResponse)
async def dashboard(request: Request, user: ConsoleUser = Depends(require(READ))) -> HTMLResponse:  # noqa: B008
    """The dashboard."""
    return render(request, "admin/error.html", {"heading": "Dashboard", "message": "Welcome.",
                                                "section": "dashboard"})
