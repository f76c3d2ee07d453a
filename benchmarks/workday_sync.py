"""Workday sync benchmark: stream a large requisition from the sandbox tenant into typed records.

Run from the repository root: `.venv/bin/python benchmarks/workday_sync.py [--sizes 1000,10000]`.
For each size a sandbox tenant with that many candidates serves in its own process
(`airecruiter sandbox serve --scale N`), and a fresh client process streams every application of
the scale requisition with pages of 100, so each size's peak RSS is that client's alone.
Targets (issue 3): the client's peak RSS does not grow with the requisition's size, and parsing
is not the bottleneck (the share of the client's time spent parsing XML is reported).
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


def main() -> None:
    """Parse the arguments; as the parent run every size, as a child stream once."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(_stream(json.loads(args.child), args.page_size))))
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
