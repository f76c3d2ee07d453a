"""Workday pacing shared through PostgreSQL (db.workday_pacing): what a reservation costs, and the pace a fleet keeps.

Prints JSON: `reserve_ms` (median and p95 of one reservation statement, sequential), `concurrent_reserve_ms`
(the same with `--processes` pacers reserving at once), and `fleet`: `--processes` pacers each making
`--calls` paced starts at `--interval` seconds, their wall time against the ideal (all starts − 1) × interval
and the smallest gap seen between two starts (never below the interval when pacing holds across the fleet).
The database server is --database-url, else $BENCH_DATABASE_URL or $TEST_DATABASE_URL (a fresh, migrated
database is made and dropped).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # benchmarks/queue.py must not shadow the standard library's `queue`

import argparse  # noqa: E402
import asyncio  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from benchmarks.bench_databases import create_database, drop_database  # noqa: E402


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median": round(statistics.median(ordered) * 1000, 3),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 3),
    }


async def _timed(reserve: Any) -> float:
    began = time.perf_counter()
    await reserve()
    return time.perf_counter() - began


async def run(url: str, args: argparse.Namespace) -> dict[str, Any]:
    from airecruiter.db.engine import create_engine
    from airecruiter.db.workday_pacing import SharedPacer

    engine = create_engine(url, pool_size=max(2, args.processes))
    try:
        tiny = SharedPacer(engine, tenant="bench-reserve", min_interval=1e-6)
        sequential = [await _timed(tiny.reserve) for _ in range(args.reservations)]
        fleet_reserve = [
            SharedPacer(engine, tenant="bench-concurrent", min_interval=1e-6) for _ in range(args.processes)
        ]
        concurrent: list[float] = []
        for _ in range(args.reservations // args.processes):
            concurrent += await asyncio.gather(*(_timed(p.reserve) for p in fleet_reserve))
        pacers = [SharedPacer(engine, tenant="bench-fleet", min_interval=args.interval) for _ in range(args.processes)]
        starts: list[float] = []

        async def paced(pacer: SharedPacer) -> None:
            for _ in range(args.calls):
                await pacer.wait_turn()
                starts.append(time.monotonic())

        began = time.monotonic()
        await asyncio.gather(*(paced(p) for p in pacers))
        wall = time.monotonic() - began
    finally:
        await engine.dispose()
    starts.sort()
    ideal = (len(starts) - 1) * args.interval
    return {
        "reserve_ms": _ms(sequential),
        "concurrent_reserve_ms": _ms(concurrent),
        "fleet": {
            "processes": args.processes,
            "calls": len(starts),
            "interval_s": args.interval,
            "wall_s": round(wall, 3),
            "ideal_s": round(ideal, 3),
            "ratio": round(ideal / wall, 3) if wall else None,
            "min_gap_s": round(min(b - a for a, b in itertools.pairwise(starts)), 4),
        },
    }


def main() -> None:
    """Run the benchmark and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--reservations", type=int, default=400)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--interval", type=float, default=0.2)
    args = parser.parse_args()
    server = args.database_url or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not server:
        raise SystemExit("needs a PostgreSQL server: --database-url, BENCH_DATABASE_URL or TEST_DATABASE_URL")

    async def measured() -> dict[str, Any]:
        url = await create_database(server, prefix="airecruiter_bench_pacing")
        try:
            return await run(url, args)
        finally:
            await drop_database(server, url)

    print(json.dumps(asyncio.run(measured()), indent=2))


if __name__ == "__main__":
    main()
