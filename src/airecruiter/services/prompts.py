"""Prompt versions: save a new version, make one active, switch a requisition's own prompt off.

Each action runs in one transaction of its own with its activity entries (`db.prompts` writes
both); an old version is never changed, so a report can always name the prompt it was made with.
Activating a version (issue 15 §2) needs a passing fairness check of that version, or an admin's
override with a written reason, kept in the activity log. Versions active already (the seeded
defaults among them) stay active: the gate guards the switch, not the state.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.fairness_checks import has_passing_check
from airecruiter.db.prompts import Prompt, activate_prompt, create_prompt_version, deactivate_prompt, prompt_by_id
from airecruiter.domain.fairness_activity import PromptActivationOverridden
from airecruiter.errors import ValidationError

MIN_OVERRIDE_REASON = 10  # characters: a reason someone can read later, not "ok"


class ActivationRefusedError(ValidationError):
    """The version has no passing fairness check and no override reason was given."""


def _override_reason(reason: str | None) -> str | None:
    """The reason as recorded, or None when none was given; a too-short one is refused."""
    if reason is None or not reason.strip():
        return None
    cleaned = " ".join(reason.split())
    if len(cleaned) < MIN_OVERRIDE_REASON:
        raise ActivationRefusedError(
            f"An override needs a written reason of at least {MIN_OVERRIDE_REASON} characters; "
            "say why this version may go live without a passing fairness check."
        )
    return cleaned[:2000]


async def _gate(conn: AsyncConnection, prompt: Prompt, reason: str | None, actor: str) -> None:
    """Let the activation through on a passing check, or record the override; refuse otherwise."""
    if await has_passing_check(conn, prompt_id=prompt.id):
        return
    if reason is None:
        raise ActivationRefusedError(
            f"Version {prompt.version} of the {prompt.type} prompt has no passing fairness check. Run one "
            "(`airecruiter fairness check` or the button on the prompt's page), or override it with a written reason."
        )
    details = PromptActivationOverridden(
        type=prompt.type, version=prompt.version, requisition_id=prompt.requisition_id, reason=reason
    )
    await record_activity(conn, actor=actor, requisition_id=prompt.requisition_id, details=details)


async def save_new_version(
    engine: AsyncEngine,
    *,
    prompt_type: str,
    requisition_id: int | None,
    template_content: str,
    actor: str,
    activate: bool,
    override_reason: str | None = None,
) -> Prompt:
    """Store the text as the next version; active at once only with an override (a new text has no check yet)."""
    reason = _override_reason(override_reason)
    if activate and reason is None:
        raise ActivationRefusedError(
            "A new version cannot go live before a fairness check of it has passed: save it, run the check, "
            "then activate it — or give a written reason to override."
        )
    async with engine.begin() as conn:
        prompt = await create_prompt_version(
            conn,
            prompt_type=prompt_type,
            requisition_id=requisition_id,
            template_content=template_content,
            created_by=actor,
            activate=activate,
        )
        if activate:
            await _gate(conn, prompt, reason, actor)
        return prompt


async def activate(engine: AsyncEngine, *, prompt_id: int, actor: str, override_reason: str | None = None) -> Prompt:
    """Make this version the one in use for its type and scope (the one before stops being used)."""
    reason = _override_reason(override_reason)
    async with engine.begin() as conn:
        prompt = await prompt_by_id(conn, prompt_id=prompt_id)
        if prompt is None:
            raise ValidationError(f"There is no prompt {prompt_id}; it may have been removed with its requisition.")
        if not prompt.is_active:
            await _gate(conn, prompt, reason, actor)
        return await activate_prompt(conn, prompt_id=prompt_id, actor=actor)


async def use_global_prompt(engine: AsyncEngine, *, prompt_id: int, actor: str) -> Prompt:
    """Switch off a requisition's own prompt, so that the requisition uses the global one again."""
    async with engine.begin() as conn:
        return await deactivate_prompt(conn, prompt_id=prompt_id, actor=actor)
