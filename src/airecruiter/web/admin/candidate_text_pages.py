"""Candidate texts: every version per kind, one version with its diff, new versions, activation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from airecruiter.domain.candidate_texts import KIND_LABELS, MAX_TEXT, PLACEHOLDERS, TEXT_KINDS
from airecruiter.domain.permissions import EDIT_PROMPTS
from airecruiter.errors import ValidationError
from airecruiter.services import candidate_texts
from airecruiter.web.admin.errors import NotFoundError
from airecruiter.web.admin.prompt_pages import line_diff
from airecruiter.web.admin.session import redirect_with_notice
from airecruiter.web.dependencies import DbDep, EditPromptsAccess, ReadAccess
from airecruiter.web.templating import render

router = APIRouter(prefix="/admin")


@router.get("/candidate-texts", response_class=HTMLResponse)
async def text_list(request: Request, engine: DbDep, user: ReadAccess) -> HTMLResponse:
    """Every version of each text candidates read, newest first, the active one marked."""
    versions = await candidate_texts.catalogue(engine)
    groups = {kind: [v for v in versions if v.kind == kind] for kind in TEXT_KINDS}
    return render(
        request,
        "admin/candidate_texts.html",
        {"section": "prompts", "groups": groups, "labels": KIND_LABELS, "can_edit": user.can(EDIT_PROMPTS)},
    )


def _form(
    request: Request, kind: str, content: str, activate: bool, errors: list[str], status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "admin/candidate_text_new.html",
        {
            "section": "prompts",
            "kind": kind,
            "content": content,
            "activate": activate,
            "errors": errors,
            "labels": KIND_LABELS,
            "placeholders": PLACEHOLDERS,
            "max_chars": MAX_TEXT,
        },
        status_code=status_code,
    )


@router.get("/candidate-texts/new", response_class=HTMLResponse)
async def new_text_form(request: Request, engine: DbDep, _: EditPromptsAccess) -> HTMLResponse:
    """The form for a new version of one kind, prefilled with the active text."""
    kind = request.query_params.get("kind", "").strip()
    if kind not in TEXT_KINDS:
        raise NotFoundError(f"There is no candidate text of kind “{kind[:40]}”; choose one from the list.")
    current = next(v for v in await candidate_texts.catalogue(engine) if v.kind == kind and v.active)
    return _form(request, kind, current.content, activate=False, errors=[])


@router.post("/candidate-texts", response_model=None)
async def create_text(request: Request, engine: DbDep, user: EditPromptsAccess) -> Response:
    """Save the text as the next version of its kind (an old version is never changed)."""
    form = await request.form()
    kind = str(form.get("kind") or "").strip()
    content = str(form.get("content") or "")
    activate = form.get("activate") == "on"
    if kind not in TEXT_KINDS:
        raise NotFoundError(f"There is no candidate text of kind “{kind[:40]}”; choose one from the list.")
    try:
        saved = await candidate_texts.save_new_version(
            engine, kind=kind, content=content, actor=user.actor, activate=activate
        )
    except ValidationError as error:
        return _form(request, kind, content, activate, [error.message], 422)
    state = "Candidates read it from now on." if saved.active else "It is not active yet; activate it when ready."
    return redirect_with_notice(
        request,
        f"/admin/candidate-texts/{saved.id}",
        f"Saved version {saved.version} of the {KIND_LABELS[kind].lower()} text. {state}",
    )


@router.get("/candidate-texts/{text_id:int}", response_class=HTMLResponse)
async def text_detail(request: Request, text_id: int, engine: DbDep, user: ReadAccess) -> HTMLResponse:
    """One version's text and its diff against the version before it."""
    found = await candidate_texts.version(engine, text_id=text_id)
    if found is None:
        raise NotFoundError(f"There is no candidate text version {text_id}.")
    versions = [v for v in await candidate_texts.catalogue(engine) if v.kind == found.kind]
    previous = next((v for v in versions if v.version < found.version), None)
    return render(
        request,
        "admin/candidate_text_detail.html",
        {
            "section": "prompts",
            "text": found,
            "previous": previous,
            "diff": None if previous is None else line_diff(previous.content, found.content),
            "labels": KIND_LABELS,
            "can_edit": user.can(EDIT_PROMPTS),
        },
    )


@router.post("/candidate-texts/{text_id:int}/activate")
async def activate(request: Request, text_id: int, engine: DbDep, user: EditPromptsAccess) -> RedirectResponse:
    """Make this version the one candidates read."""
    try:
        activated = await candidate_texts.activate(engine, text_id=text_id, actor=user.actor)
    except ValidationError as error:
        raise NotFoundError(error.message) from error
    return redirect_with_notice(
        request,
        f"/admin/candidate-texts/{text_id}",
        f"Version {activated.version} of the {KIND_LABELS[activated.kind].lower()} text is now in use.",
    )
