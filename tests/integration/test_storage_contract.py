"""One contract, two storages: LocalStorage in a temp dir and S3Storage against moto's server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from airecruiter.adapters.storage.local import LocalStorage
from airecruiter.adapters.storage.s3 import S3Storage
from airecruiter.errors import PermanentError, TransientError, ValidationError
from airecruiter.ports.storage import ObjectNotFoundError, Storage, report_key, resume_key
from tests.integration.aws_fakes import moto_endpoint, s3_bucket, s3_storage

__all__ = ["moto_endpoint", "s3_bucket", "s3_storage"]  # fixtures used by name

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    """Each test runs once against each storage."""
    # A plain fixture: asking for an async fixture by name only works outside the event loop.
    if request.param == "local":
        return LocalStorage(tmp_path / "storage")
    s3: S3Storage = request.getfixturevalue("s3_storage")
    return s3


async def test_bytes_come_back_exactly_as_stored(storage: Storage) -> None:
    key = resume_key(1, "Ada Lovelace.pdf")
    await storage.put(key, PDF, content_type="application/pdf")
    assert await storage.get(key) == PDF
    assert await storage.exists(key)


async def test_an_empty_object_is_an_object(storage: Storage) -> None:
    key = report_key(1, "empty")
    await storage.put(key, b"", content_type="application/pdf")
    assert await storage.exists(key)
    assert await storage.get(key) == b""


async def test_writing_again_replaces_the_object(storage: Storage) -> None:
    key = report_key(2, "report")
    await storage.put(key, b"first version", content_type="application/pdf")
    await storage.put(key, b"second", content_type="application/pdf")
    assert await storage.get(key) == b"second"


async def test_objects_of_different_applications_are_separate(storage: Storage) -> None:
    await storage.put(resume_key(3, "cv.pdf"), b"three", content_type="application/pdf")
    await storage.put(resume_key(4, "cv.pdf"), b"four", content_type="application/pdf")
    assert await storage.get(resume_key(3, "cv.pdf")) == b"three"
    assert await storage.get(resume_key(4, "cv.pdf")) == b"four"


async def test_a_missing_key_is_a_permanent_not_found(storage: Storage) -> None:
    key = resume_key(5, "never-uploaded.pdf")
    assert not await storage.exists(key)
    with pytest.raises(ObjectNotFoundError) as caught:
        await storage.get(key)
    assert isinstance(caught.value, PermanentError)
    assert not isinstance(caught.value, TransientError)
    assert "never-uploaded.pdf" in str(caught.value)


async def test_delete_removes_and_is_idempotent(storage: Storage) -> None:
    key = resume_key(6, "cv.docx")
    await storage.put(key, b"docx", content_type="application/msword")
    await storage.delete(key)
    assert not await storage.exists(key)
    with pytest.raises(ObjectNotFoundError):
        await storage.get(key)
    await storage.delete(key)


async def test_a_folder_prefix_is_not_an_object(storage: Storage) -> None:
    await storage.put(resume_key(7, "cv.pdf"), b"x", content_type="application/pdf")
    assert not await storage.exists("applications/7")
    with pytest.raises(ObjectNotFoundError):
        await storage.get("applications/7/resume")


@pytest.mark.parametrize("key", ["../outside.pdf", "/etc/passwd", "applications/1/../../x", "a\\b", "a/b\r\n"])
async def test_unsafe_keys_are_refused_everywhere(storage: Storage, key: str) -> None:
    with pytest.raises(ValidationError):
        await storage.put(key, b"x", content_type="application/pdf")
    with pytest.raises(ValidationError):
        await storage.get(key)
    with pytest.raises(ValidationError):
        await storage.exists(key)
    with pytest.raises(ValidationError):
        await storage.delete(key)


async def test_a_content_type_with_a_line_break_is_refused(storage: Storage) -> None:
    with pytest.raises(ValidationError):
        await storage.put(resume_key(8, "cv.pdf"), b"x", content_type="application/pdf\r\nX-Evil: 1")


async def test_concurrent_writers_leave_one_whole_version(storage: Storage) -> None:
    key = report_key(9, "report")
    versions = [bytes([n]) * 50_000 for n in range(8)]
    await asyncio.gather(*(storage.put(key, v, content_type="application/pdf") for v in versions))
    assert await storage.get(key) in versions


async def test_delete_folder_removes_everything_under_it_and_nothing_beside_it(storage: Storage) -> None:
    await storage.put(resume_key(9, "cv.pdf"), b"cv", content_type="application/pdf")
    await storage.put(report_key(9, "report"), b"one", content_type="application/pdf")
    await storage.put(report_key(9, "report"), b"two", content_type="application/pdf")
    await storage.put(resume_key(90, "cv.pdf"), b"neighbour", content_type="application/pdf")

    assert await storage.delete_folder("applications/9") == 2

    assert not await storage.exists(resume_key(9, "cv.pdf"))
    assert not await storage.exists(report_key(9, "report"))
    assert await storage.get(resume_key(90, "cv.pdf")) == b"neighbour"
    assert await storage.delete_folder("applications/9") == 0
