"""The console's candidate-text pages over HTTP: versions, a new version, activation, refusals, roles."""

from __future__ import annotations

import html
import re

from sqlalchemy import text

from tests.integration.admin_fixtures import AdminClient, Console
from tests.integration.conftest import activities


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


async def _versions(console: Console) -> list[tuple[str, int, bool, str]]:
    async with console.db.connect() as conn:
        rows = await conn.execute(text("SELECT kind, version, active, content FROM candidate_texts ORDER BY id"))
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_an_admin_edits_the_notice_text_and_activates_an_older_version_again(
    console: Console, admin: AdminClient
) -> None:
    listing = await admin.get("/admin/candidate-texts")
    assert listing.status_code == 200
    shown = _text(listing.text)
    for label in ("Advance notice email", "Invitation: how the AI is used", "Interview welcome page"):
        assert label in shown
    form = await admin.get("/admin/candidate-texts/new?kind=notice")
    assert form.status_code == 200 and "What the AI assesses" in form.text  # prefilled with the active text

    saved = await admin.post(
        "/admin/candidate-texts",
        data={
            "kind": "notice",
            "content": "We use AI for {role} at {company}.\r\n\r\n<i>Ask</i> {contact}.",
            "activate": "on",
        },
    )
    assert saved.status_code == 303
    notice = [v for v in await _versions(console) if v[0] == "notice"]
    assert [(v[1], v[2]) for v in notice] == [(1, False), (2, True)]
    assert notice[1][3] == "We use AI for {role} at {company}.\n\n<i>Ask</i> {contact}."
    detail = await admin.get(saved.headers["location"])
    shown = _text(detail.text)
    assert "Saved version 2 of the advance notice email text. Candidates read it from now on." in shown
    assert "&lt;i&gt;Ask&lt;/i&gt;" in detail.text and "<i>Ask</i>" not in detail.text  # escaped
    assert "added:" in detail.text  # the diff against version 1
    [created] = await activities(console.db, "candidate_text_version_created")
    assert created.actor == "console:admin-user" and created.details == {"kind": "notice", "version": 2}

    async with console.db.connect() as conn:
        version_one = await conn.scalar(text("SELECT id FROM candidate_texts WHERE kind = 'notice' AND version = 1"))
    activated = await admin.post(f"/admin/candidate-texts/{version_one}/activate")
    assert activated.status_code == 303
    assert [(v[1], v[2]) for v in await _versions(console) if v[0] == "notice"] == [(1, True), (2, False)]
    assert [a.details for a in await activities(console.db, "candidate_text_activated")] == [
        {"kind": "notice", "version": 2},
        {"kind": "notice", "version": 1},
    ]


async def test_an_unknown_placeholder_or_an_empty_text_is_refused_and_nothing_is_saved(
    console: Console, admin: AdminClient
) -> None:
    await admin.get("/admin/candidate-texts")  # the defaults are there
    before = await _versions(console)
    for content, sentence in [
        ("Hello {name}, we use AI.", "Unknown placeholder {name}"),
        ("   ", "The text must not be empty."),
        ("x" * 8001, "longer than 8000 characters"),
    ]:
        refused = await admin.post("/admin/candidate-texts", data={"kind": "welcome", "content": content})
        assert refused.status_code == 422
        assert sentence in _text(refused.text) and "Nothing was saved" in refused.text
    assert await _versions(console) == before
    assert (await admin.post("/admin/candidate-texts", data={"kind": "other", "content": "x"})).status_code == 404


async def test_a_recruiter_can_read_the_texts_but_not_change_them(console: Console, recruiter: AdminClient) -> None:
    page = await recruiter.get("/admin/candidate-texts")
    assert page.status_code == 200 and "Write a new version" not in page.text
    assert (await recruiter.get("/admin/candidate-texts/new?kind=notice")).status_code == 403
    created = await recruiter.post("/admin/candidate-texts", data={"kind": "notice", "content": "Mine."})
    async with console.db.connect() as conn:
        some_id = await conn.scalar(text("SELECT min(id) FROM candidate_texts"))
    activated = await recruiter.post(f"/admin/candidate-texts/{some_id}/activate")
    assert (created.status_code, activated.status_code) == (403, 403)
    assert len(await _versions(console)) == 3
