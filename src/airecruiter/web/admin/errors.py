"""How the console answers when the user must sign in, may not act, or asks for what is not there."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response

from airecruiter.web.admin.session import ForbiddenError, LoginRequiredError, login_redirect
from airecruiter.web.templating import render


class NotFoundError(Exception):
    """A console page for something that does not exist (or no longer does)."""

    def __init__(self, message: str) -> None:
        self.message = message


def install_error_pages(app: FastAPI) -> None:
    """Login redirect for anonymous users, 403 and 404 pages for everyone else."""

    @app.exception_handler(LoginRequiredError)
    async def login_required(request: Request, exc: LoginRequiredError) -> Response:
        response = login_redirect(exc.next_url)
        if request.headers.get("hx-request"):
            # htmx would follow a 303 and swap the login form into the page: send the browser there.
            return Response(status_code=200, headers={"HX-Redirect": response.headers["location"]})
        return response

    @app.exception_handler(ForbiddenError)
    async def forbidden(request: Request, exc: ForbiddenError) -> Response:
        return render(request, "admin/error.html", {"heading": "Not allowed", "message": exc.message}, status_code=403)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return render(request, "admin/error.html", {"heading": "Not found", "message": exc.message}, status_code=404)
