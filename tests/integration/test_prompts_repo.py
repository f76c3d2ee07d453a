"""Versioned prompts against real PostgreSQL: the seeded defaults, overrides, versions, activation."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Mapping

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.engine import create_engine
from airecruiter.db.migrate import alembic_config, upgrade
from airecruiter.db.prompts import (
    Prompt,
    activate_prompt,
    active_prompt,
    create_prompt_version,
    deactivate_prompt,
    prompt_versions,
    seed_default_prompts,
)
from airecruiter.domain.prompt_defaults import DEFAULT_PROMPTS, PROMPT_TYPES
from airecruiter.errors import ValidationError
from tests.conftest import make_requisitions
from tests.integration.conftest import activities, scalar


@pytest.fixture
async def seeded(db: AsyncEngine) -> AsyncEngine:
    """An emptied database with the default prompts restored, as the migration left them."""
    await seed_default_prompts(db)
    return db


async def _all_prompts(engine: AsyncEngine) -> list[tuple[str, int | None, int, bool, str, str]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT type, requisition_id, version, is_active, created_by, template_content FROM prompts"
                " ORDER BY type, requisition_id NULLS FIRST, version"
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def _defaults(texts: Mapping[str, str] = DEFAULT_PROMPTS) -> list[tuple[str, None, int, bool, str, str]]:
    return [(kind, None, 1, True, "system", texts[kind]) for kind in sorted(PROMPT_TYPES)]


# What migration 0007 inserts: its own frozen copy of the defaults, whatever the live ones say now.
SEEDED_BY_MIGRATION = importlib.import_module("airecruiter.migrations.versions.0007_default_prompts").DEFAULT_PROMPTS


async def test_the_migration_seeds_the_three_defaults_and_its_downgrade_removes_only_them(
    scratch_database: str,
) -> None:
    engine = create_engine(scratch_database, pool_size=2)
    config = alembic_config(scratch_database)
    try:
        await upgrade(scratch_database, engine)
        assert await _all_prompts(engine) == _defaults(SEEDED_BY_MIGRATION)

        [requisition] = await make_requisitions(engine, 1)
        await create_prompt_version(
            engine,
            prompt_type="interview",
            requisition_id=requisition,
            template_content="Ask about forklifts.",
            created_by="lee",
            activate=True,
        )
        await asyncio.to_thread(command.downgrade, config, "0006")
        assert [row[:3] for row in await _all_prompts(engine)] == [("interview", requisition, 1)]

        await asyncio.to_thread(command.upgrade, config, "head")
        assert [row for row in await _all_prompts(engine) if row[1] is None] == _defaults(SEEDED_BY_MIGRATION)
    finally:
        await engine.dispose()


async def test_seeding_restores_the_defaults_once_however_often_it_runs(db: AsyncEngine) -> None:
    await seed_default_prompts(db)
    await seed_default_prompts(db)
    async with db.begin() as conn:
        await seed_default_prompts(conn)

    assert await _all_prompts(db) == _defaults()
    for kind in PROMPT_TYPES:
        prompt = await active_prompt(db, prompt_type=kind)
        assert prompt is not None and (prompt.version, prompt.template_content) == (1, DEFAULT_PROMPTS[kind])


async def test_seeding_leaves_a_type_alone_that_already_has_a_global_prompt(db: AsyncEngine) -> None:
    await create_prompt_version(
        db, prompt_type="evaluation", requisition_id=None, template_content="Mine.", created_by="ops", activate=True
    )

    await seed_default_prompts(db)

    evaluation = await active_prompt(db, prompt_type="evaluation")
    assert evaluation is not None and evaluation.template_content == "Mine."
    assert len(await _all_prompts(db)) == 3


async def test_a_requisitions_own_prompt_wins_and_the_global_one_covers_the_rest(seeded: AsyncEngine) -> None:
    cooks, drivers = await make_requisitions(seeded, 2)
    own = await create_prompt_version(
        seeded,
        prompt_type="resume_analysis",
        requisition_id=cooks,
        template_content="Look for food safety certificates.",
        created_by="ana",
        activate=True,
    )

    for_cooks = await active_prompt(seeded, prompt_type="resume_analysis", requisition_id=cooks)
    for_drivers = await active_prompt(seeded, prompt_type="resume_analysis", requisition_id=drivers)
    cooks_interview = await active_prompt(seeded, prompt_type="interview", requisition_id=cooks)

    assert for_cooks == own and (own.requisition_id, own.version, own.is_active) == (cooks, 1, True)
    assert for_drivers is not None and for_drivers.requisition_id is None
    assert for_drivers.template_content == DEFAULT_PROMPTS["resume_analysis"]
    assert cooks_interview is not None and cooks_interview.template_content == DEFAULT_PROMPTS["interview"]


async def test_switching_a_requisitions_prompt_off_falls_back_to_the_global_one(seeded: AsyncEngine) -> None:
    [cooks] = await make_requisitions(seeded, 1)
    own = await create_prompt_version(
        seeded,
        prompt_type="interview",
        requisition_id=cooks,
        template_content="Ask about shifts.",
        created_by="ana",
        activate=True,
    )

    off = await deactivate_prompt(seeded, prompt_id=own.id, actor="ana")
    fallback = await active_prompt(seeded, prompt_type="interview", requisition_id=cooks)

    assert not off.is_active
    assert fallback is not None and (fallback.requisition_id, fallback.version) == (None, 1)
    [entry] = await activities(seeded, "prompt_deactivated")
    assert (entry.actor, entry.requisition_id) == ("ana", cooks)
    assert entry.details == {"type": "interview", "version": 1, "requisition_id": cooks}


async def test_the_global_prompt_cannot_be_switched_off(seeded: AsyncEngine) -> None:
    prompt = await active_prompt(seeded, prompt_type="evaluation")
    assert prompt is not None

    with pytest.raises(ValidationError, match="activate another version instead"):
        await deactivate_prompt(seeded, prompt_id=prompt.id, actor="ana")

    assert await active_prompt(seeded, prompt_type="evaluation") == prompt


async def test_editing_creates_the_next_version_and_never_changes_an_old_one(seeded: AsyncEngine) -> None:
    drafts = [
        await create_prompt_version(
            seeded,
            prompt_type="evaluation",
            requisition_id=None,
            template_content=f"Draft {n}.",
            created_by="ana",
            activate=False,
        )
        for n in (2, 3)
    ]

    versions = await prompt_versions(seeded, prompt_type="evaluation")
    active = await active_prompt(seeded, prompt_type="evaluation")

    assert [(p.version, p.template_content, p.is_active) for p in versions] == [
        (3, "Draft 3.", False),
        (2, "Draft 2.", False),
        (1, DEFAULT_PROMPTS["evaluation"], True),
    ]
    assert [d.version for d in drafts] == [2, 3] and all(d.created_by == "ana" for d in drafts)
    assert active is not None and active.version == 1


async def test_versions_are_counted_per_type_and_requisition(seeded: AsyncEngine) -> None:
    [cooks] = await make_requisitions(seeded, 1)

    own = await create_prompt_version(
        seeded,
        prompt_type="evaluation",
        requisition_id=cooks,
        template_content="Cooks.",
        created_by="ana",
        activate=False,
    )
    nxt = await create_prompt_version(
        seeded,
        prompt_type="evaluation",
        requisition_id=None,
        template_content="Everyone.",
        created_by="ana",
        activate=False,
    )

    assert (own.version, nxt.version) == (1, 2)
    assert [p.version for p in await prompt_versions(seeded, prompt_type="evaluation", requisition_id=cooks)] == [1]


async def test_activating_a_version_leaves_exactly_one_active_and_is_logged(seeded: AsyncEngine) -> None:
    draft = await create_prompt_version(
        seeded,
        prompt_type="resume_analysis",
        requisition_id=None,
        template_content="Stricter rubric.",
        created_by="ana",
        activate=False,
    )

    activated = await activate_prompt(seeded, prompt_id=draft.id, actor="lee")
    again = await activate_prompt(seeded, prompt_id=draft.id, actor="lee")
    rolled_back = await activate_prompt(
        seeded, prompt_id=(await prompt_versions(seeded, prompt_type="resume_analysis"))[-1].id, actor="lee"
    )

    assert activated.is_active and again == activated
    assert rolled_back.version == 1 and await active_prompt(seeded, prompt_type="resume_analysis") == rolled_back
    assert [p.is_active for p in await prompt_versions(seeded, prompt_type="resume_analysis")] == [False, True]
    created = await activities(seeded, "prompt_version_created")
    switched = await activities(seeded, "prompt_activated")
    assert [(e.actor, e.details) for e in created] == [
        ("ana", {"type": "resume_analysis", "version": 2, "requisition_id": None}),
    ]
    assert [(e.actor, e.details["version"]) for e in switched] == [("lee", 2), ("lee", 1)]


async def test_creating_an_active_version_replaces_the_active_one_and_logs_both_steps(seeded: AsyncEngine) -> None:
    [cooks] = await make_requisitions(seeded, 1)
    first = await create_prompt_version(
        seeded, prompt_type="interview", requisition_id=cooks, template_content="One.", created_by="ana", activate=True
    )
    second = await create_prompt_version(
        seeded, prompt_type="interview", requisition_id=cooks, template_content="Two.", created_by="ana", activate=True
    )

    versions = await prompt_versions(seeded, prompt_type="interview", requisition_id=cooks)

    assert [(p.version, p.is_active) for p in versions] == [(2, True), (1, False)]
    assert (first.version, second.version) == (1, 2)
    assert [e.requisition_id for e in await activities(seeded, "prompt_activated")] == [cooks, cooks]
    assert len(await activities(seeded, "prompt_version_created")) == 2


async def test_ten_concurrent_editors_get_ten_distinct_versions(seeded: AsyncEngine) -> None:
    created = await asyncio.gather(
        *(
            create_prompt_version(
                seeded,
                prompt_type="interview",
                requisition_id=None,
                template_content=f"Edit by editor {n}.",
                created_by=f"editor-{n}",
                activate=False,
            )
            for n in range(10)
        )
    )

    assert sorted(p.version for p in created) == list(range(2, 12))
    assert len(await activities(seeded, "prompt_version_created")) == 10


async def test_concurrent_activations_leave_exactly_one_active(seeded: AsyncEngine) -> None:
    [cooks] = await make_requisitions(seeded, 1)
    created = await asyncio.gather(
        *(
            create_prompt_version(
                seeded,
                prompt_type="evaluation",
                requisition_id=cooks,
                template_content=f"Version by {n}.",
                created_by=f"editor-{n}",
                activate=True,
            )
            for n in range(10)
        )
    )
    await asyncio.gather(*(activate_prompt(seeded, prompt_id=p.id, actor="lee") for p in created[:5]))

    versions = await prompt_versions(seeded, prompt_type="evaluation", requisition_id=cooks)

    assert sorted(p.version for p in versions) == list(range(1, 11))
    assert sum(p.is_active for p in versions) == 1
    assert await active_prompt(seeded, prompt_type="evaluation", requisition_id=cooks) in versions


async def test_a_version_created_in_the_callers_transaction_goes_if_that_transaction_rolls_back(
    seeded: AsyncEngine,
) -> None:
    async with seeded.connect() as conn, conn.begin() as transaction:
        inside = await create_prompt_version(
            conn,
            prompt_type="interview",
            requisition_id=None,
            template_content="Temporary.",
            created_by="ana",
            activate=True,
        )
        assert await active_prompt(conn, prompt_type="interview") == inside
        await transaction.rollback()

    active = await active_prompt(seeded, prompt_type="interview")
    assert active is not None and active.version == 1
    assert await scalar(seeded, "SELECT count(*) FROM activities") == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"template_content": ""}, "A prompt cannot be empty"),
        ({"template_content": "  \n\t "}, "A prompt cannot be empty"),
        ({"prompt_type": "cover_letter"}, "Unknown prompt type 'cover_letter'; use one of resume_analysis, interview"),
        ({"requisition_id": 987654}, "There is no requisition 987654"),
    ],
)
async def test_bad_edits_are_refused_and_store_nothing(
    seeded: AsyncEngine, change: dict[str, object], message: str
) -> None:
    edit: dict[str, object] = {
        "prompt_type": "interview",
        "requisition_id": None,
        "template_content": "Fine.",
        "created_by": "ana",
        "activate": True,
    } | change

    with pytest.raises(ValidationError, match=message):
        await create_prompt_version(seeded, **edit)  # type: ignore[arg-type]

    assert await _all_prompts(seeded) == _defaults()
    assert await scalar(seeded, "SELECT count(*) FROM activities") == 0


async def test_reading_or_activating_something_that_does_not_exist_is_refused(seeded: AsyncEngine) -> None:
    with pytest.raises(ValidationError, match="Unknown prompt type 'summary'"):
        await active_prompt(seeded, prompt_type="summary")
    with pytest.raises(ValidationError, match="There is no prompt 424242"):
        await activate_prompt(seeded, prompt_id=424242, actor="ana")


async def test_without_any_prompt_there_is_no_active_one(db: AsyncEngine) -> None:
    assert await active_prompt(db, prompt_type="interview") is None
    assert await prompt_versions(db, prompt_type="interview") == []


def test_a_prompt_is_an_immutable_record() -> None:
    assert Prompt.__dataclass_params__.frozen  # type: ignore[attr-defined]
