"""The benchmarks still run end to end (small smoke runs; speed is not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.integration.processes import ROOT


@pytest.mark.slow
def test_the_queue_benchmark_prints_every_figure_it_promises(server_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/queue.py", "--quick", "--database-url", server_url],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["errors"] == []
    assert set(report["worker_throughput"]) == {"1", "10", "50"}
    assert all(run["per_s"] > 0 for run in report["worker_throughput"].values())
    assert report["enqueue"]["single"]["per_s"] > 0 and report["enqueue"]["bulk"]["per_s"] > 0
    assert {"p50_ms", "p95_ms", "p99_ms"} <= set(report["latency"])
    assert {"worker_c10_over_single_claim_c10", "worker_c50_over_batch100_c50", "latency_p50_ms",
            "latency_p99_ms"} <= set(report["ratios"])


@pytest.mark.slow
def test_the_documents_benchmark_prints_extraction_and_rendering_figures() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/documents.py", "--runs", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert {"pdf_one_column_2_pages", "pdf_two_columns", "docx_with_text_box_and_table"} <= set(report["extraction"])
    assert {"full_report", "analysis_only"} <= set(report["rendering"])
    assert set(report["targets"]) == {"two_page_resume_p50_ms", "report_p50_ms"}


@pytest.mark.slow
def test_the_workday_sync_benchmark_streams_every_application_and_reports_memory_and_parsing() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/workday_sync.py", "--sizes", "30,120", "--page-size", "25"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert {size: run["applications"] for size, run in report["sizes"].items()} == {"30": 30, "120": 120}
    for run in report["sizes"].values():
        assert run["peak_rss_mb"] > 0 and 0 < run["parse_share_of_wall_time"] < 1
    assert "peak_rss_growth_mb_smallest_to_largest" in report
