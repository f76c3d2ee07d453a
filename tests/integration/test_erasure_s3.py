"""Deletion in a versioned S3 bucket (moto's server): every version and delete marker goes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiobotocore.session import get_session
from sqlalchemy import text

from airecruiter.adapters.storage.s3 import S3Storage
from airecruiter.ports.storage import report_key, resume_key
from airecruiter.sandbox import seed
from airecruiter.services.data_deletion import DeletionStores
from airecruiter.services.erasure import erase_candidate
from tests.integration.aws_fakes import CREDENTIALS, REGION, moto_endpoint
from tests.integration.erasure_fixtures import SECRET_KEY, scalar
from tests.integration.pipeline_fixtures import Pipeline, analyzed, application
from tests.integration.test_erasure_cli import run_cli

__all__ = ["moto_endpoint"]  # fixture used by name


@pytest.fixture
async def versioned_bucket(moto_endpoint: str) -> str:
    """A new bucket with versioning switched on."""
    name = f"airecruiter-versioned-{uuid.uuid4().hex[:12]}"
    async with get_session().create_client("s3", region_name=REGION, endpoint_url=moto_endpoint, **CREDENTIALS) as s3:
        await s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        await s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


@pytest.fixture
async def versioned_storage(moto_endpoint: str, versioned_bucket: str) -> AsyncIterator[S3Storage]:
    """An S3Storage over the versioned bucket."""
    async with S3Storage(bucket=versioned_bucket, region=REGION, endpoint_url=moto_endpoint, **CREDENTIALS) as storage:
        yield storage


async def _every_version(endpoint: str, bucket: str) -> list[dict[str, Any]]:
    async with get_session().create_client("s3", region_name=REGION, endpoint_url=endpoint, **CREDENTIALS) as s3:
        listed = await s3.list_object_versions(Bucket=bucket)
    return [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]


async def test_delete_removes_every_version_of_the_key_and_no_other_key(
    versioned_storage: S3Storage, moto_endpoint: str, versioned_bucket: str
) -> None:
    key, neighbour = report_key(1, "report"), report_key(1, "report-2")
    for body in (b"first", b"second", b"third"):
        await versioned_storage.put(key, body, content_type="application/pdf")
    await versioned_storage.put(neighbour, b"other", content_type="application/pdf")

    await versioned_storage.delete(key)

    left = await _every_version(moto_endpoint, versioned_bucket)
    assert {v["Key"] for v in left} == {neighbour}
    assert not await versioned_storage.exists(key)
    await versioned_storage.delete(key)  # deleting again is fine


async def test_erasure_leaves_no_version_of_the_candidates_files_in_a_versioned_bucket(
    pipeline: Pipeline, versioned_storage: S3Storage, moto_endpoint: str, versioned_bucket: str
) -> None:
    on_s3 = pipeline.with_context(storage=versioned_storage)
    app_id = await analyzed(on_s3, seed.DATA_ANALYST_REQUISITION_ID, "JA-000109")
    await on_s3.run("generate_report", application_id=app_id)
    assert (await application(pipeline.db, "JA-000109")).artifacts.resume is not None
    await versioned_storage.put(resume_key(app_id, "old-copy.pdf"), b"never named", content_type="application/pdf")
    assert [v for v in await _every_version(moto_endpoint, versioned_bucket) if f"/{app_id}/" in v["Key"]]

    outcome = await erase_candidate(
        pipeline.db,
        DeletionStores(storage=versioned_storage, secret_key=SECRET_KEY),
        external_candidate_id="C000109",
        reason="Candidate's request",
        actor="admin",
    )

    assert outcome.status == "done"
    assert [v for v in await _every_version(moto_endpoint, versioned_bucket) if f"/{app_id}/" in v["Key"]] == []
    assert await scalar(pipeline.db, "SELECT count(*) FROM applications WHERE id = :a", a=app_id) == 0


async def test_erase_through_the_cli_on_s3_leaves_no_version(
    pipeline: Pipeline,
    versioned_storage: S3Storage,
    moto_endpoint: str,
    versioned_bucket: str,
    tmp_path: Path,
    database_url: str,
) -> None:
    on_s3 = pipeline.with_context(storage=versioned_storage)
    app_id = await analyzed(on_s3, seed.DATA_ANALYST_REQUISITION_ID, "JA-000109")
    await on_s3.run("generate_report", application_id=app_id)
    await on_s3.run("generate_report", application_id=app_id)  # a second version of the same report key
    s3_env = {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": versioned_bucket,
        "S3_ENDPOINT_URL": moto_endpoint,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
    }

    erased = run_cli(
        database_url,
        tmp_path,
        "erase",
        "--candidate",
        "C000109",
        "--reason",
        "Asked",
        extra_env=s3_env,
    )

    assert erased.returncode == 0, erased.stderr
    assert [v for v in await _every_version(moto_endpoint, versioned_bucket) if f"/{app_id}/" in v["Key"]] == []


async def test_retention_leaves_no_version_of_a_due_applications_files_in_a_versioned_bucket(
    pipeline: Pipeline, versioned_storage: S3Storage, moto_endpoint: str, versioned_bucket: str
) -> None:
    on_s3 = pipeline.with_context(
        storage=versioned_storage, deletion=DeletionStores(storage=versioned_storage, secret_key=SECRET_KEY)
    )
    due = await analyzed(on_s3, seed.DATA_ANALYST_REQUISITION_ID, "JA-000109")
    await on_s3.run("generate_report", application_id=due)
    await on_s3.run("generate_report", application_id=due)  # a second version of the same report key
    kept = (await application(pipeline.db, "JA-000110")).id
    await versioned_storage.put(resume_key(kept, "kept.pdf"), b"recent", content_type="application/pdf")
    async with pipeline.db.begin() as conn:  # its last activity 800 days ago: past RETENTION_DAYS (730)
        await conn.execute(
            text(
                "UPDATE applications SET updated_at = now() - interval '800 days',"
                " workday_status_changed = now() - interval '800 days' WHERE id = :a"
            ),
            {"a": due},
        )

    await on_s3.run("retention")

    left = await _every_version(moto_endpoint, versioned_bucket)
    assert [v for v in left if f"/{due}/" in v["Key"]] == []
    assert [v for v in left if f"/{kept}/" in v["Key"]]  # not due: untouched
    assert await scalar(pipeline.db, "SELECT count(*) FROM applications WHERE id = :a", a=due) == 0
