"""The candidate's interview pages, server-rendered; `static/interview.js` enhances them when it runs.

    GET  /interview/{token}          welcome (scheduled), chat (in progress), or a plain closed page
    POST /interview/{token}/start    form: start (or resume) the interview, then 303 to the chat
    POST /interview/{token}/answer   form field `answer`: 303 back to the chat with the reply, or the
                                     chat again with the answer kept and what to change (409/413/422/429)

Without JavaScript every step is a form and a redirect; with it, interview.js sends the same
requests to the JSON API (`interview_api`) and appends messages without a reload. A link that is
unknown gets 404, an expired or completed one 410, each saying whom to contact. Tokens never reach
a log; at most the first characters of their hash do.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any
from urllib.parse import parse_qs

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from airecruiter.domain.candidate_texts import paragraphs
from airecruiter.domain.interview_tokens import hash_interview_token
from airecruiter.services.candidate_texts import rendered
from airecruiter.services.interview_views import (
    AnswerRateLimitedError,
    AnswerRejectedError,
    Contact,
    InterviewClosedError,
    InterviewConflictError,
    InterviewNotFoundError,
    InterviewState,
)
from airecruiter.services.interviews import InterviewEngine
from airecruiter.web.context import web_context
from airecruiter.web.interview_context import chat_context, closed_context, welcome_context
from airecruiter.web.request_body import BodyTooLargeError, read_capped_body
from airecruiter.web.templating import render

log = structlog.get_logger(__name__)
router = APIRouter(prefix="/interview")

# A form field is percent-encoded: one emoji (4 bytes of UTF-8) takes 12, so the largest allowed
# answer can need 48 KB here where its JSON needs at most 24 KB.
MAX_FORM_BYTES = 64 * 1024
TOO_LARGE = (
    f"Your answer could not be read: the request was larger than {MAX_FORM_BYTES // 1024} KB, far "
    "more than an answer can be. Shorten it and send it again."
)
MALFORMED = "Your answer did not arrive as a form. Write it in the box below and send it again."


def _engine(request: Request) -> InterviewEngine:
    return web_context(request).application.interview_engine


def _page_url(token: str, fragment: str = "") -> str:
    return f"/interview/{token}" + (f"#{fragment}" if fragment else "")


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


def _not_found(request: Request, token: str, exc: InterviewNotFoundError) -> Response:
    engine = _engine(request)
    log.info("interview_page_unknown_link", token_ref=hash_interview_token(token)[:6])
    context = closed_context(
        "unknown", exc.message, Contact(engine.contact_name, engine.contact_email), engine.company_name
    )
    return render(request, "interview/closed.html", context, status_code=404)


def _closed(request: Request, token: str, exc: InterviewClosedError) -> Response:
    log.info("interview_page_closed_link", reason=exc.reason, token_ref=hash_interview_token(token)[:6])
    context = closed_context(exc.reason, exc.message, exc.contact, _engine(request).company_name)
    return render(request, "interview/closed.html", context, status_code=410)


async def _state_or_page(request: Request, token: str, action: Awaitable[InterviewState]) -> InterviewState | Response:
    """The engine's state, or the closed page that answers instead of it."""
    try:
        return await action
    except InterviewNotFoundError as exc:
        return _not_found(request, token, exc)
    except InterviewClosedError as exc:
        return _closed(request, token, exc)


def _chat(
    request: Request,
    token: str,
    state: InterviewState,
    *,
    status_code: int = 200,
    error: str | None = None,
    draft: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    response = render(
        request, "interview/chat.html", chat_context(token, state, error=error, draft=draft), status_code=status_code
    )
    response.headers.update(headers or {})
    return response


@router.get("/{token}")
async def interview_page(token: str, request: Request) -> Response:
    """The welcome page before the interview starts, the chat while it runs, a closed page after."""
    state = await _state_or_page(request, token, _engine(request).state(token))
    if isinstance(state, Response):
        return state
    if state.status == "scheduled":
        context = {**welcome_context(token, state), "welcome_text": await _welcome_text(request, state)}
        return render(request, "interview/welcome.html", context)
    return _chat(request, token, state)


async def _welcome_text(request: Request, state: InterviewState) -> list[str]:
    """The paragraphs of the active `welcome` candidate text for this interview (escaped by the template)."""
    async with web_context(request).application.engine.begin() as conn:
        text = await rendered(
            conn,
            kind="welcome",
            role=state.position,
            company=state.company,
            contact=state.contact.email or state.contact.name,
            retention_days=web_context(request).application.settings.RETENTION_DAYS,
        )
    return paragraphs(text.text)


@router.post("/{token}/start")
async def start_from_form(token: str, request: Request) -> Response:
    """Start (or resume) the interview and show the chat with the first question."""
    state = await _state_or_page(request, token, _engine(request).start(token))
    if isinstance(state, Response):
        return state
    return _see_other(_page_url(token, _latest_fragment(state)))


@router.post("/{token}/answer")
async def answer_from_form(token: str, request: Request) -> Response:
    """Store the answer the form sent; back to the chat with the reply, or with what to change."""
    engine = _engine(request)
    try:
        answer = await _answer_field(request)
    except BodyTooLargeError:
        return await _refused(request, token, 413, TOO_LARGE)
    if answer is None:
        return await _refused(request, token, 422, MALFORMED)
    try:
        state = await _state_or_page(request, token, engine.answer(token, answer))
    except AnswerRateLimitedError as exc:
        wait = str(int(exc.retry_after or 1))
        return await _refused(request, token, 429, exc.message, draft=answer, headers={"Retry-After": wait})
    except InterviewConflictError as exc:
        return await _refused(request, token, 409, exc.message, draft=answer)
    except AnswerRejectedError as exc:
        return await _refused(request, token, 422, exc.message, draft=answer)
    if isinstance(state, Response):
        return state
    if state.complete:
        return _see_other(_page_url(token))  # the completed link's page is the end page
    return _see_other(_page_url(token, _latest_fragment(state)))


async def _refused(
    request: Request, token: str, status: int, message: str, *, draft: str = "", headers: dict[str, str] | None = None
) -> Response:
    """The chat again, with the refusal said above the answer box and the answer kept in it."""
    state = await _state_or_page(request, token, _engine(request).state(token))
    if isinstance(state, Response):
        return state
    return _chat(request, token, state, status_code=status, error=message, draft=draft, headers=headers)


def _latest_fragment(state: InterviewState) -> str:
    """Where the page should open: the latest message, so the current question is in view."""
    return f"message-{state.messages[-1].seq}" if state.messages else ""


async def _answer_field(request: Request) -> str | None:
    """The form's `answer` field with line breaks as typed; None when the body is not such a form."""
    body = await read_capped_body(request, MAX_FORM_BYTES)
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return None
    try:
        fields: dict[str, Any] = parse_qs(
            body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        return None
    values = fields.get("answer")
    if not values:
        return None
    # Browsers send a textarea's line breaks as CRLF; the page counts (and the engine stores) one each.
    return str(values[0]).replace("\r\n", "\n")
