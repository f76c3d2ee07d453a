"""Builds the Workday client: against the configured tenant, or against the sandbox tenant.

Without WORKDAY_* settings the local twin is the sandbox tenant over real HTTP on 127.0.0.1, so
the same client code runs in the demo, the tests and a developer's machine. A sandbox already
serving on WORKDAY_SANDBOX_PORT (`airecruiter sandbox serve`, or another process of ours) is
reused, so every process of one deployment sees the same tenant. When that port is taken, whatever
holds it is waited for (a sandbox that is slow to answer, or still starting) for
WORKDAY_SANDBOX_WAIT seconds, and never silently replaced by a second, private tenant: the processes
would then see different candidates. Only WORKDAY_SANDBOX_PORT=0 asks for a private one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.secrets_box import reveal
from airecruiter.adapters.workday.auth import MemoryTokenStore
from airecruiter.adapters.workday.check import CLIENT_OPEN_STATUS_ID, Conventions, Finding, run_checks
from airecruiter.adapters.workday.client import WorkdayClient, WorkdayOptions
from airecruiter.adapters.workday.token_store import EncryptedTokenStore
from airecruiter.config import Settings, id_list
from airecruiter.db.requisitions import auto_send_statuses
from airecruiter.db.workday_pacing import SharedPacer
from airecruiter.db.workday_refresh_token import StoredRefreshToken
from airecruiter.domain.workday_decision import DecisionRules
from airecruiter.errors import ConfigurationError
from airecruiter.sandbox.server import SandboxServer

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class WorkdayConnection:
    """The client, and the sandbox server this process started for it (if any)."""

    client: WorkdayClient
    sandbox: SandboxServer | None = None
    # The WORKDAY_* conventions a twin announced (how it spells its IDs); empty for a configured tenant.
    conventions: Mapping[str, str] = field(default_factory=dict)

    def settings(self, s: Settings) -> Settings:
        """`s` with the twin's conventions, so the processors read IDs as this tenant spells them."""
        return s.model_copy(update=dict(self.conventions)) if self.conventions else s

    async def aclose(self) -> None:
        """Close the client, then stop the sandbox this process runs."""
        await self.client.aclose()
        if self.sandbox is not None:
            await self.sandbox.stop()


# Settings that describe how a tenant spells its reference IDs.
TENANT_CONVENTION_SETTINGS = (
    "WORKDAY_OPEN_STATUS",
    "WORKDAY_RECRUITER_ROLES",
    "WORKDAY_RESUME_CATEGORIES",
    "WORKDAY_REPORT_CATEGORY",
    "WORKDAY_ADVANCED_STAGES",
    "WORKDAY_REJECTED_DISPOSITIONS",
)


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
        recruiter_roles=id_list(s.WORKDAY_RECRUITER_ROLES),
        open_status=s.WORKDAY_OPEN_STATUS.strip(),
        resume_categories=id_list(s.WORKDAY_RESUME_CATEGORIES),
        fallback_lookback_days=s.WORKDAY_FALLBACK_LOOKBACK_DAYS,
    )


def decision_rules(s: Settings) -> DecisionRules:
    """How this tenant's stage and disposition IDs read as the human decision (WORKDAY_ADVANCED_STAGES, ...)."""
    return DecisionRules(id_list(s.WORKDAY_ADVANCED_STAGES), id_list(s.WORKDAY_REJECTED_DISPOSITIONS))


class _NotASandbox(Exception):
    """Something answered on the port, but not as a sandbox tenant does."""


