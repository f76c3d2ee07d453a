"""SandboxServer: the sandbox tenant served by uvicorn on loopback, on the caller's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Generator
from pathlib import Path
from types import TracebackType
from typing import Any

import structlog
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from airecruiter.sandbox.auth import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN, TokenStore
from airecruiter.sandbox.chaos import Chaos
from airecruiter.sandbox.control import ROUTES as CONTROL_ROUTES
from airecruiter.sandbox.control import ControlGuard
from airecruiter.sandbox.endpoints import CallCounters, SandboxState, soap_endpoint, token_endpoint, wsdl_endpoint
from airecruiter.sandbox.persistence import StateDir
from airecruiter.sandbox.seed import seed_tenant
from airecruiter.sandbox.soap import SoapService
from airecruiter.sandbox.tenant import Tenant

log = structlog.get_logger(__name__)
START_TIMEOUT = 10.0


class _Server(uvicorn.Server):
    """uvicorn without its signal handlers: whoever started the sandbox decides when it stops."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def build_app(state: SandboxState, settings_env: Any, *, listen_host: str = "127.0.0.1") -> Starlette:
    """The Starlette application: Workday's endpoints plus the /_sandbox/ control API (guarded)."""
    app = Starlette(
        middleware=[Middleware(ControlGuard, listen_host=listen_host)],
        routes=[
            Route("/ccx/oauth2/{tenant}/token", token_endpoint, methods=["POST"]),
            Route("/ccx/service/{tenant}/Recruiting/{version}", soap_endpoint, methods=["POST"]),
            Route("/ccx/service/{tenant}/Recruiting/{version}", wsdl_endpoint, methods=["GET"]),
            *CONTROL_ROUTES,
        ],
    )
    app.state.sandbox = state
    app.state.settings_env = settings_env
    return app


class SandboxServer:
    """A local Workday tenant speaking the real protocol over HTTP on 127.0.0.1."""

    def __init__(
        self,
        tenant: Tenant | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        chaos: Chaos | None = None,
        state_dir: Path | str | None = None,
        scale: int = 0,
        conventions: str = "default",
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        refresh_token: str = DEFAULT_REFRESH_TOKEN,
    ) -> None:
        self.state_dir = StateDir(state_dir) if state_dir is not None else None
        if tenant is None:
            # A restarted sandbox reuses the first start's anchor, so its timestamps do not move.
            anchor = self.state_dir.anchor() if self.state_dir is not None else None
            tenant = seed_tenant(anchor=anchor, scale=scale, conventions=conventions)
        self.tenant = tenant
        self.chaos = chaos if chaos is not None else Chaos()
        self.tokens = TokenStore(
            self.chaos, client_id=client_id, client_secret=client_secret, refresh_token=refresh_token
        )
        self.state = SandboxState(tenant, self.chaos, self.tokens, SoapService(tenant, self.chaos))
        self.app = build_app(self.state, self.settings_env, listen_host=host)
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._replayed = False

    @classmethod
    def seeded(cls, **options: Any) -> SandboxServer:
        """A sandbox over the seeded tenant (options as for the constructor)."""
        return cls(None, **options)

    @property
    def calls(self) -> CallCounters:
        """Call counters per operation."""
        return self.state.calls

    @property
    def tenant_id(self) -> str:
        """The tenant name in the URLs, e.g. acme."""
        return self.tenant.tenant_id

    @property
    def client_id(self) -> str:
        """The API client id the token endpoint accepts."""
        return self.tokens.client_id

    @property
    def client_secret(self) -> str:
        """The API client secret the token endpoint accepts."""
        return self.tokens.client_secret

    @property
    def refresh_token(self) -> str:
        """The refresh token valid right now (it changes when rotate_refresh_token is on)."""
        return self.tokens.refresh_token

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>, the tenant URL without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    @property
    def soap_url(self) -> str:
        """The Recruiting endpoint for the default version."""
        return f"{self.base_url}/ccx/service/{self.tenant_id}/Recruiting/v45.0"

    @property
    def token_url(self) -> str:
        """The OAuth2 token endpoint."""
        return f"{self.base_url}/ccx/oauth2/{self.tenant_id}/token"

    def settings_env(self) -> dict[str, str]:
        """The WORKDAY_* settings that point a client at this sandbox."""
        return {
            "WORKDAY_TENANT_URL": self.base_url,
            "WORKDAY_TENANT_ID": self.tenant_id,
            "WORKDAY_CLIENT_ID": self.client_id,
            "WORKDAY_CLIENT_SECRET": self.client_secret,
            "WORKDAY_REFRESH_TOKEN": self.refresh_token,
            **self.tenant.conventions.settings,  # what a client must know of this tenant's reference IDs
        }

    async def start(self) -> None:
        """Replay the state directory, bind the port (OSError when taken) and serve until `stop`."""
        if self._task is not None:
            return
        if self.state_dir is not None and not self._replayed:
            replayed = self.state_dir.attach(self.tenant, self.tokens)
            self._replayed = True
            log.info("sandbox_state_replayed", events=replayed, state_dir=str(self.state_dir.path))
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        sock.setblocking(False)
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_config=None,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
            timeout_keep_alive=30,
        )
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]), name="sandbox-workday")
        deadline = asyncio.get_running_loop().time() + START_TIMEOUT
        while not self._server.started:
            if self._task.done():
                await self._task
                raise RuntimeError("the sandbox server stopped while starting")
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError("the sandbox server did not start in time")
            await asyncio.sleep(0.005)
        log.info("sandbox_started", url=self.base_url, tenant=self.tenant_id)

    async def stop(self) -> None:
        """Stop serving and wait until the port is closed."""
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        try:
            await asyncio.wait_for(self._task, timeout=10)
        except TimeoutError:
            self._server.force_exit = True
            await self._task
        finally:
            self._server, self._task = None, None

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()
