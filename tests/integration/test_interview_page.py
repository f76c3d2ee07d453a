"""The candidate's interview pages over real HTTP, as a browser without JavaScript uses them.

Every step is a form POST and a 303 back to the page; these tests read the HTML a candidate gets.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import lxml.html
import pytest
import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.prompts import seed_default_prompts
from airecruiter.domain.interview_rules import MAX_ANSWER_CHARS, RateLimit
from airecruiter.web.app import create_app
from airecruiter.web.interview_page import MAX_FORM_BYTES
from tests.integration.admin_fixtures import Console, console  # noqa: F401 - the fixture
from tests.integration.interview_fixtures import (
    CONTACT_EMAIL,
    FULL_ANSWERS,
    RECRUITER_EMAIL,
    FlakyLLM,
    interview_engine,
    rows,
    runtime_for,
    seed_interview,
    serving,
)

NAUGHTY_ANSWER = '<script>alert("pwned")</script> I led 3 launches & wrote the </textarea> runbook.'


@dataclass
class Site:
    """The whole app on loopback: a client that does not follow redirects, and the database."""

    http: httpx.AsyncClient
    db: AsyncEngine


@pytest.fixture
async def site(console: Console) -> AsyncIterator[Site]:  # noqa: F811 - the imported fixture
    """The console's app with the default prompts in its database."""
    await seed_default_prompts(console.db)
    async with httpx.AsyncClient(base_url=console.url, follow_redirects=False, timeout=30) as client:
        yield Site(client, console.db)


async def _served(db: AsyncEngine, database_url: str, **engine_options: object) -> AsyncIterator[httpx.AsyncClient]:
    await seed_default_prompts(db)
    app = create_app(runtime_for(database_url, db, interview_engine=interview_engine(db, **engine_options)))
    async with serving(app) as url, httpx.AsyncClient(base_url=url, follow_redirects=False, timeout=30) as client:
        yield client


def _doc(response: httpx.Response) -> lxml.html.HtmlElement:
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


def _text(doc: lxml.html.HtmlElement, xpath: str = "//main") -> str:
    return " ".join(" ".join(n.text_content().split()) for n in doc.xpath(xpath))


def _h1(doc: lxml.html.HtmlElement) -> str:
    [heading] = doc.xpath("//h1")
    return " ".join(heading.text_content().split())


