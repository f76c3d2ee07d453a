"""`airecruiter candidates erase | receipt | hold | release | holds`: erasure on request, over real peers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.sandbox import seed
from tests.integration.erasure_fixtures import SECRET_KEY, files_under, scalar, with_stores
from tests.integration.pipeline_fixtures import Pipeline, analyzed, application, requisition_id, rows, synced
from tests.integration.processes import ROOT

CANDIDATE = seed.TWO_APPLICATIONS_CANDIDATE_ID  # C000108: one application to each of two requisitions
FIRST, SECOND = seed.TWO_APPLICATIONS_APPLICATION_IDS


def run_cli(
    database_url: str, data_dir: Path, *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`airecruiter candidates ARGS` in a subprocess, over the test database and `data_dir`."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "AIRECRUITER_DATA_DIR": str(data_dir),
        "AIRECRUITER_SECRET_KEY": SECRET_KEY,
        "COLUMNS": "200",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("S3_BUCKET", "SES_FROM_EMAIL", "SMTP_HOST", "MAIL_BACKEND", "STORAGE_BACKEND"):
        env.pop(name, None)
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "airecruiter", "candidates", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def _two_applications_one_invited(pipeline: Pipeline) -> tuple[int, int]:
    first = await analyzed(pipeline, seed.DATA_ANALYST_REQUISITION_ID, FIRST)
    await pipeline.run("send_interview", application_id=first)
    await synced(pipeline, seed.BACKEND_REQUISITION_ID)
    second = (await application(pipeline.db, SECOND)).id
    return first, second


async def test_erase_removes_every_application_of_the_candidate_and_writes_a_receipt(
    pipeline: Pipeline, database_url: str, tmp_path: Path
) -> None:
    first, second = await _two_applications_one_invited(with_stores(pipeline))
    assert pipeline.emails() and files_under(tmp_path / "artifacts")

    erased = run_cli(database_url, tmp_path, "erase", "--candidate", CANDIDATE, "--reason", "Asked by email, ticket 42")

    assert erased.returncode == 0, erased.stderr
    assert "Erased 2 application(s)" in erased.stdout
    assert await scalar(pipeline.db, "SELECT count(*) FROM applications WHERE id = ANY(:i)", i=[first, second]) == 0
    assert not [p for p in files_under(tmp_path / "artifacts") if f"/{first}/" in str(p) or f"/{second}/" in str(p)]
    assert pipeline.emails() == []  # the invitation's .eml went with it
    outcomes = await rows(
        pipeline.db, "SELECT sex, race_ethnicity FROM outcomes WHERE application_id = ANY(:i)", i=[first, second]
    )
    assert len(outcomes) == 2 and {(o.sex, o.race_ethnicity) for o in outcomes} == {("unknown", "unknown")}
    assert await scalar(pipeline.db, "SELECT count(*) FROM tombstones WHERE reason = 'erasure'") == 2
    [request] = await rows(pipeline.db, "SELECT * FROM candidate_requests WHERE kind = 'erasure'")
    assert request.status == "done" and request.handled_by == "cli" and request.request_text is None

    [receipt_json] = files_under(tmp_path / "receipts")[:1]
    receipt = json.loads(receipt_json.read_text())
    assert receipt["reason"] == "Asked by email, ticket 42" and receipt["erased_by"] == "cli"
    assert receipt["contents"]["applications"] == 2
    assert receipt["contents"]["outbox_emails"] == 1 and receipt["contents"]["storage_objects"] >= 2
    assert receipt["contents"]["rows"]["email_outbox"] == 1
    assert receipt_json.with_suffix(".pdf").read_bytes().startswith(b"%PDF")

    again = run_cli(database_url, tmp_path, "receipt", str(receipt["id"]), "--out", str(tmp_path / "later"))
    assert again.returncode == 0, again.stderr
    assert json.loads((tmp_path / "later" / receipt_json.name).read_text())["contents"] == receipt["contents"]


async def test_a_legal_hold_refuses_the_erasure_until_it_is_lifted(
    pipeline: Pipeline, db: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    first, second = await _two_applications_one_invited(with_stores(pipeline))
    held_requisition = await requisition_id(db, seed.BACKEND_REQUISITION_ID)
    placed = run_cli(
        database_url, tmp_path, "hold", "--requisition", str(held_requisition), "--reason", "Litigation 2026-17"
    )
    assert placed.returncode == 0, placed.stderr
    listed = run_cli(database_url, tmp_path, "holds")
    assert "Litigation 2026-17" in listed.stdout

    refused = run_cli(database_url, tmp_path, "erase", "--candidate", CANDIDATE, "--reason", "Asked by phone")

    assert refused.returncode == 3
    assert "legal hold" in refused.stderr and "Litigation 2026-17" in refused.stderr
    assert await scalar(db, "SELECT count(*) FROM applications WHERE id = ANY(:i)", i=[first, second]) == 2
    [request] = await rows(db, "SELECT * FROM candidate_requests WHERE kind = 'erasure'")
    assert request.status == "on_hold"

    hold_id = await scalar(db, "SELECT id FROM legal_holds")
    released = run_cli(database_url, tmp_path, "release", str(hold_id))

    assert released.returncode == 0, released.stderr
    assert "1 waiting erasure(s) ran" in released.stdout
    assert await scalar(db, "SELECT count(*) FROM applications WHERE id = ANY(:i)", i=[first, second]) == 0
    [request] = await rows(db, "SELECT * FROM candidate_requests WHERE kind = 'erasure'")
    assert request.status == "done" and request.request_text is None
    [receipt] = await rows(db, "SELECT * FROM erasure_receipts")
    assert receipt.reason == "Asked by phone" and receipt.request_id == request.id


async def test_erasing_an_unknown_candidate_says_so(db: AsyncEngine, database_url: str, tmp_path: Path) -> None:
    result = run_cli(database_url, tmp_path, "erase", "--candidate", "C999999", "--reason", "Asked")
    assert result.returncode == 1
    assert "No application of that candidate is held here" in result.stderr
