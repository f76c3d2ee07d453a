"""Documents benchmark: résumés extracted and reports rendered per second, printed as JSON.

Run from the repository root: `.venv/bin/python benchmarks/documents.py [--runs N]`.
Targets (issue 4): a two-page résumé extracts in under 60 ms, a report renders in under 100 ms.
Every report differs (a counter in the name), since Typst caches identical documents.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this folder comes first on sys.path, and benchmarks/queue.py would shadow the
# standard library's `queue` (multiprocessing needs it). The repository root goes there instead:
# the test fixture builders make the sample documents.
sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

from tests.integration import resume_fixtures as resumes  # noqa: E402
from tests.integration.report_fixtures import report, transcript  # noqa: E402

from airecruiter.adapters.documents.reader import ResumeReader  # noqa: E402
from airecruiter.adapters.documents.report import TypstReportRenderer  # noqa: E402


def measure(work: Callable[[int], object], runs: int, warmup: int = 3) -> dict[str, float]:
    """Median, p95 and rate of `work(i)` over `runs` calls after a warm-up."""
    for i in range(warmup):
        work(-1 - i)
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        work(i)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    median = statistics.median(samples)
    return {
        "runs": runs,
        "p50_ms": round(median, 2),
        "p95_ms": round(samples[int(0.95 * (runs - 1))], 2),
        "max_ms": round(samples[-1], 2),
        "per_s": round(1000 / median, 1),
    }


def extraction(runs: int) -> dict[str, Any]:
    """Extraction of each kind of résumé the pipeline meets."""
    reader = ResumeReader()
    documents = {
        "pdf_one_column_2_pages": (resumes.one_column_pdf(pages=2), "cv.pdf"),
        "pdf_two_columns": (resumes.two_column_pdf(), "cv.pdf"),
        "pdf_two_columns_interleaved": (resumes.interleaved_two_column_pdf(), "cv.pdf"),
        "pdf_with_hidden_white_text": (resumes.white_text_pdf(), "cv.pdf"),
        "docx_with_text_box_and_table": (resumes.resume_docx(hidden=True), "cv.docx"),
    }
    return {
        name: measure(lambda _i, d=data, f=filename: reader.extract_sync(d, f), runs)
        for name, (data, filename) in documents.items()
    }


def rendering(runs: int) -> dict[str, Any]:
    """Reports of the three shapes the pipeline produces."""
    renderer = TypstReportRenderer()
    shapes = {
        "full_report": {},
        "analysis_only": {"evaluation": None, "transcript": ()},
        "long_transcript_60_messages": {"transcript": transcript(60)},
    }
    results = {}
    for name, changes in shapes.items():

        def render(i: int, changes: dict[str, Any] = changes) -> bytes:
            return renderer.render_sync(report(candidate_name=f"Candidate {i} Ørsted", **changes))

        results[name] = measure(render, runs)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="measured runs per case (default 40)")
    args = parser.parse_args()
    extracted, rendered = extraction(args.runs), rendering(args.runs)
    two_page = extracted["pdf_one_column_2_pages"]["p50_ms"]
    report_p50 = rendered["full_report"]["p50_ms"]
    print(
        json.dumps(
            {
                "benchmark": "airecruiter.documents",
                "machine": {
                    "cpu_count": os.cpu_count(),
                    "python": platform.python_version(),
                    "load_average": [round(x, 2) for x in os.getloadavg()],
                },
                "extraction": extracted,
                "rendering": rendered,
                "targets": {
                    "two_page_resume_p50_ms": {"value": two_page, "target": "< 60", "met": two_page < 60},
                    "report_p50_ms": {"value": report_p50, "target": "< 100", "met": report_p50 < 100},
                },
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
