"""LocalStorage specifics: files on disk, no way out of the root, no torn or stray files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from airecruiter.adapters.storage.local import LocalStorage
from airecruiter.errors import StorageError, ValidationError
from airecruiter.ports.storage import ObjectNotFoundError, resume_key


async def test_objects_are_plain_files_under_the_root(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    await storage.put(resume_key(1, "cv.pdf"), b"%PDF", content_type="application/pdf")
    assert (tmp_path / "applications" / "1" / "resume" / "cv.pdf").read_bytes() == b"%PDF"


async def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    for n in range(3):
        await storage.put(resume_key(1, "cv.pdf"), bytes([n]) * 1000, content_type="application/pdf")
    assert os.listdir(tmp_path / "applications" / "1" / "resume") == ["cv.pdf"]


async def test_a_symlinked_folder_cannot_lead_outside_the_root(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "applications").mkdir(parents=True)
    outside.mkdir()
    (root / "applications" / "1").symlink_to(outside, target_is_directory=True)
    storage = LocalStorage(root)
    with pytest.raises(ValidationError, match="outside the storage folder"):
        await storage.put(resume_key(1, "cv.pdf"), b"x", content_type="application/pdf")
    assert list(outside.iterdir()) == []


async def test_a_symlinked_file_is_not_read(tmp_path: Path) -> None:
    root = tmp_path / "root"
    secret = tmp_path / "secret.txt"
    secret.write_text("do not leak")
    (root / "applications" / "1" / "resume").mkdir(parents=True)
    (root / "applications" / "1" / "resume" / "cv.pdf").symlink_to(secret)
    storage = LocalStorage(root)
    with pytest.raises(ValidationError, match="outside the storage folder"):
        await storage.get(resume_key(1, "cv.pdf"))
    with pytest.raises(ValidationError):
        await storage.exists(resume_key(1, "cv.pdf"))


async def test_a_key_under_an_existing_object_is_not_found(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    await storage.put("applications/1/resume", b"a file where a folder would be", content_type="text/plain")
    with pytest.raises(ObjectNotFoundError):
        await storage.get(resume_key(1, "cv.pdf"))


async def test_writing_where_a_file_blocks_the_folder_is_a_storage_error(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    (tmp_path / "applications").write_text("a file, not a folder")
    with pytest.raises(StorageError, match="Could not write"):
        await storage.put(resume_key(1, "cv.pdf"), b"x", content_type="application/pdf")
