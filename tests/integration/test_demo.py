"""`airecruiter demo` (what `make demo` runs) pushes its jobs through and shows the health JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.processes import ROOT

pytestmark = pytest.mark.slow


def test_the_demo_runs_every_job_retries_the_transient_failures_and_prints_health(
    db: AsyncEngine, database_url: str, tmp_path: Path,
) -> None:
    # `db` empties the database first: the health JSON counts every queue item, not just the demo's.
    env = {**os.environ, "DATABASE_URL": database_url, "HEARTBEAT_FILE": str(tmp_path / "heartbeat"),
           "COLUMNS": "120"}
    result = subprocess.run([sys.executable, "-m", "airecruiter", "demo"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "Enqueued 36 demonstration jobs" in out
    for job_type in ("demo_fetch", "demo_score", "demo_report"):
        last = [line for line in out.splitlines() if line.startswith(job_type)][-1]
        assert "12/12" in last, last
    assert "retried 2" in [line for line in out.splitlines() if line.startswith("demo_score")][-1]
    health = json.loads(out[out.index("{"):out.index("}\n", out.index('"workday_connected"')) + 1])
    assert health["queue"] == {"pending": 0, "running": 0, "failed": 0, "dead": 1}
    assert health["last_successful_job"] is not None
    assert "Dead letter: 1 item(s)" in out
    assert json.loads((tmp_path / "heartbeat").read_text())["status"] == "stopped"
