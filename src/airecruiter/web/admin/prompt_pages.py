"""Prompt versions: the catalogue per type and scope, one version with its diff, new versions, activation."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.read_models.prompts import (
    CATALOGUE_LIMIT,
    PromptSummary,
    prompt_catalogue,
    prompt_with_previous,
    requisition_name,
    starting_text,
)
from airecruiter.domain.permissions import EDIT_PROMPTS
from airecruiter.domain.prompt_defaults import PROMPT_TYPES
from airecruiter.errors import ValidationError
from airecruiter.services import fairness, prompts
from airecruiter.services.fairness import prompt_checks
from airecruiter.web.admin.errors import NotFoundError
from airecruiter.web.admin.queue_pages import parse_optional_id
from airecruiter.web.admin.session import redirect_with_notice
from airecruiter.web.dependencies import AppDep, DbDep, EditPromptsAccess, ReadAccess
from airecruiter.web.templating import render

router = APIRouter(prefix="/admin")

MAX_PROMPT_CHARS = 50_000
FAMILY_LABELS = {
    "sex_gender": "Sex / gender",
    "race_ethnicity": "Race / ethnicity",
    "religion": "Religion",
    "age": "Age",
    "family_status": "Family status",
    "disability": "Disability",
    "national_origin": "National origin",
}
TYPE_LABELS = {"resume_analysis": "Résumé analysis", "interview": "Interview", "evaluation": "Evaluation"}


def line_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The changed lines of `new` against `old` with three lines of context: (kind, line) with kind
    ins, del, same or hunk."""
    lines: list[tuple[str, str]] = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), n=3, lineterm=""):
        if line.startswith(("---", "+++")) and not lines:
            continue
        kind = {"+": "ins", "-": "del", "@": "hunk"}.get(line[:1], "same")
        lines.append((kind, line if kind == "hunk" else line[1:]))
    return lines


@dataclass
class Scope:
    """The versions of one prompt type in one scope (global, or one requisition)."""

    requisition_id: int | None
    requisition_name: str | None
    versions: list[PromptSummary] = field(default_factory=list)


def _grouped(rows: list[PromptSummary]) -> dict[str, list[Scope]]:
    groups: dict[str, list[Scope]] = {kind: [] for kind in PROMPT_TYPES}
    for row in rows:
        scopes = groups.setdefault(row.type, [])
        if not scopes or scopes[-1].requisition_id != row.requisition_id:
            scopes.append(Scope(row.requisition_id, row.requisition_name))
        scopes[-1].versions.append(row)
    return groups


@router.get("/prompts", response_class=HTMLResponse)
async def prompt_list(request: Request, engine: DbDep, user: ReadAccess) -> HTMLResponse:
    """Every version per type: the global ones, then each requisition's own."""
    raw = request.query_params.get("requisition_id", "").strip()[:40]
    try:
        requisition_id = parse_optional_id(raw, "requisition id")
    except ValueError as error:
        return render(
            request,
            "admin/prompts.html",
            {
                "section": "prompts",
                "groups": {},
                "labels": TYPE_LABELS,
                "requisition_filter": raw,
                "error": str(error),
                "truncated": False,
                "can_edit": user.can(EDIT_PROMPTS),
            },
            status_code=422,
        )
    rows = await prompt_catalogue(engine, requisition_id=requisition_id)
    return render(
        request,
        "admin/prompts.html",
        {
            "section": "prompts",
            "groups": _grouped(rows),
            "labels": TYPE_LABELS,
            "requisition_filter": raw,
            "error": None,
            "truncated": len(rows) >= CATALOGUE_LIMIT,
            "limit": CATALOGUE_LIMIT,
            "can_edit": user.can(EDIT_PROMPTS),
        },
    )


@dataclass
class Draft:
    """What the new-version form shows: the fields as entered and the sentences that refuse them."""

    prompt_type: str
    requisition_raw: str
    content: str
    activate: bool = False
    override_reason: str = ""
    requisition_id: int | None = None
    requisition_name: str | None = None
    errors: list[str] = field(default_factory=list)
    based_on: Any = None


async def _check(request: Request, engine: AsyncEngine, draft: Draft) -> Draft:
    """Fill in the requisition and collect every reason the draft cannot be saved."""
    if draft.prompt_type not in PROMPT_TYPES:
        draft.errors.append(
            f"There is no prompt type “{draft.prompt_type[:40]}”; choose one of {', '.join(PROMPT_TYPES)}."
        )
    try:
        draft.requisition_id = parse_optional_id(draft.requisition_raw, "requisition id")
    except ValueError as error:
        draft.errors.append(str(error))
    if draft.requisition_id is not None:
        draft.requisition_name = await requisition_name(engine, requisition_id=draft.requisition_id)
        if draft.requisition_name is None:
            draft.errors.append(
                f"There is no requisition {draft.requisition_id}; leave the field empty for "
                "the global prompt or enter the id of an existing requisition."
            )
    return draft


def _form(request: Request, draft: Draft, status_code: int = 200) -> HTMLResponse:
    return render(
        request,
        "admin/prompt_new.html",
        {
            "section": "prompts",
            "draft": draft,
            "types": PROMPT_TYPES,
            "labels": TYPE_LABELS,
            "max_chars": MAX_PROMPT_CHARS,
        },
        status_code=status_code,
    )


