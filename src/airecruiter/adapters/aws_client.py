"""One aiobotocore client per adapter, shared by all callers, created on first use, closed once."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from typing import Any, Generic, TypeVar, cast

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session

ClientT = TypeVar("ClientT")


class LazyAwsClient(Generic[ClientT]):
    """The client of one AWS service (`s3`, `sesv2`), with the adapter's timeouts and credentials."""

    def __init__(self, service: str, config: AioConfig, **client_args: str | None) -> None:
        self._service, self._config, self._args = service, config, client_args
        self._stack = AsyncExitStack()
        self._client: ClientT | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> ClientT:
        """The client, created the first time it is asked for."""
        async with self._lock:
            if self._client is None:
                # The typed stubs overload create_client per service literal; the service is a parameter here.
                session: Any = get_session()
                creator = session.create_client(self._service, config=self._config, **self._args)
                self._client = cast(ClientT, await self._stack.enter_async_context(creator))
            return self._client

    async def aclose(self) -> None:
        """Close the client and its connection pool; a later `get` makes a new one."""
        self._client = None
        await self._stack.aclose()
        self._stack = AsyncExitStack()
