"""The decision section of the application page: a person records advance, reject or hold, with a reason.

The AI's recommendation is shown beside the form and the decision history below it; the decision
never replaces the recommendation. services.decisions does the recording.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.decisions import decision_history
from airecruiter.domain.decisions import DECISION_LABELS, NOTE_MAX_CHARS, Decision, reason_label
from airecruiter.domain.permissions import RECORD_DECISION
from airecruiter.errors import ValidationError
from airecruiter.services import decisions
from airecruiter.services.applications import ApplicationNotFoundError
from airecruiter.web.admin.errors import NotFoundError
from airecruiter.web.admin.session import ConsoleUser, redirect_with_notice
from airecruiter.web.dependencies import AppDep, RecordDecisionAccess

router = APIRouter(prefix="/admin")

HISTORY_LIMIT = 50


async def decision_context(
    conn: AsyncConnection, *, application_id: int, user: ConsoleUser, reason_codes: tuple[str, ...]
) -> dict[str, Any]:
    """What the decision section shows: the history (newest first), the form's choices, whether to offer it."""
    return {
        "decisions": await decision_history(conn, application_id=application_id, limit=HISTORY_LIMIT),
        "decision_choices": [(d.value, DECISION_LABELS[d]) for d in Decision],
        "decision_labels": {d.value: DECISION_LABELS[d] for d in Decision},
        "reason_choices": [(code, reason_label(code)) for code in reason_codes],
        "reason_label": reason_label,
        "note_max_chars": NOTE_MAX_CHARS,
        "can_record_decision": user.can(RECORD_DECISION),
    }


@router.post("/applications/{application_id}/decision")
async def record_decision(
    request: Request,
    application_id: int,
    runtime: AppDep,
    user: RecordDecisionAccess,
) -> RedirectResponse:
    """Record a person's decision on the application, then come back to it (Post/Redirect/Get)."""
    form = await request.form()
    back = f"/admin/applications/{application_id}#decision"

    def field(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    try:
        outcome = await decisions.record_decision(
            runtime.engine,
            runtime.queue,
            application_id=application_id,
            decision=field("decision"),
            reason_code=field("reason_code"),
            note=field("note"),
            actor=user.actor,
            reason_codes=runtime.settings.decision_reason_codes,
        )
    except ApplicationNotFoundError as exc:
        raise NotFoundError(exc.message) from exc
    except ValidationError as exc:
        return redirect_with_notice(request, back, exc.message, kind="error")
    return redirect_with_notice(request, back, outcome.message)