async def _running_sandbox(url: str, *, answer_within: float = 2.0) -> dict[str, str] | None:
    """The settings of a sandbox serving at `url`; None when nothing listens there.

    Raises httpx.TimeoutException when something listens but does not answer in time, and
    _NotASandbox when the answer is not a sandbox's.
    """
    try:
        async with httpx.AsyncClient(timeout=answer_within) as http:
            response = await http.get(f"{url}/_sandbox/settings")
    except httpx.ConnectError:
        return None
    if response.status_code != 200:
        raise _NotASandbox(f"HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError as exc:
        raise _NotASandbox("an answer that is not JSON") from exc
    if not isinstance(body, dict):
        raise _NotASandbox("JSON that is not the sandbox's settings")
    return {str(k): str(v) for k, v in body.items()}


async def _wait_for_sandbox(url: str, port: int, wait: float) -> dict[str, str]:
    """Poll the sandbox holding `port` until it answers, for at most `wait` seconds."""
    log.info("workday_sandbox_waiting", sandbox=url, wait_s=wait, reason="the port is taken; a sandbox may be starting")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    last = "it did not answer"
    while loop.time() < deadline:
        try:
            existing = await _running_sandbox(url, answer_within=max(0.5, min(5.0, deadline - loop.time())))
        except httpx.HTTPError as exc:
            last = f"it did not answer ({type(exc).__name__})"
        except _NotASandbox as exc:
            last = f"it answered with {exc}"
        else:
            if existing is not None:
                return existing
            last = "nothing listened any more"
        await asyncio.sleep(0.25)
    raise ConfigurationError(
        f"Port {port} (WORKDAY_SANDBOX_PORT) is taken, but no sandbox Workday tenant answered there within "
        f"{wait:g} s: {last}. Stop what holds the port, or set WORKDAY_SANDBOX_PORT to a free port "
        "(0 for a private sandbox of this process only)."
    )


async def _sandbox_settings(s: Settings) -> tuple[dict[str, str], SandboxServer | None]:
    port = s.WORKDAY_SANDBOX_PORT
    state_dir = s.AIRECRUITER_DATA_DIR / "sandbox"
    if not port:
        server = SandboxServer.seeded(port=0, state_dir=state_dir)
        await server.start()
        log.info("workday_local_twin", sandbox=server.base_url, started_here=True, reason="WORKDAY_SANDBOX_PORT=0")
        return server.settings_env(), server
    url = f"http://127.0.0.1:{port}"
    try:
        existing = await _running_sandbox(url)
    except (httpx.HTTPError, _NotASandbox):
        existing = await _wait_for_sandbox(url, port, s.WORKDAY_SANDBOX_WAIT)
    if existing is None:
        server = SandboxServer.seeded(port=port, state_dir=state_dir)
        try:
            await server.start()
        except OSError:
            # Taken since we looked: by another process of ours starting its sandbox, most likely.
            existing = await _wait_for_sandbox(url, port, s.WORKDAY_SANDBOX_WAIT)
        else:
            log.info(
                "workday_local_twin", sandbox=server.base_url, started_here=True, reason="WORKDAY_TENANT_URL is not set"
            )
            return server.settings_env(), server
    log.info("workday_local_twin", sandbox=url, started_here=False)
    return existing, None


def refresh_token_store(engine: AsyncEngine, secret_key: str) -> EncryptedTokenStore:
    """The rotated refresh token, encrypted with `secret_key` in the database's `settings` table."""
    return EncryptedTokenStore(StoredRefreshToken(engine), secret_key)


async def connect_workday(s: Settings, engine: AsyncEngine) -> WorkdayConnection:
    """The configured tenant's client, or a client of the sandbox tenant."""
    if s.workday_configured:
        assert s.WORKDAY_TENANT_URL and s.WORKDAY_TENANT_ID and s.WORKDAY_CLIENT_ID
        assert s.WORKDAY_CLIENT_SECRET and s.WORKDAY_REFRESH_TOKEN and s.AIRECRUITER_SECRET_KEY
        key = s.AIRECRUITER_SECRET_KEY.get_secret_value()
        store = refresh_token_store(engine, key)
        client = WorkdayClient(
            tenant_url=s.WORKDAY_TENANT_URL,
            tenant_id=s.WORKDAY_TENANT_ID,
            client_id=s.WORKDAY_CLIENT_ID,
            client_secret=reveal(s.WORKDAY_CLIENT_SECRET.get_secret_value(), key, name="WORKDAY_CLIENT_SECRET"),
            refresh_token=reveal(s.WORKDAY_REFRESH_TOKEN.get_secret_value(), key, name="WORKDAY_REFRESH_TOKEN"),
            store=store,
            options=options_from(s),
            token_url=s.WORKDAY_TOKEN_URL,
            # The tenant's pacing holds across every process of the deployment, not per process.
            pacer=SharedPacer(
                engine,
                tenant=f"{s.WORKDAY_TENANT_URL.rstrip('/')}/{s.WORKDAY_TENANT_ID}",
                min_interval=s.WORKDAY_MIN_REQUEST_INTERVAL,
            ),
        )
        log.info("workday_configured", endpoint=client.endpoint)
        return WorkdayConnection(client)
    env, server = await _sandbox_settings(s)
    # A twin serving other conventions (`sandbox serve --conventions upper`) says how it spells its IDs.
    conventions = {k: v for k, v in env.items() if k in TENANT_CONVENTION_SETTINGS}
    s = s.model_copy(update=conventions)
    client = WorkdayClient(
        tenant_url=env["WORKDAY_TENANT_URL"],
        tenant_id=env["WORKDAY_TENANT_ID"],
        client_id=env["WORKDAY_CLIENT_ID"],
        client_secret=env["WORKDAY_CLIENT_SECRET"],
        refresh_token=env["WORKDAY_REFRESH_TOKEN"],
        store=MemoryTokenStore(),
        options=options_from(s, twin=True),
    )
    return WorkdayConnection(client, server, conventions)


async def check_workday(
    runtime_client: WorkdayClient,
    engine: AsyncEngine,
    *,
    open_status: str | None = None,
    write_test_candidate: str | None = None,
    decisions: DecisionRules | None = None,
) -> list[Finding]:
    """`airecruiter workday check`: the tenant's conventions as configured, then every step's finding.

    The open-status ID is the client's (WORKDAY_OPEN_STATUS) unless `open_status` is given to try another.
    """
    async with engine.connect() as conn:
        auto_send = await auto_send_statuses(conn)
    options = runtime_client.options
    conventions = Conventions(
        open_status_id=open_status or options.open_status or CLIENT_OPEN_STATUS_ID,
        open_status_source="given with --open-status" if open_status else "WORKDAY_OPEN_STATUS",
        auto_send_stages=auto_send,
        recruiter_roles=options.recruiter_roles,
        decisions=decisions or DecisionRules(),
        report_category=options.report_category_id,
    )
    return await run_checks(runtime_client, conventions, write_test_candidate=write_test_candidate)
