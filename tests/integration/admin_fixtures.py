"""The admin console served on loopback, and signed-in HTTP clients that act as a user would.

`console` serves the whole web app over the test database; `sign_in(console, role)` creates a user
of that role and signs in through the real login form, returning an `AdminClient` that sends the
session's CSRF token with every form it posts (as the pages' forms do).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.services.users import create_account
from airecruiter.web.app import create_app
from airecruiter.web.context import WebApp
from tests.integration.interview_fixtures import runtime_for, serving

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Console:
    """The running web app: its URL and database."""

    url: str
    db: AsyncEngine


@pytest.fixture
async def console(db: AsyncEngine, database_url: str) -> AsyncIterator[Console]:
    """The web app (interview pages and admin console) on a free loopback port, over an empty database."""
    app = create_app(runtime_for(database_url, db))
    async with serving(app) as url:
        yield Console(url, db)


def app_with(db: AsyncEngine, database_url: str, **settings: Any) -> WebApp:
    """The web app as one process would build it over the test database, with some settings changed."""
    return create_app(runtime_for(database_url, db, **settings))


def csrf_token_in(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


class AdminClient:
    """An HTTP client signed in to the console."""

    def __init__(self, http: httpx.AsyncClient, csrf_token: str, username: str) -> None:
        self.http = http
        self.csrf_token = csrf_token
        self.username = username

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        """GET a console page (redirects are not followed)."""
        return await self.http.get(path, **kwargs)

    async def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        """POST a form as the page would, CSRF token included (a list value sends the field repeatedly)."""
        return await self.http.post(path, data={"csrf_token": self.csrf_token, **(data or {})}, **kwargs)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.http.aclose()


async def sign_in(console: Console, role: str = "admin", username: str | None = None) -> AdminClient:
    """Create a user of `role` and sign in through the login form."""
    name = username or f"{role}-user"
    await create_account(console.db, username=name, password=PASSWORD, role=role, actor="test")
    http = httpx.AsyncClient(base_url=console.url, follow_redirects=False, timeout=30)
    page = await http.get("/admin/login")
    signed = await http.post(
        "/admin/login",
        data={"username": name, "password": PASSWORD, "csrf_token": csrf_token_in(page.text), "next": "/admin"},
    )
    assert signed.status_code == 303, signed.text
    # Every console page carries the token (the sign-out form); an auditor lands on the audit.
    dashboard = await http.get("/admin", follow_redirects=True)
    assert dashboard.status_code == 200, dashboard.text
    return AdminClient(http, csrf_token_in(dashboard.text), name)


@pytest.fixture
async def admin(console: Console) -> AsyncIterator[AdminClient]:
    """A signed-in admin."""
    client = await sign_in(console, "admin")
    yield client
    await client.aclose()


@pytest.fixture
async def recruiter(console: Console) -> AsyncIterator[AdminClient]:
    """A signed-in recruiter."""
    client = await sign_in(console, "recruiter")
    yield client
    await client.aclose()
