"""`airecruiter candidates export`: the operator's answer to an access request.

Run as the operator would, as a process, over local storage and over S3 (moto, versioned bucket).
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from aiobotocore.session import get_session
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.adapters.storage.local import LocalStorage
from airecruiter.adapters.storage.s3 import S3Storage
from airecruiter.ports.storage import Storage
from tests.integration.application_fixtures import REPORT_BYTES, RESUME_BYTES, seed_application
from tests.integration.aws_fakes import CREDENTIALS, REGION, moto_endpoint, s3_bucket, s3_storage
from tests.integration.processes import ROOT

__all__ = ["moto_endpoint", "s3_bucket", "s3_storage"]  # fixtures used by name


# Becomes ("candidates", "export") when the integrator attaches `export` to the `candidates` group.
COMMAND = ("candidates", "export")


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "airecruiter", *COMMAND, *args],
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200", "LOG_LEVEL": "WARNING", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


async def _seed(db: AsyncEngine, storage: Storage) -> tuple[str, int]:
    seeded = await seed_application(db, name="Cli Candidate", status="complete", storage=storage)  # type: ignore[arg-type]
    async with db.connect() as conn:
        candidate = await conn.scalar(
            text("SELECT external_candidate_id FROM applications WHERE id = :id"), {"id": seeded.application_id}
        )
    return str(candidate), seeded.application_id


def _check_archive(path: Path, application_id: int) -> dict[str, Any]:
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # personal data: the operator's eyes only
    archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    names = archive.namelist()
    assert [row["id"] for row in json.loads(archive.read("records/applications.json"))] == [application_id]
    assert archive.read(next(n for n in names if "/resume/" in n)) == RESUME_BYTES
    assert archive.read(next(n for n in names if "/reports/" in n)) == REPORT_BYTES
    manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    return manifest


async def test_export_writes_the_zip_over_local_storage_and_registers_the_request(
    db: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    candidate, application_id = await _seed(db, LocalStorage(data_dir / "artifacts"))
    output = tmp_path / "export.zip"
    env = {"DATABASE_URL": database_url, "AIRECRUITER_DATA_DIR": str(data_dir)}

    made = _cli(env, "--candidate", candidate, "--output", str(output))

    assert made.returncode == 0, made.stderr
    assert "1 application(s)" in made.stdout and "2 file(s)" in made.stdout and "access request" in made.stdout
    assert _check_archive(output, application_id)["missing_files"] == []
    async with db.connect() as conn:
        row = (await conn.execute(text("SELECT kind, status, handled_by FROM candidate_requests"))).one()
    assert tuple(row) == ("access", "done", "cli")

    again = _cli(env, "--candidate", candidate, "--output", str(output))
    assert again.returncode == 2 and "exists already" in again.stderr  # never overwrites an earlier export


async def test_export_reads_the_files_from_a_versioned_s3_bucket(
    db: AsyncEngine, database_url: str, tmp_path: Path, moto_endpoint: str, s3_bucket: str, s3_storage: S3Storage
) -> None:
    async with get_session().create_client("s3", region_name=REGION, endpoint_url=moto_endpoint, **CREDENTIALS) as s3:
        await s3.put_bucket_versioning(Bucket=s3_bucket, VersioningConfiguration={"Status": "Enabled"})
    candidate, application_id = await _seed(db, s3_storage)
    output = tmp_path / "export.zip"
    env = {
        "DATABASE_URL": database_url,
        "AIRECRUITER_DATA_DIR": str(tmp_path / "data"),
        "S3_BUCKET": s3_bucket,
        "S3_ENDPOINT_URL": moto_endpoint,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
    }

    made = _cli(env, "--candidate", candidate, "--output", str(output))

    assert made.returncode == 0, made.stderr
    _check_archive(output, application_id)


async def test_an_unknown_candidate_is_a_sentence_and_exit_1(
    db: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": database_url, "AIRECRUITER_DATA_DIR": str(tmp_path / "data")}

    made = _cli(env, "--candidate", "C-NOBODY", "--output", str(tmp_path / "none.zip"))

    assert made.returncode == 1 and "No application of that Workday candidate" in made.stderr
    assert not (tmp_path / "none.zip").exists()
