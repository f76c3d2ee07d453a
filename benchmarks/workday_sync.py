"""Workday sync benchmark: stream a large requisition, and sync one into the database at real latency.

Run from the repository root: `.venv/bin/python benchmarks/workday_sync.py [--sizes 1000,10000]`
(the streaming figures below), or `... --sync [--applications 300] [--latency-ms 300]
[--limits 2:0.2,16:0.02] [--database-url URL]` (the sync figures at the end of this text).
For each size a sandbox tenant with that many candidates serves in its own process
(`airecruiter sandbox serve --scale N`), and a fresh client process streams every application of
the scale requisition with pages of 100, so each size's peak RSS is that client's alone.
Targets (issue 3): the client's peak RSS does not grow with the requisition's size, and parsing
is not the bottleneck (the share of the client's time spent parsing XML is reported).

`--sync`: for each size and each limit pair IN_FLIGHT:MIN_INTERVAL (the client's real-tenant defaults are 2 and
0.2 s), a sandbox with N candidates and `latency_ms` per SOAP call, a fresh database, and a child
process that runs the `sync` processor for the scale requisition through the composition root (the
production client, LocalStorage). `seconds` is the time until every application is stored with its
résumé (the sync job's wall time); `calls` the SOAP calls it made (the sandbox's counter);
`ideal_seconds` = max(calls × latency ÷ in-flight, calls × minimum interval); `ratio` = ideal ÷
measured (goal ≥ 0.8). The database server is --database-url, else $BENCH_DATABASE_URL or
$TEST_DATABASE_URL. `make bench-long` runs 1,000 and 10,000 applications at zero latency and
reports the sync process's peak RSS for each (flat is the target); it is never part of CI.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this folder comes first on sys.path, and benchmarks/queue.py would shadow the
# standard library's `queue` (anyio needs it): the repository root goes there instead.
sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import asyncio  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

SCALE_REQUISITION_ID = "R-09000"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, proc: subprocess.Popen[bytes], timeout: float = 120.0) -> dict[str, str]:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the sandbox exited with code {proc.returncode}")
        try:
            response = httpx.get(f"{url}/_sandbox/settings", timeout=2.0)
            if response.status_code == 200:
                return dict(response.json())
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the sandbox did not start in time")


async def _stream(env: dict[str, str], page_size: int) -> dict[str, Any]:
    """Stream the scale requisition; time spent parsing is measured around the parser's entry points."""
    from airecruiter.adapters.workday import client as client_module
    from airecruiter.adapters.workday import transport as transport_module
    from airecruiter.adapters.workday.auth import MemoryTokenStore
    from airecruiter.adapters.workday.client import WorkdayClient, WorkdayOptions
    from airecruiter.cli.common import configure_logging

    configure_logging("console", "WARNING")  # stdout carries only the JSON result

    parse_seconds = [0.0]

    def timed(function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parse_seconds[0] += time.perf_counter() - started

        return wrapper

    # Benchmark instrumentation only: count the time inside the XML parser and the record readers.
    transport_module.envelope_body = timed(transport_module.envelope_body)  # type: ignore[attr-defined]
    client_module.parse_candidate = timed(client_module.parse_candidate)  # type: ignore[attr-defined]
    client_module.page_info = timed(client_module.page_info)  # type: ignore[attr-defined]

    client = WorkdayClient(
        tenant_url=env["WORKDAY_TENANT_URL"],
        tenant_id=env["WORKDAY_TENANT_ID"],
        client_id=env["WORKDAY_CLIENT_ID"],
        client_secret=env["WORKDAY_CLIENT_SECRET"],
        refresh_token=env["WORKDAY_REFRESH_TOKEN"],
        store=MemoryTokenStore(),
        options=WorkdayOptions(page_size=page_size, min_interval=0.0),
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu_before = time.process_time()
    started = time.perf_counter()
    count = 0
    try:
        async for _application in client.applications(SCALE_REQUISITION_ID):
            count += 1
    finally:
        await client.aclose()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    return {
        "applications": count,
        "seconds": round(seconds, 3),
        "applications_per_s": round(count / seconds, 1),
        "client_cpu_seconds": round(cpu, 3),
        "parse_seconds": round(parse_seconds[0], 3),
        "parse_share_of_wall_time": round(parse_seconds[0] / seconds, 3),
        "parse_share_of_client_cpu": round(parse_seconds[0] / cpu, 3) if cpu else None,
        "peak_rss_mb_before": round(rss_before / 1024, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_size(size: int, page_size: int) -> dict[str, Any]:
    """One sandbox process with `size` candidates, one client process streaming them."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as state:
        sandbox = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "airecruiter",
                "sandbox",
                "serve",
                "--port",
                str(port),
                "--scale",
                str(size),
                "--state-dir",
                state,
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            env = _wait_for(url, sandbox)
            child = subprocess.run(
                [sys.executable, __file__, "--child", json.dumps(env), "--page-size", str(page_size)],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if child.returncode != 0:
                raise RuntimeError(f"the client process failed: {child.stderr[-3000:]}")
            return dict(json.loads(child.stdout))
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=30)


# --- the sync at latency ---------------------------------------------------------------------------


async def _sync_child(config: dict[str, Any]) -> dict[str, Any]:
    """Run the requisition list sync, then time the scale requisition's sync at the sandbox's latency."""
    import httpx
    import psutil
    from sqlalchemy import text

    from airecruiter.bootstrap import build
    from airecruiter.cli.common import configure_logging
    from airecruiter.config import load_settings
    from airecruiter.processors.registry import pipeline_processors
    from airecruiter.queue.jobs import Job

    configure_logging("console", "WARNING")
    settings = load_settings(**config["settings"])
    runtime = await build(settings, migrate=False)
    sandbox = config["sandbox_url"]
    try:
        ctx = runtime.pipeline
        assert ctx is not None
        # One sync to the end, however long: the time budget that pauses a sync under its job limit is off.
        sync = pipeline_processors(dataclasses.replace(ctx, sync_time_budget=None))["sync"]
        now = ctx.now()

        def job(requisition_id: int | None) -> Job:
            return Job(
                id=1, job_type="sync", application_id=None, requisition_id=requisition_id, priority=0,
                attempts=1, max_attempts=1, created_at=now, scheduled_for=now,
            )  # fmt: skip

        await sync(job(None))
        async with ctx.engine.connect() as conn:
            rid = await conn.scalar(
                text("SELECT id FROM requisitions WHERE external_id = :e"), {"e": SCALE_REQUISITION_ID}
            )
        async with httpx.AsyncClient() as http:
            (
                await http.patch(f"{sandbox}/_sandbox/chaos", json={"latency_ms": config["latency_ms"]})
            ).raise_for_status()
            (await http.request("DELETE", f"{sandbox}/_sandbox/calls", json={})).raise_for_status()
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            tenant = psutil.Process(config["sandbox_pid"])
            tenant_cpu = sum(tenant.cpu_times()[:2])
            started, cpu_started = time.perf_counter(), time.process_time()
            await sync(job(int(rid)))
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            tenant_cpu = sum(tenant.cpu_times()[:2]) - tenant_cpu
            rss_after = psutil.Process().memory_info().rss
            counters = (await http.get(f"{sandbox}/_sandbox/calls")).json()
        async with ctx.engine.connect() as conn:
            stored = await conn.scalar(
                text(
                    "SELECT count(*) FROM applications WHERE requisition_id = :r AND artifacts->>'resume' IS NOT NULL"
                ),
                {"r": rid},
            )
    finally:
        await runtime.aclose()
    return {
        "seconds": round(seconds, 2),
        "sync_process_cpu_seconds": round(cpu, 2),
        "sandbox_cpu_seconds": round(tenant_cpu, 2),  # rendering résumés; one core at most
        "applications_stored_with_resume": int(stored),
        "calls": int(counters["soap_requests"]),
        "calls_by_operation": counters["operations"],
        "peak_in_flight_at_tenant": counters.get("peak_in_flight"),
        "peak_rss_mb_before_sync": round(rss_before / 1024, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_mb_after_sync": round(rss_after / 1024 / 1024, 1),
    }


def _start_sandbox(port: int, applications: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "airecruiter", "sandbox", "serve", "--port", str(port),
         "--scale", str(applications), "--ephemeral"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


async def run_sync(
    server_url: str, applications: int, latency_ms: int, in_flight: int, interval: float
) -> dict[str, Any]:
    """A fresh database and sandbox; one timed sync at these client limits; its figures and ideal."""
    from benchmarks.bench_databases import create_database, drop_database
    from cryptography.fernet import Fernet

    url = await create_database(server_url)
    port = _free_port()
    sandbox_url = f"http://127.0.0.1:{port}"
    try:
        with tempfile.TemporaryDirectory(prefix="airecruiter-bench-") as tmp:
            sandbox = _start_sandbox(port, applications)
            try:
                env = _wait_for(sandbox_url, sandbox)
                config = {
                    "sandbox_url": sandbox_url,
                    "sandbox_pid": sandbox.pid,
                    "latency_ms": latency_ms,
                    "settings": {
                        **{k: v for k, v in env.items() if k.startswith("WORKDAY_")},
                        "DATABASE_URL": url,
                        "AIRECRUITER_DATA_DIR": tmp,
                        "AIRECRUITER_SECRET_KEY": Fernet.generate_key().decode(),
                        "WORKDAY_MAX_IN_FLIGHT": in_flight,
                        "WORKDAY_MIN_REQUEST_INTERVAL": interval,
                        "LLM_PROVIDER": "offline",
                        "MAIL_BACKEND": "outbox",
                        "STORAGE_BACKEND": "local",
                        "LOG_LEVEL": "WARNING",
                    },
                }
                child = await asyncio.to_thread(
                    subprocess.run,
                    [sys.executable, __file__, "--sync-child", json.dumps(config)],
                    cwd=ROOT, capture_output=True, text=True,
                )  # fmt: skip
                if child.returncode != 0:
                    raise RuntimeError(f"the sync process failed: {child.stderr[-3000:]}")
                result = dict(json.loads(child.stdout.strip().splitlines()[-1]))
            finally:
                sandbox.terminate()
                sandbox.wait(timeout=30)
    finally:
        await drop_database(server_url, url)
    calls, latency = result["calls"], latency_ms / 1000
    ideal = max(calls * latency / in_flight, calls * interval)
    return {
        "applications": applications,
        "latency_ms": latency_ms,
        "max_in_flight": in_flight,
        "min_interval_s": interval,
        **result,
        "ideal_seconds": round(ideal, 2),
        "ratio": round(ideal / result["seconds"], 3) if result["seconds"] else None,
    }


def main_sync(args: argparse.Namespace) -> None:
    """Every size at every limit pair, at the given latency; one JSON document."""
    server = args.database_url or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not server:
        raise SystemExit("--sync needs a PostgreSQL server: --database-url, BENCH_DATABASE_URL or TEST_DATABASE_URL")
    runs = []
    for size in (int(n) for n in str(args.applications).split(",") if n.strip()):
        for pair in args.limits.split(","):
            in_flight, _, interval = pair.partition(":")
            runs.append(asyncio.run(run_sync(server, size, args.latency_ms, int(in_flight), float(interval or 0))))
    rss = [run["peak_rss_mb"] for run in runs]
    report = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "runs": runs,
        "peak_rss_growth_mb_first_to_last": round(rss[-1] - rss[0], 1),
    }
    print(json.dumps(report, indent=2))


def main() -> None:
    """Parse the arguments; as the parent run every size, as a child stream once."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--sync", action="store_true", help="time the sync processor at latency instead")
    parser.add_argument("--applications", default="300", help="comma-separated sizes")
    parser.add_argument("--latency-ms", type=int, default=300)
    parser.add_argument("--limits", default="2:0.2,16:0.02", help="IN_FLIGHT:MIN_INTERVAL pairs")
    parser.add_argument("--database-url")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--sync-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(_stream(json.loads(args.child), args.page_size))))
        return
    if args.sync_child:
        print(json.dumps(asyncio.run(_sync_child(json.loads(args.sync_child)))))
        return
    if args.sync:
        main_sync(args)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results = {str(size): run_size(size, args.page_size) for size in sizes}
    rss = [results[str(s)]["peak_rss_mb"] for s in sizes]
    print(
        json.dumps(
            {
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
                "page_size": args.page_size,
                "sizes": results,
                "peak_rss_growth_mb_smallest_to_largest": round(rss[-1] - rss[0], 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
