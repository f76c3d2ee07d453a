"""Applications pages benchmark: the console's list and detail over HTTP with 10,000 applications, as JSON.

Run from the repository root:

    .venv/bin/python benchmarks/admin_applications.py [--database-url URL] [--applications N] [--runs R]

The server is --database-url, else $BENCH_DATABASE_URL, else the embedded PostgreSQL server in
./.airecruiter/bench. A fresh database is created on it, migrated, seeded with N applications
(most analysed, a third evaluated, a sixth with a report) and dropped at the end. Each page is
fetched R times over real HTTP by a signed-in recruiter after one warm-up; median and p95 of the
whole request (query, count, rendering) are reported. Target (issue 6): every page under 200 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # benchmarks/queue.py would shadow the standard library's `queue`

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import secrets  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

import asyncpg  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from tests.integration.admin_fixtures import sign_in  # noqa: E402
from tests.integration.application_fixtures import seed_many, storage_console  # noqa: E402

from airecruiter.db.embedded import EmbeddedPostgres  # noqa: E402
from airecruiter.db.engine import create_engine, driver_dsn, redacted  # noqa: E402
from airecruiter.db.migrate import upgrade  # noqa: E402

PAGES = {
    "list, newest first": "/admin/applications",
    "list, by risk (highest first)": "/admin/applications?sort=-risk",
    "list, by risk, page 100": "/admin/applications?sort=risk&page=100",
    "list, by overall score": "/admin/applications?sort=-overall",
    "list, by candidate": "/admin/applications?sort=candidate",
    "list, search": "/admin/applications?q=candidate+99",
    "list, risk range with report": "/admin/applications?risk_min=0.2&risk_max=0.6&report=yes&sort=-risk",
    "list, one status": "/admin/applications?status=analyzed",
    "detail": "/admin/applications/{middle}",
}


def progress(message: str) -> None:
    """A line on stderr (stdout carries only the JSON)."""
    print(message, file=sys.stderr, flush=True)


async def measure_pages(url: str, count: int, runs: int) -> dict[str, Any]:
    """Median and p95 of each page over `runs` requests, in milliseconds."""
    engine = create_engine(url, pool_size=5)
    try:
        await upgrade(url, engine)
        progress(f"seeding {count} applications")
        await seed_many(engine, count)
        with tempfile.TemporaryDirectory() as data_dir:
            async with storage_console(engine, url, Path(data_dir)) as console:
                client = await sign_in(console, "recruiter")
                try:
                    results = {}
                    for label, path in PAGES.items():
                        path = path.format(middle=count // 2)
                        await client.get(path)  # warm-up
                        samples = []
                        for _ in range(runs):
                            start = time.perf_counter()
                            response = await client.get(path)
                            samples.append((time.perf_counter() - start) * 1000)
                            assert response.status_code == 200, (path, response.status_code)
                        samples.sort()
                        results[label] = {"path": path, "median_ms": round(statistics.median(samples), 1),
                                          "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1)}
                        progress(f"{label}: {results[label]['median_ms']} ms")
                    return results
                finally:
                    await client.aclose()
    finally:
        await engine.dispose()


async def run(server_url: str, count: int, runs: int) -> dict[str, Any]:
    """A fresh database on the server, measured, then dropped."""
    name = f"airecruiter_bench_apps_{secrets.token_hex(3)}"
    admin = await asyncpg.connect(driver_dsn(server_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
        pages = await measure_pages(url, count, runs)
    finally:
        admin = await asyncpg.connect(driver_dsn(server_url))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
    worst = max(p["p95_ms"] for p in pages.values())
    return {"benchmark": "admin_applications", "applications": count, "runs": runs,
            "database": redacted(server_url), "pages": pages, "worst_p95_ms": worst, "target_ms": 200,
            "meets_target": worst < 200}


def main() -> None:
    """Parse arguments, run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    embedded = None
    server_url = args.database_url
    if not server_url:
        embedded = EmbeddedPostgres(ROOT / ".airecruiter" / "bench")
        server_url = embedded.start()
    try:
        print(json.dumps(asyncio.run(run(server_url, args.applications, args.runs)), indent=2))
    finally:
        if embedded is not None:
            embedded.stop()


if __name__ == "__main__":
    main()
