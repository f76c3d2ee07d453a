"""The queue and its dead letter: items by state, one item's attempts, retry and skip (one or many)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from airecruiter.domain.permissions import RETRY, SKIP
from airecruiter.errors import ValidationError
from airecruiter.processors.registry import PIPELINE_JOB_TYPES
from airecruiter.queue.failure_history import stored_tracebacks
from airecruiter.queue.jobs import QUEUE_STATES, Priority
from airecruiter.queue.operations import MAX_BULK_ITEMS, BulkOutcome, QueueOperations
from airecruiter.services import queue_admin
from airecruiter.web.admin.errors import NotFoundError
from airecruiter.web.admin.session import ConsoleUser, redirect_with_notice, safe_next
from airecruiter.web.dependencies import OperationsDep, ReadAccess, RetryAccess, SkipAccess
from airecruiter.web.pagination import Page, PageRequest, page_number, whole_number
from airecruiter.web.templating import render

router = APIRouter(prefix="/admin")

MAX_REASON = 500
NOTICE_LISTED = 8  # the notice travels in a cookie: name a few refusals, count the rest


def parse_optional_id(value: str | None, label: str) -> int | None:
    """A positive whole number typed into a filter, None when left empty; ValueError with a sentence."""
    text = (value or "").strip()
    if not text:
        return None
    number = whole_number(text)
    if number is None:
        raise ValueError(f"The {label} must be a whole number such as 42; “{text[:40]}” is not.")
    return number


def priority_name(value: int) -> str:
    """manual, scheduled or retry (or the number for anything else)."""
    return Priority(value).name.lower() if value in Priority._value2member_map_ else str(value)


@dataclass
class QueueFilters:
    """The filters of a queue page as typed, and as understood."""

    raw: dict[str, str]
    status: str | None = None
    job_type: str | None = None
    application_id: int | None = None
    requisition_id: int | None = None
    errors: list[str] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of QueueOperations.list_items / count_items."""
        return {
            "status": self.status,
            "job_type": self.job_type,
            "application_id": self.application_id,
            "requisition_id": self.requisition_id,
        }


def _filters(request: Request, forced_status: str | None) -> QueueFilters:
    query = request.query_params
    raw = {key: query.get(key, "").strip()[:80] for key in ("status", "job_type", "application_id", "requisition_id")}
    filters = QueueFilters(raw=raw, status=forced_status or raw["status"] or None, job_type=raw["job_type"] or None)
    if filters.status is not None and filters.status not in QUEUE_STATES:
        filters.errors.append(f"There is no queue state “{filters.status}”; choose one of {', '.join(QUEUE_STATES)}.")
        filters.status = None
    for key, label in (("application_id", "application id"), ("requisition_id", "requisition id")):
        try:
            setattr(filters, key, parse_optional_id(raw[key], label))
        except ValueError as error:
            filters.errors.append(str(error))
    return filters


async def _queue_page(
    request: Request, ops: QueueOperations, user: ConsoleUser, forced_status: str | None
) -> HTMLResponse:
    filters = _filters(request, forced_status)
    wanted = PageRequest.of(page_number(request.query_params.get("page")))
    counts = await ops.counts()
    if filters.errors:
        page: Page[Any] = Page([], 1, wanted.size, 0)
    else:
        total = await ops.count_items(**filters.as_kwargs())
        items = await ops.list_items(**filters.as_kwargs(), limit=wanted.size, offset=wanted.offset)
        page = Page(items, wanted.number, wanted.size, total)
    dead_letter = filters.status == "dead"
    histories = await ops.histories([item.id for item in page.items]) if dead_letter else {}
    traces = await stored_tracebacks(ops.engine, list(histories)) if dead_letter else {}
    groups = await ops.dead_letter_groups() if dead_letter and not filters.errors else []
    return render(
        request,
        "admin/queue.html",
        {
            "section": "queue",
            "counts": counts,
            "all_count": sum(counts.values()),
            "filters": filters,
            "states": QUEUE_STATES,
            "job_types": PIPELINE_JOB_TYPES,
            "page": page,
            "dead_letter": dead_letter,
            "histories": histories,
            "traces": traces,
            "groups": groups,
            "priority_name": priority_name,
            "here": _here(request),
            "can_retry": user.can(RETRY),
            "can_skip": user.can(SKIP),
            "max_bulk": MAX_BULK_ITEMS,
            "dead_path": forced_status is not None,
        },
        status_code=422 if filters.errors else 200,
    )


