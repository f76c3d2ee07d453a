"""What the web app serves from: the application, and the web layer's own long-lived objects.

`create_app` builds one `WebContext` and hands it to `WebApp`; everything in `web/` reaches it
through `web_context(request)` (or the typed dependencies of `web.dependencies`), never through
Starlette's untyped per-app state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from pydantic import SecretStr

from airecruiter.bootstrap import Application
from airecruiter.services.passwords import PasswordChecker
from airecruiter.web.client_address import Network

if TYPE_CHECKING:
    from airecruiter.web.admin.session import SessionSigner


@dataclass(frozen=True)
class WebContext:
    """The application and the web layer's objects, built once by `create_app`."""

    application: Application
    started: float  # time.monotonic() when the app was built: the health endpoint's uptime
    session_signer: SessionSigner
    https_frontend: bool
    trusted_proxies: Sequence[Network]
    password_checker: PasswordChecker
    metrics_token: SecretStr | None


class WebApp(FastAPI):
    """The FastAPI app, holding its `WebContext`."""

    def __init__(self, context: WebContext, **options: Any) -> None:
        super().__init__(**options)
        self.context = context


def web_context(request: Request) -> WebContext:
    """The context of the app serving `request`."""
    app = request.app
    if not isinstance(app, WebApp):
        raise TypeError(f"the request is served by {type(app).__name__}, not by the app create_app built")
    return app.context
