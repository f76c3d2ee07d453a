"""The console's prompt pages over HTTP: versions per type and scope, diffs, new versions, activation."""

from __future__ import annotations

import html
import re

from sqlalchemy import text

from airecruiter.adapters.llm.offline import OfflineLLM
from airecruiter.adapters.redactor import IsolatedRedactor
from airecruiter.db.prompts import create_prompt_version, prompt_versions, seed_default_prompts
from airecruiter.domain.fairness_stats import Thresholds
from airecruiter.services.fairness import FairnessRunner, run_requested_checks
from tests.conftest import make_requisitions
from tests.integration.admin_fixtures import AdminClient, Console
from tests.integration.conftest import activities


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


async def _prompt_rows(console: Console) -> list[tuple[int, str, int | None, int, bool, str]]:
    async with console.db.connect() as conn:
        rows = await conn.execute(
            text("SELECT id, type, requisition_id, version, is_active, template_content FROM prompts ORDER BY id")
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_the_list_shows_global_and_per_requisition_versions_and_which_is_active(
    console: Console,
    admin: AdminClient,
) -> None:
    await seed_default_prompts(console.db)
    [requisition] = await make_requisitions(console.db, 1)
    override = await create_prompt_version(
        console.db,
        prompt_type="interview",
        requisition_id=requisition,
        template_content="Ask about forklifts.",
        created_by="lee",
        activate=True,
    )
    page = await admin.get("/admin/prompts")
    assert page.status_code == 200
    shown = _text(page.text)
    for heading in ("Résumé analysis", "Interview", "Evaluation"):
        assert heading in shown
    assert "Global (all requisitions)" in shown
    assert f"Requisition {requisition} · Requisition 1" in shown
    assert f'href="/admin/prompts/{override.id}">v1</a>' in page.text
    assert shown.count("active") - shown.count("inactive") >= 4  # three global defaults and the override
    assert "lee" in shown and "system" in shown


async def test_creating_a_version_adds_a_row_and_leaves_the_old_one_unchanged(
    console: Console,
    admin: AdminClient,
) -> None:
    await seed_default_prompts(console.db)
    before = await _prompt_rows(console)
    form = await admin.get("/admin/prompts/new?type=evaluation")
    assert form.status_code == 200
    [old] = [row for row in before if row[1] == "evaluation"]
    assert html.escape(old[5].splitlines()[0], quote=False) in form.text  # prefilled with the active text

    saved = await admin.post(
        "/admin/prompts",
        data={
            "type": "evaluation",
            "requisition_id": "",
            "template_content": "Score each answer 1 to 5.\r\nBe fair.",
            "activate": "on",
        },
    )
    # A new text has no fairness check yet: going live at once needs an admin's written reason.
    assert saved.status_code == 422 and "cannot go live before a fairness check" in _text(saved.text)
    assert await _prompt_rows(console) == before
    saved = await admin.post(
        "/admin/prompts",
        data={
            "type": "evaluation",
            "requisition_id": "",
            "template_content": "Score each answer 1 to 5.\r\nBe fair.",
            "activate": "on",
            "override_reason": "Scale agreed with the hiring panel",
        },
    )
    assert saved.status_code == 303
    after = await _prompt_rows(console)
    assert after[: len(before)] == [(*row[:4], False if row[0] == old[0] else row[4], row[5]) for row in before]
    [new] = after[len(before) :]
    assert new[1:] == ("evaluation", None, 2, True, "Score each answer 1 to 5.\nBe fair.")
    assert saved.headers["location"] == f"/admin/prompts/{new[0]}"
    [created] = await activities(console.db, "prompt_version_created")
    assert created.actor == "console:admin-user" and created.details["version"] == 2
    assert len(await activities(console.db, "prompt_activated")) == 1
    [override] = await activities(console.db, "prompt_activation_overridden")
    assert override.details["reason"] == "Scale agreed with the hiring panel"
    detail = await admin.get(saved.headers["location"])
    assert "Saved version 2 of the evaluation prompt for all requisitions. It is now the active version." in (
        _text(detail.text)
    )


async def test_activate_switches_the_active_version(console: Console, admin: AdminClient) -> None:
    [requisition] = await make_requisitions(console.db, 1)
    first = await create_prompt_version(
        console.db,
        prompt_type="interview",
        requisition_id=requisition,
        template_content="Version one.",
        created_by="lee",
        activate=True,
    )
    second = await create_prompt_version(
        console.db,
        prompt_type="interview",
        requisition_id=requisition,
        template_content="Version two.",
        created_by="lee",
        activate=False,
    )
    page = await admin.get(f"/admin/prompts/{second.id}")
    assert "Activate version 2" in page.text and "No fairness check of this version yet" in _text(page.text)
    refused = await admin.post(f"/admin/prompts/{second.id}/activate")
    assert refused.status_code == 303
    shown = _text((await admin.get(refused.headers["location"])).text)
    assert "Version 2 of the interview prompt has no passing fairness check" in shown
    versions = await prompt_versions(console.db, prompt_type="interview", requisition_id=requisition)
    assert [(v.id, v.is_active) for v in versions] == [(second.id, False), (first.id, True)]
    done = await admin.post(f"/admin/prompts/{second.id}/activate", data={"override_reason": "Rollback of v1 typo"})
    assert done.status_code == 303
    versions = await prompt_versions(console.db, prompt_type="interview", requisition_id=requisition)
    assert [(v.id, v.is_active) for v in versions] == [(second.id, True), (first.id, False)]
    entry = (await activities(console.db, "prompt_activated"))[-1]
    assert entry.actor == "console:admin-user" and entry.details["version"] == 2
    after = await admin.get(f"/admin/prompts/{second.id}")
    assert "is now the active one" in after.text and "Activate version 2" not in after.text


async def test_the_diff_marks_added_and_removed_lines_against_the_previous_version(
    console: Console,
    admin: AdminClient,
) -> None:
    await create_prompt_version(
        console.db,
        prompt_type="resume_analysis",
        requisition_id=None,
        template_content="Read the résumé.\nList the skills.\nBe brief.",
        created_by="lee",
        activate=True,
    )
    second = await create_prompt_version(
        console.db,
        prompt_type="resume_analysis",
        requisition_id=None,
        template_content="Read the résumé.\nList skills with evidence.\nBe brief.",
        created_by="lee",
        activate=False,
    )
    page = await admin.get(f"/admin/prompts/{second.id}")
    assert page.status_code == 200
    assert re.search(r"<ins>.*?\+ List skills with evidence\.</ins>", page.text)
    assert re.search(r"<del>.*?− List the skills\.</del>", page.text)
    assert '<span class="same">  Read the résumé.</span>' in page.text
    assert "Changes since" in page.text and "version 1" in page.text


async def test_markup_in_a_template_is_shown_as_text(console: Console, admin: AdminClient) -> None:
    first = await create_prompt_version(
        console.db,
        prompt_type="interview",
        requisition_id=None,
        template_content="Be kind.",
        created_by="lee",
        activate=True,
    )
    second = await create_prompt_version(
        console.db,
        prompt_type="interview",
        requisition_id=None,
        template_content="Be kind.\n<script>alert('x')</script>",
        created_by="lee",
        activate=True,
    )
    for prompt_id in (first.id, second.id):
        page = await admin.get(f"/admin/prompts/{prompt_id}")
        assert "<script>alert" not in page.text
    page = await admin.get(f"/admin/prompts/{second.id}")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    form = await admin.get("/admin/prompts/new?type=interview")
    assert "<script>alert" not in form.text and "&lt;script&gt;" in form.text


async def test_a_recruiter_can_read_prompts_but_not_create_or_activate(
    console: Console,
    recruiter: AdminClient,
) -> None:
    await seed_default_prompts(console.db)
    inactive = await create_prompt_version(
        console.db,
        prompt_type="interview",
        requisition_id=None,
        template_content="Draft.",
        created_by="lee",
        activate=False,
    )
    before = await _prompt_rows(console)
    page = await recruiter.get(f"/admin/prompts/{inactive.id}")
    assert page.status_code == 200 and "Activate version" not in page.text
    assert "New global version" not in (await recruiter.get("/admin/prompts")).text
    assert (await recruiter.get("/admin/prompts/new?type=interview")).status_code == 403
    created = await recruiter.post("/admin/prompts", data={"type": "interview", "template_content": "Mine."})
    activated = await recruiter.post(f"/admin/prompts/{inactive.id}/activate")
    assert (created.status_code, activated.status_code) == (403, 403)
    assert await _prompt_rows(console) == before


async def test_invalid_versions_are_refused_with_the_form_shown_again_and_nothing_saved(
    console: Console,
    admin: AdminClient,
) -> None:
    await seed_default_prompts(console.db)
    before = await _prompt_rows(console)
    cases = [
        ({"type": "interview", "template_content": "  \r\n "}, "The prompt is empty"),
        ({"type": "horoscope", "template_content": "Read the stars."}, "There is no prompt type “horoscope”"),
        ({"type": "interview", "requisition_id": "4242", "template_content": "Hi."}, "There is no requisition 4242"),
        (
            {"type": "interview", "requisition_id": "four", "template_content": "Hi."},
            "The requisition id must be a whole number",
        ),
        (
            {"type": "interview", "template_content": "x" * 50_001},
            "The prompt is 50,001 characters long; the limit is 50,000.",
        ),
    ]
    for data, sentence in cases:
        refused = await admin.post("/admin/prompts", data=data)
        assert refused.status_code == 422, data
        assert "Nothing was saved" in refused.text and sentence in _text(refused.text)
        assert 'name="template_content"' in refused.text
    kept = await admin.post(
        "/admin/prompts", data={"type": "interview", "requisition_id": "4242", "template_content": "Keep <this> text."}
    )
    assert "Keep &lt;this&gt; text." in kept.text  # what was typed is shown again, escaped
    assert await _prompt_rows(console) == before
    assert await activities(console.db, "prompt_version_created") == []
    assert (await admin.get("/admin/prompts/new?type=horoscope")).status_code == 422
    assert (await admin.get("/admin/prompts/999999")).status_code == 404


async def test_a_new_requisition_version_starts_from_the_global_text(console: Console, admin: AdminClient) -> None:
    await seed_default_prompts(console.db)
    [requisition] = await make_requisitions(console.db, 1)
    form = await admin.get(f"/admin/prompts/new?type=interview&requisition_id={requisition}")
    assert form.status_code == 200
    assert "of the global prompt (the active one)" in _text(form.text)
    saved = await admin.post(
        "/admin/prompts",
        data={"type": "interview", "requisition_id": str(requisition), "template_content": "Ask about night shifts."},
    )
    assert saved.status_code == 303
    [own] = await prompt_versions(console.db, prompt_type="interview", requisition_id=requisition)
    assert (own.version, own.is_active, own.template_content) == (1, False, "Ask about night shifts.")
    again = await admin.get(f"/admin/prompts/new?type=interview&requisition_id={requisition}")
    assert "Ask about night shifts." in again.text and "requisition's own prompt" in _text(again.text)


async def test_the_prompt_page_queues_a_fairness_check_and_shows_its_result_labelled_offline(
    console: Console, admin: AdminClient
) -> None:
    await seed_default_prompts(console.db)
    [prompt] = await prompt_versions(console.db, prompt_type="resume_analysis")
    queued = await admin.post(f"/admin/prompts/{prompt.id}/fairness-check")
    assert queued.status_code == 303
    waiting = _text((await admin.get(queued.headers["location"])).text)
    assert "is queued" in waiting and "waiting for a worker" in waiting
    redactor = IsolatedRedactor()
    try:
        runner = FairnessRunner(
            engine=console.db,
            llm=OfflineLLM(),
            redactor=redactor,
            thresholds=Thresholds(),
            provider="offline",
            model="rules",
        )
        assert await run_requested_checks(runner, requisition_id=None, actor="processor:fairness_check") == 1
    finally:
        await redactor.aclose()
    shown = _text((await admin.get(f"/admin/prompts/{prompt.id}")).text)
    assert "offline/rules" in shown and "Offline scorer: only input identity is meaningful" in shown
    assert "Identical model input:" in shown and "Race / ethnicity" in shown and "Disability" in shown
    assert ("passed" in shown) != ("failed" in shown)