def _here(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


@router.get("/queue", response_class=HTMLResponse)
async def queue_list(request: Request, ops: OperationsDep, user: ReadAccess) -> HTMLResponse:
    """Queue items by state and job type, newest first, with the count of every state."""
    return await _queue_page(request, ops, user, None)


@router.get("/queue/dead", response_class=HTMLResponse)
async def dead_letter(request: Request, ops: OperationsDep, user: ReadAccess) -> HTMLResponse:
    """The dead letter: items that used up their attempts, with each attempt's error."""
    return await _queue_page(request, ops, user, "dead")


@router.get("/queue/{item_id}", response_class=HTMLResponse)
async def queue_item(request: Request, item_id: int, ops: OperationsDep, user: ReadAccess) -> HTMLResponse:
    """One item: its state, last error and every recorded attempt."""
    item = await ops.get(item_id)
    history = await ops.history(item_id)
    traces = await stored_tracebacks(ops.engine, [item_id])
    if item is None and not history:
        raise NotFoundError(
            f"There is no queue item {item_id}. It may never have existed; "
            "finished items keep their history only for the retention period."
        )
    return render(
        request,
        "admin/queue_item.html",
        {
            "section": "queue",
            "item": item,
            "item_id": item_id,
            "history": history,
            "traces": traces,
            "subject": history[0] if item is None else item,
            "priority_name": priority_name,
            "can_retry": user.can(RETRY),
            "can_skip": user.can(SKIP),
            "here": f"/admin/queue/{item_id}",
        },
    )


async def _selected(request: Request) -> tuple[list[int], list[str], str, str]:
    """The item ids a form posted (and any that are not ids), its return address and reason."""
    form = await request.form()
    ids: list[int] = []
    bad: list[str] = []
    for value in form.getlist("item_id"):
        text = str(value).strip()
        try:
            parsed = parse_optional_id(text, "item id")
        except ValueError:
            bad.append(text[:20])
            continue
        if parsed is not None:
            ids.append(parsed)
    back = safe_next(str(form.get("next") or "/admin/queue/dead"))
    return ids, bad, back, str(form.get("reason") or "").strip()


def _summary(verb: str, done_verb: str, outcome: BulkOutcome, bad: list[str]) -> tuple[str, str]:
    """The notice after a bulk action: how many were acted on, and which were not and why."""
    parts = []
    if outcome.done:
        shown = ", ".join(str(i) for i in outcome.done[:20]) + (" …" if len(outcome.done) > 20 else "")
        noun = "item" if len(outcome.done) == 1 else "items"
        parts.append(f"{done_verb.capitalize()} {len(outcome.done)} {noun} ({shown}).")
    refusals = [why for _, why in outcome.refused] + [f"“{b}” is not an item id." for b in bad]
    if refusals:
        listed = " ".join(why[:200] for why in refusals[:NOTICE_LISTED])
        more = f" … and {len(refusals) - NOTICE_LISTED} more." if len(refusals) > NOTICE_LISTED else ""
        parts.append(f"Could not {verb} {len(refusals)}: {listed}{more}")
    return " ".join(parts), "error" if refusals else "ok"


async def _bulk(request: Request, ops: QueueOperations, user: ConsoleUser, verb: str) -> RedirectResponse:
    ids, bad, back, reason = await _selected(request)
    if not ids and not bad:
        return redirect_with_notice(
            request, back, f"Select at least one item to {verb}, then press the button again.", "error"
        )
    if len(reason) > MAX_REASON:
        return redirect_with_notice(
            request,
            back,
            f"The reason is {len(reason):,} characters long; keep it under {MAX_REASON} and skip again.",
            "error",
        )
    try:
        if verb == "retry":
            outcome = await queue_admin.retry_many(ops, ids, actor=user.actor)
        else:
            outcome = await queue_admin.skip_many(ops, ids, actor=user.actor, reason=reason)
    except ValidationError as error:
        return redirect_with_notice(request, back, error.message, "error")
    message, kind = _summary(verb, "retried" if verb == "retry" else "skipped", outcome, bad)
    return redirect_with_notice(request, back, message, kind)


@router.post("/queue/retry")
async def retry_items(request: Request, ops: OperationsDep, user: RetryAccess) -> RedirectResponse:
    """Send one or many dead (or skipped) items back to the queue at manual priority."""
    return await _bulk(request, ops, user, "retry")


@router.post("/queue/skip")
async def skip_items(request: Request, ops: OperationsDep, user: SkipAccess) -> RedirectResponse:
    """End one or many dead items as skipped, with an optional reason."""
    return await _bulk(request, ops, user, "skip")
