"""/metrics can be kept to the scraper that knows METRICS_TOKEN; health stays open."""

from __future__ import annotations

import httpx
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.admin_fixtures import app_with

TOKEN = "scraper-token-0123456789abcdef"


async def test_with_a_token_metrics_want_it_as_a_bearer_and_health_stays_open(
    db: AsyncEngine, database_url: str
) -> None:
    app = app_with(db, database_url, METRICS_TOKEN=SecretStr(TOKEN))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web.test") as http:
        for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Basic {TOKEN}"}):
            refused = await http.get("/metrics", headers=headers)
            assert refused.status_code == 401, headers
            assert refused.headers["www-authenticate"].startswith("Bearer")
            assert "airecruiter_" not in refused.text and TOKEN not in refused.text
        allowed = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert allowed.status_code == 200 and "airecruiter_queue_items" in allowed.text
        assert (await http.get("/health/processor")).status_code in (200, 503)
        assert "queue" in (await http.get("/health/processor")).json()


async def test_without_a_token_metrics_are_open(db: AsyncEngine, database_url: str) -> None:
    app = app_with(db, database_url)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web.test") as http:
        assert (await http.get("/metrics")).status_code == 200
