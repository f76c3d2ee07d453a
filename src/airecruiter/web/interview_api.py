"""The interview's JSON endpoints, used by the candidate page and the candidate simulator alike.

    GET  /api/interview/{token}          the state: transcript, progress, whose turn it is
    POST /api/interview/{token}/start    start (or resume) the interview; the state
    POST /api/interview/{token}/answers  {"text": "..."}; the state after the interviewer's reply

Errors are `{"error": sentence}`: 404 unknown link, 410 completed or expired (with `reason` and
`contact`), 409 out of turn, 413 body over `MAX_BODY_BYTES` (refused before it is parsed), 422
empty, too long or malformed answer, 429 too many answers (with `Retry-After`). Tokens never reach
a log; at most the first characters of their hash do.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from airecruiter.domain.interview_tokens import hash_interview_token
from airecruiter.services.interview_views import (
    AnswerRateLimitedError,
    AnswerRejectedError,
    InterviewClosedError,
    InterviewConflictError,
    InterviewNotFoundError,
    InterviewState,
)
from airecruiter.web.dependencies import InterviewEngineDep
from airecruiter.web.request_body import (
    BodyTooLargeError,
    MalformedBodyError,
    is_storable_text,
    parse_json,
    read_capped_body,
)

log = structlog.get_logger(__name__)
router = APIRouter(prefix="/api/interview")

# A 4,000-character answer is at most 16 KB of UTF-8, or 24 KB with every character \u-escaped.
MAX_BODY_BYTES = 32 * 1024
NO_STORE = {"Cache-Control": "no-store"}
MALFORMED = 'Send the answer as JSON with the text in a "text" field, for example {"text": "My answer"}.'
TOO_LARGE = (
    f"The request is larger than {MAX_BODY_BYTES // 1024} KB, far more than an answer can be; "
    "shorten the answer and send it again."
)


def state_json(state: InterviewState) -> dict[str, Any]:
    """The state as the endpoints send it."""
    return {
        "status": state.status,
        "position": state.position,
        "company": state.company,
        "candidate_first_name": state.candidate_first_name,
        "messages": [
            {"seq": m.seq, "role": m.role, "content": m.content, "sent_at": m.sent_at.isoformat()}
            for m in state.messages
        ],
        "progress": {"question": state.progress.question, "of_about": state.progress.of_about},
        "complete": state.complete,
        "waiting_for": state.waiting_for,
        "notice": state.notice,
        "retry_after_seconds": state.retry_after_seconds,
        "expires_at": state.expires_at.isoformat(),
        "contact": {"name": state.contact.name, "email": state.contact.email},
        "limits": {"max_answer_chars": state.max_answer_chars},
    }


def _error(status: int, message: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse(
        status_code=status, content={"error": message, **extra}, headers={**NO_STORE, **(headers or {})}
    )


async def _respond(token: str, action: Awaitable[InterviewState]) -> JSONResponse:
    """The state as JSON, or the engine's refusal as the matching status and sentence."""
    try:
        state = await action
    except InterviewNotFoundError as exc:
        log.info("interview_link_unknown", token_ref=hash_interview_token(token)[:6])
        return _error(404, exc.message)
    except InterviewClosedError as exc:
        log.info("interview_link_closed", reason=exc.reason, token_ref=hash_interview_token(token)[:6])
        return _error(
            410, exc.message, reason=exc.reason, contact={"name": exc.contact.name, "email": exc.contact.email}
        )
    except AnswerRateLimitedError as exc:
        wait = int(exc.retry_after or 1)
        return _error(429, exc.message, headers={"Retry-After": str(wait)}, retry_after_seconds=wait)
    except InterviewConflictError as exc:
        return _error(409, exc.message)
    except AnswerRejectedError as exc:
        return _error(422, exc.message)
    return JSONResponse(content=state_json(state), headers=NO_STORE)


@router.get("/{token}")
async def interview_state(token: str, engine: InterviewEngineDep) -> JSONResponse:
    """The interview as the candidate left it."""
    return await _respond(token, engine.state(token))


@router.post("/{token}/start")
async def start_interview(token: str, request: Request, engine: InterviewEngineDep) -> JSONResponse:
    """Start the interview, or resume it if it was started before."""
    try:
        await read_capped_body(request, MAX_BODY_BYTES)  # nothing is expected; an oversized one is still refused unread
    except BodyTooLargeError:
        return _error(413, TOO_LARGE)
    return await _respond(token, engine.start(token))


@router.post("/{token}/answers")
async def submit_answer(token: str, request: Request, engine: InterviewEngineDep) -> JSONResponse:
    """Store the candidate's answer; the state after the interviewer's reply."""
    try:
        raw = await read_capped_body(request, MAX_BODY_BYTES)
    except BodyTooLargeError:
        return _error(413, TOO_LARGE)
    try:
        payload = parse_json(raw)
    except MalformedBodyError:
        return _error(422, MALFORMED)
    text = payload.get("text") if isinstance(payload, dict) else None
    if not isinstance(text, str) or not is_storable_text(text):
        return _error(422, MALFORMED)
    return await _respond(token, engine.answer(token, text))
