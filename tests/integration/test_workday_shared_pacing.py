"""Workday pacing shared by every process through PostgreSQL: one row per tenant, one statement a call."""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.workday_pacing import SharedPacer
from tests.integration.sandbox_fixtures import running_sandbox
from tests.integration.workday_helpers import calls, client_for

INTERVAL = 0.05


def _tenant() -> str:
    return f"https://wd.example.test/acme-{secrets.token_hex(4)}"


async def test_two_processes_take_turns_as_one_would(db: AsyncEngine) -> None:
    tenant = _tenant()
    fleet = [SharedPacer(db, tenant=tenant, min_interval=INTERVAL) for _ in range(2)]  # a pacer per "process"
    starts: list[float] = []

    async def calls_of(pacer: SharedPacer) -> None:
        for _ in range(5):
            await pacer.wait_turn()
            starts.append(time.monotonic())

    await asyncio.gather(*(calls_of(p) for p in fleet))
    starts.sort()
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(starts) == 10
    assert min(gaps) >= INTERVAL * 0.8  # never two starts together, whichever process made them
    assert starts[-1] - starts[0] >= 9 * INTERVAL * 0.9


async def test_an_idle_tenant_answers_at_once_and_tenants_do_not_share_a_row(db: AsyncEngine) -> None:
    first = SharedPacer(db, tenant=_tenant(), min_interval=10.0)
    other = SharedPacer(db, tenant=_tenant(), min_interval=10.0)
    assert await first.reserve() == 0.0
    assert 9.0 < await first.reserve() <= 10.0  # the next slot of that tenant is one interval away
    assert await other.reserve() == 0.0


async def test_clients_of_two_processes_pace_their_calls_together(db: AsyncEngine) -> None:
    tenant = _tenant()
    async with running_sandbox() as sandbox:
        clients = [
            client_for(
                sandbox,
                min_interval=INTERVAL,
                open_status="Open",
                pacer=SharedPacer(db, tenant=tenant, min_interval=INTERVAL),
            )
            for _ in range(2)
        ]
        try:
            began = time.monotonic()
            await asyncio.gather(*(c.requisition("no-such-requisition") for c in clients for _ in range(3)))
            took = time.monotonic() - began
        finally:
            for client in clients:
                await client.aclose()
        made = calls(sandbox, "Get_Job_Requisitions")
    assert made >= 6
    assert took >= (made - 1) * INTERVAL * 0.9  # one tenant's pace, not two processes' each
