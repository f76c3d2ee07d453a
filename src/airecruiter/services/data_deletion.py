"""Delete applications' data for good: rows, stored files (every version), outbox emails, free text.

What remains of each application is its de-identified `outcomes` row and a tombstone, so the next
sync does not bring it back (DATA-LIFECYCLE.md). Erasure also takes the candidate's demographic
category out of the outcome rows; retention keeps it (the row is de-identified already).

Files go before rows: if a file cannot be deleted now the rows stay and a retry finds the same
footprint (deleting a missing file is not an error); once the rows are gone nothing names the files.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.db.outcomes import forget_demographics
from airecruiter.db.request_register import clear_request_texts
from airecruiter.db.retention import Footprint, UploadedReport, delete_application_rows, footprint
from airecruiter.db.tombstones import add_tombstones, lock_external_applications, tombstone_key
from airecruiter.ports.storage import Storage


@dataclass(frozen=True)
class DeletionStores:
    """Where an application's data lives besides the database."""

    storage: Storage
    outbox_dir: Path | None = None  # the outbox twin's folder of .eml files; None when mail leaves us
    secret_key: str | None = None  # AIRECRUITER_SECRET_KEY: the tombstones' key is derived from it


@dataclass
class DeletionResult:
    """What one deletion removed, as counts and ids; no personal value."""

    applications: int = 0
    objects: int = 0
    emails: int = 0
    interview_messages: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    uploaded: list[UploadedReport] = field(default_factory=list)

    def add(self, other: DeletionResult) -> None:
        """Fold another deletion's counts into this one."""
        self.applications += other.applications
        self.objects += other.objects
        self.emails += other.emails
        self.interview_messages += other.interview_messages
        for table, count in other.rows.items():
            self.rows[table] = self.rows.get(table, 0) + count
        self.uploaded += other.uploaded

    def summary(self) -> dict[str, Any]:
        """The receipt's account of what went (JSON-ready)."""
        return {
            "applications": self.applications,
            "rows": {"interview_messages": self.interview_messages, **self.rows},
            "storage_objects": self.objects,
            "outbox_emails": self.emails,
            "uploaded_to_workday": [
                {"workday_document_id": u.workday_document_id, "filename": u.filename} for u in self.uploaded
            ],
        }


def _delete_outbox_files(directory: Path, message_ids: set[str]) -> int:
    """Remove the .eml files whose Message-ID is one of `message_ids`; how many went."""
    if not message_ids or not directory.is_dir():
        return 0
    parser = email.parser.BytesHeaderParser(policy=email.policy.default)
    removed = 0
    for path in directory.glob("*.eml"):
        with path.open("rb") as handle:
            headers = parser.parse(handle)
        if str(headers.get("Message-ID", "")).strip() in message_ids:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


async def _delete_objects(storage: Storage, found: Footprint) -> int:
    """Delete the objects the records name and everything under each application's folder; how many."""
    removed = 0
    for key in found.object_keys:
        # Counted only when it was there; deleted regardless, for the older versions a marker may hide.
        removed += await storage.exists(key)
        await storage.delete(key)
    for application_id in found.application_ids:
        # Anything else filed under the application (an earlier résumé, a stray copy) goes too.
        removed += await storage.delete_folder(f"applications/{application_id}")
    return removed


async def _delete_files(stores: DeletionStores, found: Footprint) -> tuple[int, int]:
    objects = await _delete_objects(stores.storage, found)
    emails = 0
    if stores.outbox_dir is not None:
        emails = await asyncio.to_thread(_delete_outbox_files, stores.outbox_dir, set(found.message_ids))
    return objects, emails


async def _delete_rows(conn: AsyncConnection, stores: DeletionStores, found: Footprint, reason: str) -> int:
    # Taken first: a sync of the same application waits, then finds the tombstone and stops.
    await lock_external_applications(conn, found.external_application_ids)
    key = await tombstone_key(conn, stores.secret_key)
    await add_tombstones(conn, key=key, external_ids=found.external_application_ids, reason=reason)
    await clear_request_texts(conn, found.application_ids)
    if reason == "erasure":
        await forget_demographics(conn, found.application_ids)
    return await delete_application_rows(conn, found.application_ids)


async def delete_stored_files(engine: AsyncEngine, stores: DeletionStores, application_ids: list[int]) -> int:
    """Delete only the applications' storage objects (a shorter retention for files); how many keys went."""
    async with engine.connect() as conn:
        found = await footprint(conn, application_ids)
    return await _delete_objects(stores.storage, found)


async def delete_applications(
    engine: AsyncEngine, stores: DeletionStores, application_ids: list[int], *, reason: str
) -> DeletionResult:
    """Delete these applications' data everywhere, leaving outcome rows and tombstones (reason: retention|erasure)."""
    if reason not in ("retention", "erasure"):
        raise ValueError(f"unknown deletion reason {reason!r}")
    async with engine.connect() as conn:
        found = await footprint(conn, application_ids)
    objects, emails = await _delete_files(stores, found)
    async with engine.begin() as conn:
        deleted = await _delete_rows(conn, stores, found, reason)
    return DeletionResult(
        applications=deleted,
        objects=objects,
        emails=emails,
        interview_messages=found.interview_messages,
        rows=dict(found.rows),
        uploaded=list(found.uploaded),
    )
