"""An application's résumé and newest report, streamed from storage as downloads."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.applications import ApplicationRecord, application_by_id
from airecruiter.db.reports import latest_report
from airecruiter.ports.storage import ObjectNotFoundError, Storage, sanitize_filename
from airecruiter.web.admin.errors import NotFoundError
from airecruiter.web.dependencies import DbDep, ReadAccess, StorageDep

router = APIRouter(prefix="/admin")

PDF = "application/pdf"
# Résumé types a browser may be told about; anything else Workday labelled is served as opaque bytes.
RESUME_TYPES = frozenset(
    {
        PDF,
        "application/msword",
        "application/rtf",
        "text/plain",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
)
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(filename: str) -> str:
    """`attachment` with a filename no header or path can be broken by, and its UTF-8 form for browsers."""
    safe = sanitize_filename(filename)
    ascii_name = _NOT_ASCII_SAFE.sub("_", safe).strip("_") or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(safe, safe='')}"


def _download(data: bytes, filename: str, content_type: str) -> Response:
    return Response(
        content=data,
        media_type=content_type,
        headers={
            "Content-Disposition": content_disposition(filename),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def _application(engine: AsyncEngine, application_id: int) -> ApplicationRecord:
    async with engine.connect() as conn:
        application = await application_by_id(conn, application_id=application_id)
    if application is None:
        raise NotFoundError(f"There is no application {application_id}. It may have been deleted.")
    return application


async def _stored(storage: Storage, key: str, missing: str) -> bytes:
    try:
        data = await storage.get(key)
    except ObjectNotFoundError as exc:
        raise NotFoundError(missing) from exc
    return data


@router.get("/applications/{application_id}/resume")
async def download_resume(
    request: Request,
    application_id: int,
    engine: DbDep,
    storage: StorageDep,
    user: ReadAccess,
) -> Response:
    """The résumé as Workday gave it to us."""
    application = await _application(engine, application_id)
    resume = application.artifacts.resume
    if resume is None:
        raise NotFoundError(
            f"No résumé is stored for {application.candidate_name}: Workday had none when the "
            "application was synced. Ask the candidate to attach one in Workday."
        )
    data = await _stored(
        storage,
        resume.key,
        "The stored résumé file is missing from storage. Re-run the sync "
        "of the requisition to fetch it from Workday again.",
    )
    stored_type = resume.content_type.split(";")[0].strip().lower()
    return _download(data, resume.filename, stored_type if stored_type in RESUME_TYPES else "application/octet-stream")


@router.get("/applications/{application_id}/report")
async def download_report(
    request: Request,
    application_id: int,
    engine: DbDep,
    storage: StorageDep,
    user: ReadAccess,
) -> Response:
    """The application's newest report PDF."""
    application = await _application(engine, application_id)
    async with engine.connect() as conn:
        report = await latest_report(conn, application_id=application.id)
    if report is None:
        raise NotFoundError(f"No report has been made for {application.candidate_name} yet.")
    data = await _stored(
        storage,
        report.s3_key,
        "The report's PDF is missing from storage. Use “Regenerate report” on the application's page to make it again.",
    )
    return _download(data, report.s3_key.rsplit("/", 1)[-1], PDF)
