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
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["errors"] == []
    assert set(report["worker_throughput"]) == {"1", "10", "50"}
    assert all(run["per_s"] > 0 for run in report["worker_throughput"].values())
    assert report["enqueue"]["single"]["per_s"] > 0 and report["enqueue"]["bulk"]["per_s"] > 0
    assert {"p50_ms", "p95_ms", "p99_ms"} <= set(report["latency"])
    assert {
        "worker_c10_over_single_claim_c10",
        "worker_c50_over_batch100_c50",
        "latency_p50_ms",
        "latency_p99_ms",
    } <= set(report["ratios"])


@pytest.mark.slow
def test_the_worker_recovery_benchmark_times_a_killed_workers_items_moving_to_another(server_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/worker_recovery.py", "--quick", "--database-url", server_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    [round_] = report["liveness"]["rounds"]
    assert 0 < round_["first_s"] <= round_["all_s"]
    assert {"all_started_p50_s", "all_started_max_s"} <= set(report["liveness"])
    assert report["goal_seconds"] == 2.0 and isinstance(report["goal_met"], bool)


@pytest.mark.slow
def test_the_documents_benchmark_prints_extraction_and_rendering_figures() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/documents.py", "--runs", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert {"pdf_one_column_2_pages", "pdf_two_columns", "docx_with_text_box_and_table"} <= set(report["extraction"])
    assert {"full_report", "analysis_only"} <= set(report["rendering"])
    assert set(report["targets"]) == {
        "two_page_resume_p50_ms",
        "report_p50_ms",
        "slowest_pdf_kind_p50_ms",
        "doubling_time_ratio",
        "reference_set_pool_p95_ms",
    }


@pytest.mark.slow
def test_the_redaction_benchmark_prints_time_per_kb_for_ordinary_and_hostile_text() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/redaction.py", "--runs", "1", "--sizes", "2,4"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert {"ordinary", "stalling_resume"} <= set(report["in_process"])
    assert all(run["passes"] <= 3 for kind in report["in_process"].values() for run in kind.values())
    assert set(report["worker_p50_ms"]) == {"ordinary", "stalling_resume"}


@pytest.mark.slow
def test_the_workday_sync_benchmark_streams_every_application_and_reports_memory_and_parsing() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/workday_sync.py", "--sizes", "30,120", "--page-size", "25"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert {size: run["applications"] for size, run in report["sizes"].items()} == {"30": 30, "120": 120}
    for run in report["sizes"].values():
        assert run["peak_rss_mb"] > 0 and 0 < run["parse_share_of_wall_time"] < 1
    assert "peak_rss_growth_mb_smallest_to_largest" in report


@pytest.mark.slow
def test_the_workday_sync_benchmark_syncs_at_latency_and_reports_calls_and_the_ideal(server_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/workday_sync.py", "--sync", "--applications", "12",
         "--latency-ms", "20", "--limits", "2:0.01", "--database-url", server_url],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    (run,) = json.loads(result.stdout)["runs"]
    assert run["applications_stored_with_resume"] == 12
    assert run["calls"] >= 12 + 1  # one résumé read each, and at least one page
    assert run["ideal_seconds"] > 0 and run["ratio"] > 0
    assert run["peak_in_flight_at_tenant"] <= 2


@pytest.mark.slow
def test_the_pipeline_benchmark_takes_every_application_to_complete_and_prints_its_figures(server_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/pipeline.py", "--quick", "--database-url", server_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    [run] = report["concurrency"].values()
    assert run["settled"] and (run["completed"], run["dead"]) == (run["applications"], 0)
    assert run["interviews"] == {"completed": run["applications"]}
    assert run["applications_per_min"] > 0
    for step in ("analyze", "send_interview", "evaluate", "generate_report", "upload_report"):
        assert run["stages"][step]["count"] == run["applications"]
        assert {"p50_ms", "p95_ms", "total_s"} <= set(run["stages"][step])
    by_step = run["ideal"]["llm_calls_per_application_by_step"]
    assert (by_step["analyze_resume"], by_step["evaluate_interview"]) == (1.0, 1.0) and by_step["interview_turn"] > 1
    assert run["ideal"]["ratio"] > 0 and run["ideal"]["applications_per_min"] > 0
    assert run["cpu"]["service_process_seconds_per_application"] > 0


@pytest.mark.slow
def test_the_web_pages_benchmark_times_every_console_and_interview_page(server_url: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "benchmarks/web_pages.py",
            "--applications",
            "400",
            "--requests",
            "3",
            "--database-url",
            server_url,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["all_ok"], {name: page.get("status") for name, page in report["pages"].items()}
    assert {
        "dashboard",
        "applications_by_risk",
        "application",
        "dead_letter",
        "prompt",
        "activity",
        "interview",
    } <= set(report["pages"])
    assert all(page["p95_ms"] > 0 for page in report["pages"].values())