def _transcript(doc: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    return [
        (li.get("class").split()[-1].removeprefix("msg-"), li.xpath("string(.//p[@class='msg-text'])"))
        for li in doc.xpath("//ol[@id='transcript']/li")
    ]


async def _start(client: httpx.AsyncClient, token: str) -> None:
    started = await client.post(f"/interview/{token}/start")
    assert started.status_code == 303, started.text
    assert started.headers["location"] == f"/interview/{token}#message-1"


async def _answer(client: httpx.AsyncClient, token: str, answer: str) -> httpx.Response:
    return await client.post(f"/interview/{token}/answer", data={"answer": answer})


async def test_a_candidate_without_javascript_takes_the_whole_interview(site: Site) -> None:
    seeded = await seed_interview(site.db)
    welcome = await site.http.get(f"/interview/{seeded.token}")
    assert welcome.status_code == 200
    doc = _doc(welcome)
    assert doc.get("lang") == "en"
    assert _h1(doc) == "Your interview for Backend Engineer"
    about = _text(doc)
    assert "Hello Jane" in about and "Acme Logistics" in about
    assert "about 4 questions and takes about 12 minutes" in about
    assert "An AI interviewer asks the questions" in about and "a person makes every decision" in about
    [alternative] = doc.xpath("//a[contains(., 'human interviewer or an accommodation')]")
    address = urlsplit(alternative.get("href"))
    assert (address.scheme, address.path) == ("mailto", RECRUITER_EMAIL)
    assert "accommodation" in parse_qs(address.query)["subject"][0]
    [form] = doc.xpath("//form[@id='start-form']")
    assert (form.get("method"), form.get("action")) == ("post", f"/interview/{seeded.token}/start")

    await _start(site.http, seeded.token)
    chat = _doc(await site.http.get(f"/interview/{seeded.token}"))
    assert _text(chat, "//p[@id='progress']") == "Question 1 of about 4"
    [(role, opening)] = _transcript(chat)
    assert role == "interviewer" and opening.endswith("?")
    assert chat.xpath("//label[@for='answer']") and chat.xpath("//textarea[@name='answer']")

    for number, answer in enumerate(FULL_ANSWERS, start=1):
        sent = await _answer(site.http, seeded.token, answer)
        assert sent.status_code == 303, sent.text
        if number < len(FULL_ANSWERS):
            assert sent.headers["location"] == f"/interview/{seeded.token}#message-{2 * number + 1}"
            chat = _doc(await site.http.get(f"/interview/{seeded.token}"))
            assert _transcript(chat)[-2] == ("candidate", answer)
            assert _text(chat, "//p[@id='progress']") == f"Question {number + 1} of about 4"
    assert sent.headers["location"] == f"/interview/{seeded.token}"

    end = await site.http.get(sent.headers["location"])
    assert end.status_code == 410
    end_doc = _doc(end)
    assert _h1(end_doc) == "Your interview is complete"
    assert "hiring team will be in touch" in _text(end_doc) and RECRUITER_EMAIL in _text(end_doc)
    stored = await rows(site.db, "SELECT status FROM interviews WHERE id = :i", i=seeded.interview_id)
    assert stored[0].status == "completed"


async def test_starting_twice_resumes_and_the_page_shows_the_transcript_so_far(
    site: Site,
) -> None:
    seeded = await seed_interview(site.db)
    await _start(site.http, seeded.token)
    await _answer(site.http, seeded.token, FULL_ANSWERS[0])
    again = await site.http.post(f"/interview/{seeded.token}/start")
    assert again.status_code == 303 and again.headers["location"].endswith("#message-3")
    chat = _doc(await site.http.get(f"/interview/{seeded.token}"))
    assert [r for r, _ in _transcript(chat)] == ["interviewer", "candidate", "interviewer"]
    assert _transcript(chat)[1][1] == FULL_ANSWERS[0]


async def test_an_unknown_link_gets_404_naming_whom_to_contact(site: Site) -> None:
    for token in ("B" * 43, "nope"):
        for response in (
            await site.http.get(f"/interview/{token}"),
            await site.http.post(f"/interview/{token}/start"),
            await _answer(site.http, token, "Hello there."),
        ):
            assert response.status_code == 404
            doc = _doc(response)
            assert _h1(doc) == "We could not find this interview"
            [link] = doc.xpath("//main//a[starts-with(@href, 'mailto:')]")
            assert urlsplit(link.get("href")).path == CONTACT_EMAIL


async def test_an_expired_link_gets_410_saying_so_and_whom_to_ask(site: Site) -> None:
    seeded = await seed_interview(site.db)
    async with site.db.begin() as conn:
        await conn.execute(
            text("UPDATE interviews SET expires_at = now() - interval '1 day' WHERE id = :i"),
            {"i": seeded.interview_id},
        )
    page = f"/interview/{seeded.token}"
    for response in (await site.http.get(page), await site.http.post(f"{page}/start")):
        assert response.status_code == 410
        doc = _doc(response)
        assert _h1(doc) == "This interview link has expired"
        assert "ask for a new link" in _text(doc) and RECRUITER_EMAIL in _text(doc)
        assert not doc.xpath("//form")


async def test_an_answer_over_the_limit_is_refused_with_how_long_it_is_and_kept_in_the_box(
    site: Site,
) -> None:
    seeded = await seed_interview(site.db)
    await _start(site.http, seeded.token)
    doc = _doc(await site.http.get(f"/interview/{seeded.token}"))
    assert "Up to 4,000 characters" in _text(doc, "//p[@id='answer-count']")  # said before anything is sent
    too_long = "x" * (MAX_ANSWER_CHARS + 12)
    refused = await _answer(site.http, seeded.token, too_long)
    assert refused.status_code == 422
    doc = _doc(refused)
    assert "4,012 characters long; the limit is 4,000" in _text(doc, "//p[@id='answer-error']")
    [box] = doc.xpath("//textarea[@id='answer']")
    assert box.text == too_long and box.get("aria-invalid") == "true"
    empty = _doc(await _answer(site.http, seeded.token, "   "))
    assert "Your answer is empty" in _text(empty, "//p[@id='answer-error']")
    stored = await rows(site.db, "SELECT role FROM interview_messages WHERE interview_id = :i", i=seeded.interview_id)
    assert [r.role for r in stored] == ["interviewer"]


async def test_a_request_over_the_size_cap_gets_413_and_the_chat(site: Site) -> None:
    seeded = await seed_interview(site.db)
    await _start(site.http, seeded.token)
    huge = await site.http.post(
        f"/interview/{seeded.token}/answer",
        content=b"answer=" + b"a" * MAX_FORM_BYTES,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert huge.status_code == 413
    assert "larger than 64 KB" in _text(_doc(huge), "//p[@id='answer-error']")
    emoji = await _answer(site.http, seeded.token, "🙂" * MAX_ANSWER_CHARS)  # 48 KB as a form: still accepted
    assert emoji.status_code == 303


async def test_answers_too_fast_say_how_many_seconds_to_wait(db: AsyncEngine, database_url: str) -> None:
    seeded = await seed_interview(db)
    async for client in _served(db, database_url, rate_limit=RateLimit(answers=1, window_seconds=60)):
        await _start(client, seeded.token)
        assert (await _answer(client, seeded.token, FULL_ANSWERS[0])).status_code == 303
        limited = await _answer(client, seeded.token, FULL_ANSWERS[1])
        assert limited.status_code == 429
        wait = int(limited.headers["retry-after"])
        assert 1 <= wait <= 60
        doc = _doc(limited)
        assert f"Wait {wait} seconds" in _text(doc, "//p[@id='answer-error']")
        assert doc.xpath("//textarea[@id='answer']")[0].text == FULL_ANSWERS[1]


async def test_a_reply_that_is_late_shows_the_answer_saved_and_a_way_to_check(
    db: AsyncEngine,
    database_url: str,
) -> None:
    seeded = await seed_interview(db)
    llm = FlakyLLM(failures=0)
    async for client in _served(db, database_url, llm=llm):
        await _start(client, seeded.token)
        llm.failures = llm.turns + 2  # this answer's reply, and the page's own retry of it, fail
        assert (await _answer(client, seeded.token, FULL_ANSWERS[0])).status_code == 303
        doc = _doc(await client.get(f"/interview/{seeded.token}"))
        assert _transcript(doc)[-1] == ("candidate", FULL_ANSWERS[0])
        assert "Your answer is saved" in _text(doc, "//p[@id='reply-notice']")
        assert doc.xpath("//p[@id='reply-notice']/a/@href") == [f"/interview/{seeded.token}"]
        assert doc.xpath("//form[@id='composer'][@hidden]"), "no answer box while the reply is missing"
        recovered = _doc(await client.get(f"/interview/{seeded.token}"))
        assert [r for r, _ in _transcript(recovered)] == ["interviewer", "candidate", "interviewer"]


async def test_pages_send_the_security_headers_and_are_never_cached(site: Site) -> None:
    seeded = await seed_interview(site.db)
    page = f"/interview/{seeded.token}"
    responses = [
        await site.http.get(page),
        await site.http.post(f"{page}/start"),
        await site.http.get(page),
        await site.http.get("/interview/" + "C" * 43),
    ]
    for response in responses:
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["referrer-policy"] == "no-referrer"
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "default-src 'self'" in csp
    for html in (responses[0].text, responses[2].text):
        doc = lxml.html.fromstring(html)
        assert [s.get("src") for s in doc.xpath("//script")] == ["/static/interview.js"]
        assert not doc.xpath("//*[@style]") and not doc.xpath("//style")
        assert all(href.startswith("/static/") for href in doc.xpath("//link/@href"))


async def test_markup_in_a_name_or_an_answer_is_shown_as_text(site: Site) -> None:
    seeded = await seed_interview(site.db, candidate_name="<script>alert(1)</script> Doe")
    welcome = await site.http.get(f"/interview/{seeded.token}")
    assert "<script>alert(1)</script>" not in welcome.text
    assert "Hello <script>alert(1)</script>" in _text(_doc(welcome))
    await _start(site.http, seeded.token)
    await _answer(site.http, seeded.token, NAUGHTY_ANSWER)
    chat = await site.http.get(f"/interview/{seeded.token}")
    assert "<script>alert(" not in chat.text and "</textarea> runbook" not in chat.text
    assert _transcript(_doc(chat))[1] == ("candidate", NAUGHTY_ANSWER)
    refused = await _answer(site.http, seeded.token, NAUGHTY_ANSWER + "x" * MAX_ANSWER_CHARS)
    assert "</textarea> runbook" not in refused.text
    assert _doc(refused).xpath("//textarea[@id='answer']")[0].text.startswith(NAUGHTY_ANSWER)


async def test_tokens_never_reach_the_logs(site: Site) -> None:
    seeded = await seed_interview(site.db)
    with structlog.testing.capture_logs() as events:
        await site.http.get(f"/interview/{seeded.token}")
        await _start(site.http, seeded.token)
        await _answer(site.http, seeded.token, FULL_ANSWERS[0])
        await site.http.get("/interview/" + "D" * 43)
    logged = repr(events)
    assert events and seeded.token not in logged and seeded.token_hash not in logged
