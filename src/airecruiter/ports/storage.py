"""Storage port: where résumés and reports are kept (S3 in production, a directory locally).

Errors every implementation raises:
- `ObjectNotFoundError` (permanent) when `get` asks for a key that was never stored or was deleted;
  retrying cannot make a missing object appear, so the queue must not retry it.
- `StorageError` (transient) when the store could not be reached or failed for now.
- `ValidationError` (permanent) for a key that breaks the rules of `check_key`.
- `PermanentError` / `ConfigurationError` when access is refused or the bucket does not exist.
"""

from __future__ import annotations

from typing import Protocol

from airecruiter.domain.storage_keys import check_key, report_key, resume_key, sanitize_filename
from airecruiter.errors import PermanentError

__all__ = [
    "ObjectNotFoundError",
    "Storage",
    "check_key",
    "report_key",
    "resume_key",
    "sanitize_filename",
]


class ObjectNotFoundError(PermanentError):
    """The storage holds no object under the requested key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"No stored object has the key {key!r}; it was never written or has been deleted.")
        self.key = key


class Storage(Protocol):
    """A key → bytes store for application artifacts."""

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store `data` under `key`, replacing what was there; all or nothing."""
        ...

    async def get(self, key: str) -> bytes:
        """The bytes stored under `key`; ObjectNotFoundError when there are none."""
        ...

    async def exists(self, key: str) -> bool:
        """Whether an object is stored under `key`."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object under `key` and every earlier version of it; a missing key is not an error.

        Erasure and retention rely on this: in a versioned bucket a plain delete only hides the object
        behind a delete marker, so implementations remove each version and marker.
        """
        ...

    async def delete_folder(self, folder: str) -> int:
        """Remove every object whose key lies under `folder` (every version of each); how many keys went."""
        ...
