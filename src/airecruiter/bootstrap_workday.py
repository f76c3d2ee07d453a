"""Builds the Workday client: against the configured tenant, or against the sandbox tenant.

Without WORKDAY_* settings the local twin is the sandbox tenant over real HTTP on 127.0.0.1, so
the same client code runs in the demo, the tests and a developer's machine. A sandbox already
serving on WORKDAY_SANDBOX_PORT (`airecruiter sandbox serve`, or another process of ours) is
reused, so every process of one deployment sees the same tenant.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.secrets_box import encrypt, reveal
from airecruiter.adapters.workday.auth import MemoryTokenStore, RefreshTokenStore
from airecruiter.adapters.workday.client import WorkdayClient, WorkdayOptions
from airecruiter.config import Settings
from airecruiter.db.secret_settings import (
    WORKDAY_REFRESH_TOKEN_KEY,
    read_encrypted_setting,
    write_encrypted_setting,
)
from airecruiter.sandbox.server import SandboxServer

log = structlog.get_logger(__name__)


class EncryptedTokenStore:
    """The rotated refresh token, Fernet-encrypted in the `settings` table."""

    def __init__(self, engine: AsyncEngine, secret_key: str) -> None:
        self._engine = engine
        self._key = secret_key

    async def load(self) -> str | None:
        """The newest refresh token Workday issued us, if one was stored."""
        stored = await read_encrypted_setting(self._engine, key=WORKDAY_REFRESH_TOKEN_KEY)
        return None if stored is None else reveal(stored, self._key, name="the stored Workday refresh token")

    async def save(self, token: str) -> None:
        """Store the rotated token encrypted; it wins over WORKDAY_REFRESH_TOKEN from now on."""
        await write_encrypted_setting(
            self._engine, key=WORKDAY_REFRESH_TOKEN_KEY, value_encrypted=encrypt(token, self._key)
        )


@dataclass
class WorkdayConnection:
    """The client, and the sandbox server this process started for it (if any)."""

    client: WorkdayClient
    sandbox: SandboxServer | None = None

    async def aclose(self) -> None:
        """Close the client, then stop the sandbox this process runs."""
        await self.client.aclose()
        if self.sandbox is not None:
            await self.sandbox.stop()


def options_from(s: Settings, *, twin: bool = False) -> WorkdayOptions:
    """The client's options from Settings (no pacing against the local twin)."""
    category_type, _, category_id = s.WORKDAY_REPORT_CATEGORY.partition("=")
    return WorkdayOptions(
        version=s.WORKDAY_API_VERSION,
        page_size=s.WORKDAY_PAGE_SIZE,
        timeout=s.WORKDAY_TIMEOUT,
        min_interval=0.0 if twin else s.WORKDAY_MIN_REQUEST_INTERVAL,
        max_in_flight=max(s.WORKDAY_MAX_IN_FLIGHT, 8) if twin else s.WORKDAY_MAX_IN_FLIGHT,
        report_category_type=category_type.strip(),
        report_category_id=category_id.strip(),
        requisition_filter=s.WORKDAY_REQUISITION_FILTER,
        fallback_lookback_days=s.WORKDAY_FALLBACK_LOOKBACK_DAYS,
    )


async def _running_sandbox(url: str) -> dict[str, str] | None:
    """The settings of a sandbox already serving at `url`, or None."""
    try:
        async with httpx.AsyncClient(timeout=2.0) as http:
            response = await http.get(f"{url}/_sandbox/settings")
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    body = response.json()
    return {str(k): str(v) for k, v in body.items()} if isinstance(body, dict) else None


async def _sandbox_settings(s: Settings) -> tuple[dict[str, str], SandboxServer | None]:
    port = s.WORKDAY_SANDBOX_PORT
    if port:
        existing = await _running_sandbox(f"http://127.0.0.1:{port}")
        if existing is not None:
            log.info("workday_local_twin", sandbox=f"http://127.0.0.1:{port}", started_here=False)
            return existing, None
    server = SandboxServer.seeded(port=port, state_dir=s.AIRECRUITER_DATA_DIR / "sandbox")
    try:
        await server.start()
    except OSError:
        # The port is taken by something that is not a sandbox: serve on a free one instead.
        server = SandboxServer.seeded(port=0, state_dir=s.AIRECRUITER_DATA_DIR / "sandbox")
        await server.start()
    log.info("workday_local_twin", sandbox=server.base_url, started_here=True, reason="WORKDAY_TENANT_URL is not set")
    return server.settings_env(), server


async def connect_workday(s: Settings, engine: AsyncEngine) -> WorkdayConnection:
    """The configured tenant's client, or a client of the sandbox tenant."""
    if s.workday_configured:
        assert s.WORKDAY_TENANT_URL and s.WORKDAY_TENANT_ID and s.WORKDAY_CLIENT_ID
        assert s.WORKDAY_CLIENT_SECRET and s.WORKDAY_REFRESH_TOKEN and s.AIRECRUITER_SECRET_KEY
        key = s.AIRECRUITER_SECRET_KEY
        store: RefreshTokenStore = EncryptedTokenStore(engine, key)
        client = WorkdayClient(
            tenant_url=s.WORKDAY_TENANT_URL,
            tenant_id=s.WORKDAY_TENANT_ID,
            client_id=s.WORKDAY_CLIENT_ID,
            client_secret=reveal(s.WORKDAY_CLIENT_SECRET, key, name="WORKDAY_CLIENT_SECRET"),
            refresh_token=reveal(s.WORKDAY_REFRESH_TOKEN, key, name="WORKDAY_REFRESH_TOKEN"),
            store=store,
            options=options_from(s),
            token_url=s.WORKDAY_TOKEN_URL,
        )
        log.info("workday_configured", endpoint=client.endpoint)
        return WorkdayConnection(client)
    env, server = await _sandbox_settings(s)
    client = WorkdayClient(
        tenant_url=env["WORKDAY_TENANT_URL"],
        tenant_id=env["WORKDAY_TENANT_ID"],
        client_id=env["WORKDAY_CLIENT_ID"],
        client_secret=env["WORKDAY_CLIENT_SECRET"],
        refresh_token=env["WORKDAY_REFRESH_TOKEN"],
        store=MemoryTokenStore(),
        options=options_from(s, twin=True),
    )
    return WorkdayConnection(client, server)
