"""S3Storage specifics against moto's server: encryption, content types, and failures classified."""

from __future__ import annotations

import pytest

from airecruiter.adapters.storage.s3 import S3Storage
from airecruiter.errors import ConfigurationError, StorageError, TransientError
from airecruiter.ports.storage import report_key, resume_key
from tests.integration.aws_fakes import CREDENTIALS, REGION, head_object, moto_endpoint, s3_bucket, s3_storage
from tests.integration.processes import free_port

__all__ = ["moto_endpoint", "s3_bucket", "s3_storage"]  # fixtures used by name

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def test_objects_are_encrypted_at_rest_and_carry_their_content_type(
    s3_storage: S3Storage, moto_endpoint: str, s3_bucket: str
) -> None:
    await s3_storage.put(resume_key(1, "cv.docx"), b"PK\x03\x04docx", content_type=DOCX)
    await s3_storage.put(report_key(1, "report"), b"%PDF-1.7", content_type="application/pdf")
    resume = await head_object(moto_endpoint, s3_bucket, "applications/1/resume/cv.docx")
    report = await head_object(moto_endpoint, s3_bucket, "applications/1/reports/report.pdf")
    assert resume["ServerSideEncryption"] == "AES256"
    assert resume["ContentType"] == DOCX
    assert report["ServerSideEncryption"] == "AES256"
    assert report["ContentType"] == "application/pdf"
    assert report["ContentLength"] == len(b"%PDF-1.7")


async def test_an_unreachable_endpoint_is_a_transient_storage_error() -> None:
    # Nothing listens on this port: the connection is refused, as when S3 is briefly unreachable.
    storage = S3Storage(
        bucket="any-bucket",
        region=REGION,
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        max_attempts=1,
        connect_timeout=2,
        **CREDENTIALS,
    )
    try:
        for attempt in (
            storage.get("applications/1/resume/cv.pdf"),
            storage.put("applications/1/resume/cv.pdf", b"x", content_type="application/pdf"),
            storage.exists("applications/1/resume/cv.pdf"),
        ):
            with pytest.raises(StorageError) as caught:
                await attempt
            assert isinstance(caught.value, TransientError)
            assert "Could not reach S3" in str(caught.value)
    finally:
        await storage.aclose()


async def test_a_missing_bucket_is_a_configuration_error_naming_the_setting(moto_endpoint: str) -> None:
    async with S3Storage(
        bucket="no-such-bucket-here", region=REGION, endpoint_url=moto_endpoint, **CREDENTIALS
    ) as storage:
        with pytest.raises(ConfigurationError, match="S3_BUCKET"):
            await storage.put(resume_key(1, "cv.pdf"), b"x", content_type="application/pdf")


def test_an_empty_bucket_name_is_refused_at_construction() -> None:
    with pytest.raises(ConfigurationError, match="S3_BUCKET"):
        S3Storage(bucket="", region=REGION)


async def test_the_client_is_closed_and_can_be_reopened(moto_endpoint: str, s3_bucket: str) -> None:
    storage = S3Storage(bucket=s3_bucket, region=REGION, endpoint_url=moto_endpoint, **CREDENTIALS)
    await storage.put(resume_key(2, "cv.pdf"), b"one", content_type="application/pdf")
    await storage.aclose()
    async with storage:
        assert await storage.get(resume_key(2, "cv.pdf")) == b"one"