@router.get("/prompts/new", response_class=HTMLResponse)
async def new_prompt_form(request: Request, engine: DbDep, _: EditPromptsAccess) -> HTMLResponse:
    """The form for a new version, prefilled with the scope's current text."""
    query = request.query_params
    draft = await _check(
        request,
        engine,
        Draft(
            prompt_type=query.get("type", PROMPT_TYPES[0]).strip(),
            requisition_raw=query.get("requisition_id", "").strip()[:40],
            content="",
        ),
    )
    if draft.errors:
        return _form(request, draft, 422)
    draft.based_on = await starting_text(engine, prompt_type=draft.prompt_type, requisition_id=draft.requisition_id)
    draft.content = draft.based_on.template_content if draft.based_on else ""
    return _form(request, draft)


@router.post("/prompts", response_model=None)
async def create_prompt(request: Request, engine: DbDep, user: EditPromptsAccess) -> Response:
    """Save the text as the next version of its type and scope (an old version is never changed)."""
    form = await request.form()
    content = str(form.get("template_content") or "").replace("\r\n", "\n")
    draft = await _check(
        request,
        engine,
        Draft(
            prompt_type=str(form.get("type") or "").strip(),
            requisition_raw=str(form.get("requisition_id") or "").strip()[:40],
            content=content,
            activate=form.get("activate") == "on",
            override_reason=str(form.get("override_reason") or "")[:4000],
        ),
    )
    if not content.strip():
        draft.errors.append("The prompt is empty; write the instructions the model should follow.")
    if len(content) > MAX_PROMPT_CHARS:
        draft.errors.append(
            f"The prompt is {len(content):,} characters long; the limit is "
            f"{MAX_PROMPT_CHARS:,}. Shorten it and save again."
        )
    if not draft.errors:
        try:
            prompt = await prompts.save_new_version(
                engine,
                prompt_type=draft.prompt_type,
                requisition_id=draft.requisition_id,
                template_content=content,
                actor=user.actor,
                activate=draft.activate,
                override_reason=draft.override_reason,
            )
        except ValidationError as error:
            draft.errors.append(error.message)
    if draft.errors:
        return _form(request, draft, 422)
    scope = f"requisition {prompt.requisition_id}" if prompt.requisition_id else "all requisitions"
    state = "It is now the active version." if prompt.is_active else "It is not active yet; activate it when ready."
    return redirect_with_notice(
        request,
        f"/admin/prompts/{prompt.id}",
        f"Saved version {prompt.version} of the {prompt.type} prompt for {scope}. {state}",
    )


@router.get("/prompts/{prompt_id}", response_class=HTMLResponse)
async def prompt_detail(request: Request, prompt_id: int, engine: DbDep, user: ReadAccess) -> HTMLResponse:
    """One version's text, its diff against the version before it, and activation."""
    found = await prompt_with_previous(engine, prompt_id=prompt_id)
    if found is None:
        raise NotFoundError(f"There is no prompt version {prompt_id}; it may have been removed with its requisition.")
    diff = line_diff(found.previous.template_content, found.prompt.template_content) if found.previous else None
    checks = await prompt_checks(engine, prompt_id=prompt_id)
    return render(
        request,
        "admin/prompt_detail.html",
        {
            "section": "prompts",
            "prompt": found.prompt,
            "previous": found.previous,
            "diff": diff,
            "requisition_name": found.requisition_name,
            "labels": TYPE_LABELS,
            "can_edit": user.can(EDIT_PROMPTS),
            "checks": checks,
            "passing_check": any(c.passed for c in checks),
            "family_labels": FAMILY_LABELS,
        },
    )


@router.post("/prompts/{prompt_id}/fairness-check")
async def request_check(request: Request, prompt_id: int, app: AppDep, user: EditPromptsAccess) -> RedirectResponse:
    """Queue a fairness check of this version; a worker runs it and the page shows the result."""
    found = await prompt_with_previous(app.engine, prompt_id=prompt_id)
    if found is None:
        raise NotFoundError(f"There is no prompt version {prompt_id}; it may have been removed with its requisition.")
    check_id = await fairness.request_prompt_check(
        app.engine, app.queue, prompt=found.prompt, requisition_id=None, actor=user.actor
    )
    return redirect_with_notice(
        request,
        f"/admin/prompts/{prompt_id}",
        f"Fairness check {check_id} is queued; the result appears below when a worker has run it.",
    )


@router.post("/prompts/{prompt_id}/activate")
async def activate(
    request: Request,
    prompt_id: int,
    engine: DbDep,
    user: EditPromptsAccess,
) -> RedirectResponse:
    """Make this version the one in use for its type and scope (with a passing fairness check, or a reason)."""
    form = await request.form()
    reason = str(form.get("override_reason") or "")[:4000]
    try:
        prompt = await prompts.activate(engine, prompt_id=prompt_id, actor=user.actor, override_reason=reason)
    except prompts.ActivationRefusedError as error:
        return redirect_with_notice(request, f"/admin/prompts/{prompt_id}", error.message, "error")
    except ValidationError as error:
        raise NotFoundError(error.message) from error
    return redirect_with_notice(
        request,
        f"/admin/prompts/{prompt_id}",
        f"Version {prompt.version} of the {prompt.type} prompt is now the active one.",
    )


@router.post("/prompts/{prompt_id}/deactivate")
async def deactivate(
    request: Request,
    prompt_id: int,
    engine: DbDep,
    user: EditPromptsAccess,
) -> RedirectResponse:
    """Switch off a requisition's own prompt so that the requisition uses the global one again."""
    url = f"/admin/prompts/{prompt_id}"
    try:
        prompt = await prompts.use_global_prompt(engine, prompt_id=prompt_id, actor=user.actor)
    except ValidationError as error:
        return redirect_with_notice(request, url, error.message, "error")
    return redirect_with_notice(
        request, url, f"Requisition {prompt.requisition_id} now uses the global {prompt.type} prompt again."
    )
