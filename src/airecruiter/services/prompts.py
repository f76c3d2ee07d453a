"""Prompt versions: save a new version, make one active, switch a requisition's own prompt off.

Each action runs in one transaction of its own with its activity entries (`db.prompts` writes
both); an old version is never changed, so a report can always name the prompt it was made with.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.prompts import Prompt, activate_prompt, create_prompt_version, deactivate_prompt


async def save_new_version(
    engine: AsyncEngine,
    *,
    prompt_type: str,
    requisition_id: int | None,
    template_content: str,
    actor: str,
    activate: bool,
) -> Prompt:
    """Store the text as the next version of its type and scope; active at once when `activate`."""
    async with engine.begin() as conn:
        return await create_prompt_version(
            conn,
            prompt_type=prompt_type,
            requisition_id=requisition_id,
            template_content=template_content,
            created_by=actor,
            activate=activate,
        )


async def activate(engine: AsyncEngine, *, prompt_id: int, actor: str) -> Prompt:
    """Make this version the one in use for its type and scope (the one before stops being used)."""
    async with engine.begin() as conn:
        return await activate_prompt(conn, prompt_id=prompt_id, actor=actor)


async def use_global_prompt(engine: AsyncEngine, *, prompt_id: int, actor: str) -> Prompt:
    """Switch off a requisition's own prompt, so that the requisition uses the global one again."""
    async with engine.begin() as conn:
        return await deactivate_prompt(conn, prompt_id=prompt_id, actor=actor)
