"""`airecruiter demo` (what `make demo` runs): the whole pipeline on embedded defaults, twice."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from airecruiter.db.engine import driver_dsn
from airecruiter.sandbox import seed
from tests.integration.processes import ROOT

pytestmark = pytest.mark.slow


def _run_demo(database_url: str, data_dir: Path) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "AIRECRUITER_DATA_DIR": str(data_dir),
        "HEARTBEAT_FILE": str(data_dir / "heartbeat"),
        "COLUMNS": "200",
    }
    result = subprocess.run(
        [sys.executable, "-m", "airecruiter", "demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def _uploads(data_dir: Path) -> list[str]:
    journal = data_dir / "sandbox" / "journal.jsonl"
    events = [json.loads(line) for line in journal.read_text().splitlines() if line.strip()]
    return [e["filename"] for e in events if e.get("event") == "attachment"]


@pytest.fixture
async def empty_database(server_url: str) -> AsyncIterator[str]:
    """A database with no schema at all: the demo sets it up itself."""
    name = f"airecruiter_demo_{os.getpid()}_{secrets.token_hex(3)}"
    admin = await asyncpg.connect(driver_dsn(server_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    admin = await asyncpg.connect(driver_dsn(server_url))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def test_the_demo_takes_every_application_through_the_pipeline_and_a_second_run_changes_nothing(
    empty_database: str,
    tmp_path: Path,
) -> None:
    database_url = empty_database
    out = _run_demo(database_url, tmp_path)
    seeded = [a for a in seed.seeded_applications() if a.requisition_id in seed.OPEN_REQUISITION_IDS]
    rows = [line for line in out.splitlines() if " R-001" in line]
    assert len(rows) == len(seeded)
    # One candidate asks for a person through the candidate pages; one résumé has no text (dead letter).
    assert sum(" complete " in row for row in rows) == len(seeded) - 2
    assert sum(" human_review " in row for row in rows) == 1
    assert "CandidateReport_" in out
    dead = [line for line in out.splitlines() if line.startswith("Dead letter")]
    assert len(dead) == 1 and seed.IMAGE_ONLY_APPLICATION_ID in dead[0] and "no extractable text" in dead[0]
    health = json.loads(out[out.index("{", out.index("/health/processor")) :].split("\n}")[0] + "\n}")
    assert health["workday_connected"] is True and health["queue"]["dead"] == 1
    emails = sorted((tmp_path / "outbox").glob("*.eml"))
    uploads = _uploads(tmp_path)
    # The demo ends by erasing one candidate who went the whole way: their invitation goes, Workday keeps the upload.
    # The candidate who chose a person gets no report; they and their recruiter get one email each about it.
    assert len(emails) == len(seeded) - 2 + 2 and len(uploads) == len(seeded) - 2
    receipt = out.split("Erasure receipt ")[1].split()
    assert Path(receipt[1]).is_file() and Path(receipt[3]).read_bytes().startswith(b"%PDF")
    assert len(set(uploads)) == len(uploads)
    first_password = _console_password(out)
    # It ends with the bias audit of its data and the draft summary for the auditor.
    audit_line = next(line for line in out.splitlines() if line.startswith("Bias audit "))
    # Assessed: all but the scanned résumé and the one who asked for a person (the erased one stays, de-identified).
    assert f"{len(seeded) - 2} assessed" in audit_line and "1 asked for a person" in audit_line
    assert "AI recommendation" in out
    assert (tmp_path / "audit" / "bias-audit-summary.pdf").read_bytes().startswith(b"%PDF")

    again = _run_demo(database_url, tmp_path)
    assert sorted((tmp_path / "outbox").glob("*.eml")) == emails  # no second invitation
    assert _uploads(tmp_path) == uploads  # no second upload
    # The erased candidate is gone from the second table; the one assessed by a person stays so.
    assert sum(" complete " in line for line in again.splitlines() if " R-001" in line) == len(seeded) - 3
    assert sum(" human_review " in line for line in again.splitlines() if " R-001" in line) == 1
    assert f"Erasure receipt {receipt[0]}" in again  # the same receipt; nothing erased twice
    assert _console_password(again) != first_password  # a new one-time password each run


def _console_password(out: str) -> str:
    """The demo signed in to its console with the password it printed (it says so with → 200)."""
    line = next(line for line in out.splitlines() if line.startswith("Admin console"))
    assert "/admin → 200" in line and "user admin" in line
    return line.split("one-time password ")[1].split()[0]
