"""Redaction benchmark: milliseconds per KB of résumé text, ordinary and hostile, printed as JSON.

Run from the repository root: `.venv/bin/python benchmarks/redaction.py [--runs N]`.
The hardening issue: a 99 KB text once took 218 s on the event loop; redaction is now a bounded
number of scans (linear in the length) and runs in a worker process under a time limit. The
figures here are per KB, so a doubling series shows whether the work stays linear.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # benchmarks/queue.py would shadow the standard library's `queue`

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

from airecruiter.adapters.redactor import IsolatedRedactor  # noqa: E402
from airecruiter.domain.redaction import redact  # noqa: E402

NAME = "Jane Marie Doe"
ORDINARY = (
    "Jane Marie Doe\nSenior Data Engineer | jane.doe@example.org | +44 20 7946 0958 | linkedin.com/in/janedoe\n"
    "12 Baker Street, London NW1 6XE\n\nExperience\nAcme Logistics, London — Data Engineer, 2019–2024\n"
    "• Built the streaming platform (Kafka, Flink) that moved 2 TB a day; cut costs by 30 %.\n"
    "• Led a team of four; Jane's pipelines served 40 analysts. Contact: j.doe@acme.example\n"
    "Education: MSc Computer Science, University of Leeds, 2017\nDate of birth: 12.05.1990 | Nationality: British\n"
)
HOSTILE: dict[str, Callable[[int], str]] = {
    "stalling_resume": lambda kb: "a.github.io" * 60 + "\n" + "| address: a " * (kb * 1024 // 13),
    "labelled_fields": lambda kb: "| phone: 0176 1234567 | email: a@b.example " * (kb * 1024 // 44),
    "name_tokens": lambda kb: "Jane Doe-Marie de la Doe " * (kb * 1024 // 25),
    "one_long_line": lambda kb: "x" * (kb * 1024),
}


def sized(kind: str, kb: int) -> str:
    """`kind`'s text at about `kb` KB."""
    if kind == "ordinary":
        return (ORDINARY * (kb * 1024 // len(ORDINARY) + 1))[: kb * 1024]
    return HOSTILE[kind](kb)


def per_kb(text: str, runs: int) -> dict[str, float]:
    """Median milliseconds of one in-process redaction, and per KB."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = redact(text, candidate_name=NAME)
        samples.append((time.perf_counter() - started) * 1000)
    p50 = statistics.median(samples)
    return {"p50_ms": round(p50, 2), "ms_per_kb": round(p50 / (len(text) / 1024), 3), "passes": result.passes}


async def through_worker(text: str, runs: int) -> float:
    """Median milliseconds of a redaction through the worker process (IPC included)."""
    redactor = IsolatedRedactor()
    try:
        await redactor.redact("warm up", candidate_name=NAME)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            await redactor.redact(text, candidate_name=NAME)
            samples.append((time.perf_counter() - started) * 1000)
        return round(statistics.median(samples), 2)
    finally:
        await redactor.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="10,25,50,100", help="KB, comma-separated (a doubling series)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = ["ordinary", *HOSTILE]
    series = {kind: {f"{kb}kb": per_kb(sized(kind, kb), args.runs) for kb in sizes} for kind in kinds}
    largest = f"{sizes[-1]}kb"
    report = {
        "python": platform.python_version(),
        "in_process": series,
        "worker_p50_ms": {
            kind: asyncio.run(through_worker(sized(kind, sizes[-1]), args.runs))
            for kind in ("ordinary", "stalling_resume")
        },
        "largest_over_smallest_ms_per_kb": {
            kind: round(series[kind][largest]["ms_per_kb"] / max(series[kind][f"{sizes[0]}kb"]["ms_per_kb"], 1e-9), 2)
            for kind in kinds
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
