"""Local storage: objects as files in a directory tree under the data dir (the twin of S3)."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path

from airecruiter.domain.storage_keys import check_key
from airecruiter.errors import StorageError, ValidationError
from airecruiter.ports.mail import check_header_text
from airecruiter.ports.storage import ObjectNotFoundError

TEMP_PREFIX = ".tmp-"  # keys may not have dot-leading segments, so a temp file never shadows one


def write_atomically(path: Path, data: bytes) -> None:
    """Write `path` so readers see the old bytes or all the new ones, never a torn file."""
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalStorage:
    """A `Storage` that keeps each key as a file below `root`; keys cannot reach outside it."""

    def __init__(self, root: Path | str) -> None:
        self._root = Path(root).resolve()

    @property
    def root(self) -> Path:
        """The directory every object lives under."""
        return self._root

    def _path(self, key: str) -> Path:
        check_key(key)
        path = self._root.joinpath(*key.split("/"))
        # resolve() follows symlinks that already exist, so a planted link cannot lead outside.
        if not path.resolve().is_relative_to(self._root):
            raise ValidationError(f"The storage key {key!r} leads outside the storage folder.")
        return path

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store `data` under `key` atomically (content type is checked, not recorded)."""
        check_header_text(content_type, "content type")
        path = self._path(key)
        await asyncio.to_thread(self._write, key, path, bytes(data))

    def _write(self, key: str, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.parent.resolve().is_relative_to(self._root):
                raise ValidationError(f"The storage key {key!r} leads outside the storage folder.")
            write_atomically(path, data)
        except IsADirectoryError as exc:
            raise ValidationError(f"The storage key {key!r} names a folder of other objects.") from exc
        except OSError as exc:
            raise StorageError(f"Could not write {key!r} to local storage ({exc.strerror or exc}).") from exc

    async def get(self, key: str) -> bytes:
        """The bytes stored under `key`; ObjectNotFoundError when there are none."""
        path = self._path(key)
        return await asyncio.to_thread(self._read, key, path)

    def _read(self, key: str, path: Path) -> bytes:
        try:
            # O_NOFOLLOW: a symlink swapped in after the check above is refused, not followed.
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError as exc:
            raise ObjectNotFoundError(key) from exc
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise ValidationError(f"The storage key {key!r} is a symbolic link; refused.") from exc
            if exc.errno in (errno.EISDIR, errno.ENOTDIR):
                raise ObjectNotFoundError(key) from exc
            raise StorageError(f"Could not read {key!r} from local storage ({exc.strerror or exc}).") from exc
        try:
            with os.fdopen(fd, "rb") as handle:
                return handle.read()
        except IsADirectoryError as exc:
            raise ObjectNotFoundError(key) from exc
        except OSError as exc:
            raise StorageError(f"Could not read {key!r} from local storage ({exc.strerror or exc}).") from exc

    async def exists(self, key: str) -> bool:
        """Whether a file is stored under `key`."""
        path = self._path(key)
        return await asyncio.to_thread(lambda: path.is_file() and not path.is_symlink())

    async def delete(self, key: str) -> None:
        """Remove the file under `key`; a missing key is fine."""
        path = self._path(key)
        await asyncio.to_thread(self._unlink, key, path)

    async def delete_folder(self, folder: str) -> int:
        """Remove the folder's files and the folder itself; how many files went."""
        path = self._path(folder.rstrip("/"))
        return await asyncio.to_thread(self._remove_tree, folder, path)

    def _remove_tree(self, folder: str, path: Path) -> int:
        if not path.is_dir() or path.is_symlink():
            return 0
        files = [p for p in path.rglob("*") if p.is_file() or p.is_symlink()]
        try:
            shutil.rmtree(path)
        except OSError as exc:
            raise StorageError(f"Could not delete {folder!r} from local storage ({exc.strerror or exc}).") from exc
        return len(files)

    def _unlink(self, key: str, path: Path) -> None:
        try:
            path.unlink(missing_ok=True)
        except IsADirectoryError:
            return  # a folder of other objects is not an object; nothing to delete
        except OSError as exc:
            raise StorageError(f"Could not delete {key!r} from local storage ({exc.strerror or exc}).") from exc
