"""Building a Workday client for a running sandbox tenant, and reading the sandbox's call counters."""

from __future__ import annotations

from typing import Any

from airecruiter.adapters.workday.auth import MemoryTokenStore, RefreshTokenStore
from airecruiter.adapters.workday.client import WorkdayClient, WorkdayOptions
from airecruiter.sandbox.server import SandboxServer


def client_for(sandbox: SandboxServer, *, store: RefreshTokenStore | None = None,
               refresh_token: str | None = None, client_secret: str | None = None,
               **options: Any) -> WorkdayClient:
    """The production client, pointed at the sandbox with no pacing."""
    env = sandbox.settings_env()
    return WorkdayClient(
        tenant_url=env["WORKDAY_TENANT_URL"], tenant_id=env["WORKDAY_TENANT_ID"],
        client_id=env["WORKDAY_CLIENT_ID"], client_secret=client_secret or env["WORKDAY_CLIENT_SECRET"],
        refresh_token=refresh_token or env["WORKDAY_REFRESH_TOKEN"], store=store or MemoryTokenStore(),
        options=WorkdayOptions(**{"min_interval": 0.0, **options}),
    )


def calls(sandbox: SandboxServer, operation: str) -> int:
    """How many requests of `operation` (or `token` grants asked for) reached the sandbox so far."""
    if operation == "token":
        return sandbox.calls.token_requests
    return int(sandbox.calls.operations.get(operation, 0))
