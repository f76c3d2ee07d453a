"""The candidate's pages over real HTTP: choosing a person, an accommodation, forgery and unknown links refused."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.candidate_tokens import mint_candidate_token
from tests.integration.admin_fixtures import Console, app_with, sign_in
from tests.integration.application_fixtures import seed_application
from tests.integration.interview_fixtures import rows, seed_interview, serving


@pytest.fixture
async def site(db: AsyncEngine, database_url: str, tmp_path: Path) -> AsyncIterator[Console]:
    """The web app with its outbox in a temporary directory."""
    async with serving(app_with(db, database_url, AIRECRUITER_DATA_DIR=str(tmp_path))) as url:
        yield Console(url, db)


async def _token(db: AsyncEngine, application_id: int) -> str:
    async with db.begin() as conn:
        return await mint_candidate_token(conn, application_id)


def _form_token(html: str) -> str:
    found = re.search(r'name="form_token" value="([0-9a-f]{64})"', html)
    assert found, html
    return found.group(1)


def _outbox(directory: Path) -> list[Path]:
    return list(directory.rglob("*.eml"))


async def _status(db: AsyncEngine, application_id: int) -> str:
    [row] = await rows(db, "SELECT status FROM applications WHERE id = :a", a=application_id)
    return str(row.status)


async def test_a_candidate_chooses_a_person_and_is_told_what_happens_next(site: Console, tmp_path: Path) -> None:
    seeded = await seed_application(site.db, status="interview_pending", interview_status="scheduled")
    token = await _token(site.db, seeded.application_id)
    async with httpx.AsyncClient(base_url=site.url) as http:
        home = await http.get(f"/candidate/{token}")
        assert home.status_code == 200 and "What the AI assesses" in home.text
        assert home.headers["content-security-policy"].startswith("default-src 'self'")
        page = await http.get(f"/candidate/{token}/person")
        confirmed = await http.post(f"/candidate/{token}/person", data={"form_token": _form_token(page.text)})
        assert confirmed.status_code == 303
        after = await http.get(confirmed.headers["location"])
    assert "a person will assess your application" in after.text
    assert await _status(site.db, seeded.application_id) == "human_review"
    assert len(_outbox(tmp_path)) == 2


async def test_a_forged_or_foreign_form_changes_nothing(site: Console) -> None:
    seeded = await seed_application(site.db, status="analyzed")
    token = await _token(site.db, seeded.application_id)
    async with httpx.AsyncClient(base_url=site.url) as http:
        page = await http.get(f"/candidate/{token}/person")
        forged = await http.post(f"/candidate/{token}/person", data={"form_token": "0" * 64})
        foreign = await http.post(
            f"/candidate/{token}/person",
            data={"form_token": _form_token(page.text)},
            headers={"Origin": "https://evil.example"},
        )
    assert (forged.status_code, foreign.status_code) == (403, 403)
    assert await _status(site.db, seeded.application_id) == "analyzed"


async def test_an_unknown_link_gets_the_same_plain_page_as_a_malformed_one(site: Console) -> None:
    async with httpx.AsyncClient(base_url=site.url) as http:
        unknown = await http.get("/candidate/" + "A" * 43)
        malformed = await http.get("/candidate/x")
        posted = await http.post("/candidate/" + "A" * 43 + "/person", data={"form_token": "0" * 64})
    assert unknown.status_code == malformed.status_code == posted.status_code == 404
    assert unknown.text == malformed.text and "does not open a page" in unknown.text


async def test_an_accommodation_request_is_checked_and_registered(site: Console) -> None:
    seeded = await seed_application(site.db, status="analyzed")
    token = await _token(site.db, seeded.application_id)
    async with httpx.AsyncClient(base_url=site.url) as http:
        page = await http.get(f"/candidate/{token}/accommodation")
        form = _form_token(page.text)
        too_long = await http.post(
            f"/candidate/{token}/accommodation", data={"form_token": form, "request": "x" * 4001}
        )
        sent = await http.post(
            f"/candidate/{token}/accommodation", data={"form_token": form, "request": "Extra time, please"}
        )
    assert too_long.status_code == 422 and "4000" in too_long.text
    assert sent.status_code == 303
    register = await rows(site.db, "SELECT kind, request_text FROM candidate_requests")
    assert [(r.kind, r.request_text) for r in register] == [("accommodation", "Extra time, please")]
    assert await _status(site.db, seeded.application_id) == "analyzed"


async def test_the_welcome_page_leads_to_the_confirmation_and_the_closed_link_says_why(site: Console) -> None:
    seeded = await seed_interview(site.db)
    application_id, interview_token = seeded.application_id, seeded.token
    async with httpx.AsyncClient(base_url=site.url) as http:
        welcome = await http.get(f"/interview/{interview_token}")
        assert f"/interview/{interview_token}/person" in welcome.text
        hop = await http.get(f"/interview/{interview_token}/person")
        assert hop.status_code == 303
        page = await http.get(hop.headers["location"])
        await http.post(hop.headers["location"], data={"form_token": _form_token(page.text)})
        closed = await http.get(f"/interview/{interview_token}")
    assert closed.status_code == 410 and "assessed by a person" in closed.text
    assert await _status(site.db, application_id) == "human_review"


async def test_a_recruiter_assesses_by_a_person_and_the_analysis_is_hidden(site: Console) -> None:
    seeded = await seed_application(site.db, status="analyzed")
    client = await sign_in(site, "recruiter")
    try:
        done = await client.post(f"/admin/applications/{seeded.application_id}/human-review")
        assert done.status_code == 303
        page = await client.get(f"/admin/applications/{seeded.application_id}")
        shown = await client.get(f"/admin/applications/{seeded.application_id}?show_ai=1")
        listed = await client.get("/admin/applications?status=human_review")
    finally:
        await client.aclose()
    assert "AI analysis hidden" in page.text and "Strong on Python" not in page.text
    assert "Strong on Python" in shown.text
    assert "badge-human-review" in listed.text
    [entry] = await rows(
        site.db,
        "SELECT actor FROM activities WHERE action = 'human_review_requested' AND application_id = :a",
        a=seeded.application_id,
    )
    assert entry.actor.endswith("recruiter-user")


async def test_the_recruiter_reads_the_accommodation_on_the_application_page(site: Console) -> None:
    seeded = await seed_application(site.db, status="analyzed")
    token = await _token(site.db, seeded.application_id)
    async with httpx.AsyncClient(base_url=site.url) as http:
        page = await http.get(f"/candidate/{token}/accommodation")
        await http.post(
            f"/candidate/{token}/accommodation",
            data={"form_token": _form_token(page.text), "request": "Questions <b>in writing</b>, please"},
        )
    client = await sign_in(site, "recruiter")
    try:
        detail = await client.get(f"/admin/applications/{seeded.application_id}")
    finally:
        await client.aclose()
    assert "Candidate requests" in detail.text
    assert "Questions &lt;b&gt;in writing&lt;/b&gt;, please" in detail.text
