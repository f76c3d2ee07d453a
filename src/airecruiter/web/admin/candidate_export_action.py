"""The console's answer to an access request: the ZIP of everything held about the application's candidate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from airecruiter.db.applications import application_by_id
from airecruiter.domain.permissions import MANAGE_CANDIDATE_DATA
from airecruiter.services.candidate_export import export_candidate
from airecruiter.web.admin.application_downloads import content_disposition
from airecruiter.web.admin.errors import NotFoundError
from airecruiter.web.admin.session import ConsoleUser, require
from airecruiter.web.dependencies import DbDep, StorageDep

router = APIRouter(prefix="/admin")

ExportAccess = Annotated[ConsoleUser, Depends(require(MANAGE_CANDIDATE_DATA))]


@router.post("/applications/{application_id}/export")
async def export_candidate_data(
    request: Request, application_id: int, engine: DbDep, storage: StorageDep, user: ExportAccess
) -> Response:
    """Every application of this candidate, their files and transcripts, as one ZIP download."""
    async with engine.connect() as conn:
        application = await application_by_id(conn, application_id=application_id)
    if application is None:
        raise NotFoundError(f"There is no application {application_id}. It may have been deleted.")
    made = await export_candidate(engine, storage, candidate_id=application.external_candidate_id, actor=user.actor)
    return Response(
        content=made.data,
        media_type="application/zip",
        headers={
            "Content-Disposition": content_disposition(made.filename),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
