"""The recruiter's "Assess by a person": the application leaves the AI process for good."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from airecruiter.domain.permissions import RECORD_DECISION
from airecruiter.services.candidate_choices import RequestSubjectGoneError, request_human_review
from airecruiter.web.admin.errors import NotFoundError
from airecruiter.web.admin.session import ConsoleUser, redirect_with_notice, require
from airecruiter.web.candidate_pages import desk

router = APIRouter(prefix="/admin")

HumanReviewAccess = Annotated[ConsoleUser, Depends(require(RECORD_DECISION))]


@router.post("/applications/{application_id}/human-review")
async def assess_by_a_person(request: Request, application_id: int, user: HumanReviewAccess) -> RedirectResponse:
    """Take the application to human review: no AI interview, evaluation or report from now on."""
    back = f"/admin/applications/{application_id}"
    try:
        result = await request_human_review(
            desk(request), application_id=application_id, source="recruiter", actor=user.actor
        )
    except RequestSubjectGoneError as exc:
        raise NotFoundError(exc.message) from exc
    message = (
        "A person assesses this application now: no AI interview, evaluation or report runs on it."
        if result.created
        else "This application was already assessed by a person; nothing changed."
    )
    return redirect_with_notice(request, back, message)
