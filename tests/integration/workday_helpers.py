"""Building a Workday client for a running sandbox tenant, and reading the sandbox's call counters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from airecruiter.adapters.workday.auth import MemoryTokenStore, RefreshTokenStore
from airecruiter.adapters.workday.client import WorkdayClient, WorkdayOptions
from airecruiter.adapters.workday.transport import Pacer
from airecruiter.bootstrap.workday import TENANT_CONVENTION_SETTINGS, options_from
from airecruiter.config import Settings
from airecruiter.sandbox.server import SandboxServer
from tests.integration.sandbox_fixtures import running_sandbox

E = TypeVar("E", bound=BaseException)


def client_for(
    sandbox: SandboxServer,
    *,
    store: RefreshTokenStore | None = None,
    refresh_token: str | None = None,
    client_secret: str | None = None,
    token_url: str | None = None,
    pacer: Pacer | None = None,
    **options: Any,
) -> WorkdayClient:
    """The production client, pointed at the sandbox with no pacing (unless a `pacer` is given), told
    the tenant's ID conventions; `token_url` sends the token requests to another tenant."""
    env = sandbox.settings_env()
    # As bootstrap.workday does for a twin: the tenant's WORKDAY_* conventions become client options.
    conventions = {k: v for k, v in env.items() if k in TENANT_CONVENTION_SETTINGS}
    tenant = options_from(Settings.model_construct(**conventions)) if conventions else None
    if tenant is not None:
        options = {
            "open_status": tenant.open_status,
            "recruiter_roles": tenant.recruiter_roles,
            "resume_categories": tenant.resume_categories,
            "report_category_type": tenant.report_category_type,
            "report_category_id": tenant.report_category_id,
            **options,
        }
    return WorkdayClient(
        tenant_url=env["WORKDAY_TENANT_URL"],
        tenant_id=env["WORKDAY_TENANT_ID"],
        client_id=env["WORKDAY_CLIENT_ID"],
        client_secret=client_secret or env["WORKDAY_CLIENT_SECRET"],
        refresh_token=refresh_token or env["WORKDAY_REFRESH_TOKEN"],
        store=store or MemoryTokenStore(),
        options=WorkdayOptions(**{"min_interval": 0.0, **options}),
        token_url=token_url,
        pacer=pacer,
    )


def calls(sandbox: SandboxServer, operation: str) -> int:
    """How many requests of `operation` (or `token` grants asked for) reached the sandbox so far."""
    if operation == "token":
        return sandbox.calls.token_requests
    return int(sandbox.calls.operations.get(operation, 0))


async def failure(
    error: type[E],
    call: Callable[[WorkdayClient], Awaitable[object]],
    *,
    client_options: dict[str, Any] | None = None,
    **chaos: Any,
) -> E:
    """The `error` that `call` raises against a sandbox with these chaos switches (fails the test if none)."""
    async with running_sandbox(**chaos) as sandbox:
        client = client_for(sandbox, **(client_options or {}))
        try:
            with pytest.raises(error) as raised:
                await call(client)
        finally:
            await client.aclose()
    return raised.value
