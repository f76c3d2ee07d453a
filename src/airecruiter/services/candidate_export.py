"""An access request (GDPR Art. 15): a ZIP of everything we hold about one Workday candidate.

The records are read in one repeatable-read snapshot, the résumés and report PDFs are fetched from
storage, and the export is then registered: a `candidate_requests` row (kind `access`, done, who)
and an activity entry with ids and counts, in one transaction. The CLI and the console call this.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.read_models.candidate_export import EXPORTED, LEFT_OUT, CandidateRecords, candidate_records
from airecruiter.db.request_register import record_request
from airecruiter.domain.access_activity import CandidateDataExported
from airecruiter.domain.artifacts import ResumeArtifacts
from airecruiter.domain.export_archive import (
    ArchiveContents,
    ArchiveFile,
    build_archive,
    report_path,
    resume_path,
)
from airecruiter.errors import ValidationError
from airecruiter.ports.storage import ObjectNotFoundError, Storage

log = structlog.get_logger(__name__)

MAX_CANDIDATE_ID = 200


class CandidateNotFoundError(ValidationError):
    """No application of that Workday candidate is stored."""


@dataclass(frozen=True)
class CandidateExport:
    """The archive made, and what it holds in numbers."""

    filename: str
    data: bytes
    request_id: int
    application_ids: list[int]
    records: int
    files: int
    missing_files: int


async def export_candidate(
    engine: AsyncEngine, storage: Storage, *, candidate_id: str, actor: str, now: datetime | None = None
) -> CandidateExport:
    """Make the candidate's ZIP and register the access request as done by `actor`."""
    wanted = candidate_id.strip()
    if not wanted or len(wanted) > MAX_CANDIDATE_ID:
        raise ValidationError("Give the candidate's Workday id (as on their Workday profile, e.g. C-1234).")
    records = await _snapshot(engine, wanted)
    if not records.application_ids:
        raise CandidateNotFoundError(
            "No application of that Workday candidate is stored here. Check the id (the candidate's, "
            "not the application's); if their data was erased or deleted, there is nothing to export."
        )
    exported_at = now or datetime.now(UTC)
    files = await _stored_files(storage, records)
    contents = ArchiveContents(
        exported_at=exported_at,
        exported_by=actor,
        tables=records.tables,
        described=EXPORTED,
        left_out=LEFT_OUT,
        files=files,
    )
    data = await asyncio.to_thread(build_archive, contents)
    counts = _counts(records, files)
    request_id = await _register(engine, records, counts, actor=actor, received_at=exported_at)
    # Ids and counts only: the candidate's Workday id is personal.
    log.info("candidate_data_exported", request_id=request_id, applications=len(records.application_ids), **counts)
    return CandidateExport(
        filename=f"candidate-export-{exported_at:%Y%m%d-%H%M%S}.zip",
        data=data,
        request_id=request_id,
        application_ids=records.application_ids,
        **counts,
    )


async def _snapshot(engine: AsyncEngine, candidate_id: str) -> CandidateRecords:
    # One snapshot: a transcript and its evaluation never come from two different moments.
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            return await candidate_records(conn, candidate_id=candidate_id)


async def _stored_files(storage: Storage, records: CandidateRecords) -> list[ArchiveFile]:
    wanted: list[tuple[str, str, str]] = []  # (storage key, path in archive, what)
    for application in records.rows("applications"):
        stored = ResumeArtifacts.from_json(application.get("artifacts") or {})
        if stored is not None and stored.resume is not None:
            path = resume_path(application["id"], stored.resume.filename)
            wanted.append((stored.resume.key, path, "résumé"))
    for report in records.rows("reports"):
        wanted.append((report["s3_key"], report_path(report["application_id"], report["id"]), "report"))
    return [ArchiveFile(path=path, data=await _get(storage, key), what=what) for key, path, what in wanted]


async def _get(storage: Storage, key: str) -> bytes | None:
    try:
        return await storage.get(key)
    except ObjectNotFoundError:
        return None  # listed in the README as no longer stored


def _counts(records: CandidateRecords, files: list[ArchiveFile]) -> dict[str, int]:
    stored = sum(1 for file in files if file.data is not None)
    return {"records": sum(records.counts().values()), "files": stored, "missing_files": len(files) - stored}


async def _register(
    engine: AsyncEngine, records: CandidateRecords, counts: dict[str, Any], *, actor: str, received_at: datetime
) -> int:
    newest = records.application_ids[-1]
    async with engine.begin() as conn:
        request_id = await record_request(
            conn,
            kind="access",
            application_id=newest,
            status="done",
            handled_by=actor,
            outcome={"applications": len(records.application_ids), **counts},
            received_at=received_at,
        )
        await record_activity(
            conn,
            actor=actor,
            application_id=newest,
            details=CandidateDataExported(
                request_id=request_id, application_ids=tuple(records.application_ids), **counts
            ),
        )
    return request_id
