"""The short chaos soak (fixed seed): each fault kind happened, and every invariant held.

Speeds are the benchmark's business, not this test's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.processes import ROOT

pytestmark = pytest.mark.slow


def test_the_short_chaos_soak_keeps_every_invariant(tmp_path: Path) -> None:
    report_file = tmp_path / "soak.json"
    run = subprocess.run(
        [sys.executable, "benchmarks/soak.py", "--short", "--seed", "1", "--report-json", str(report_file)],
        cwd=ROOT,
        capture_output=True,
        timeout=600,
    )
    assert report_file.exists(), run.stderr.decode(errors="replace")[-4000:]
    report = json.loads(report_file.read_text())
    for name, phase in report["phases"].items():
        broken = {k: phase["details"] for k, v in phase["invariants"].items() if not v}
        assert not broken, f"{name}: {broken}"
        assert set(phase["exit_codes"].values()) == {0}, f"{name}: {phase['exit_codes']}"
        assert all(d["last_error"].startswith("ParseError:") for d in phase["dead_letter"]), phase["dead_letter"]
    chaos = report["phases"]["chaos"]
    done = {event["action"] for event in chaos["events"]}
    assert {"workday_chaos_on", "workday_chaos_off", "kill_worker_1", "db_restart_immediate"} <= done, done
    assert chaos["sigkills"] == {"worker-1": 1}
    assert {kind.split(":")[1] for kind in chaos["llm"]["counts"]} >= {"500", "429", "slow"}, chaos["llm"]
    assert report["ok"]
    assert run.returncode == 0
