"""No demographic value reaches a model, a log line, an activity entry, a recruiter's or candidate's page,
an email or the report (DATA-LIFECYCLE.md).

The walk: the sandbox seeds self-ID (one application with distinctive answers), and an application
goes sync → analyze → invitation → the candidate's interview on its web pages → evaluate → report
through the real processors and the real Anthropic adapter against the fake Messages API, which keeps
every request. Then a recruiter and an admin open every console page, and a visitor every page outside
it (read from the app's routes). Everything said on the way is searched for every seeded ID, its
label and its EEO-1 category.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pypdfium2
import pytest
import structlog
from fastapi.routing import APIRoute

from airecruiter.adapters.llm import DEFAULT_MODEL, AnthropicLLM
from airecruiter.domain.demographics import RACE_ETHNICITY_CATEGORIES
from airecruiter.sandbox import seed
from airecruiter.sandbox.self_id import SEEDED_SELF_ID, US, SelfId
from airecruiter.web.app import create_app
from tests.integration.admin_fixtures import Console, sign_in
from tests.integration.fake_llm_server import ANALYSIS, EVALUATION, TURN, FakeLLMServer, Reply
from tests.integration.interview_fixtures import interview_engine, runtime_for, serving
from tests.integration.pipeline_fixtures import ANSWERS, Pipeline, application, interview_links, rows, synced

WALKED = "JA-000104"
WALKED_SELF_ID = SelfId(
    "Female",
    ("Native_Hawaiian_or_Other_Pacific_Islander" + US, "American_Indian_or_Alaska_Native" + US),
    False,
)  # stored as Female / Two or More Races


def forbidden() -> set[str]:
    """Every seeded ID, the label the tenant gives it, and every multi-word category."""
    values = {*RACE_ETHNICITY_CATEGORIES} - {"White", "Asian"}  # one-word ones are checked as words below
    for given in (*SEEDED_SELF_ID.values(), WALKED_SELF_ID):
        for ident in (given.gender, *given.ethnicities):
            if ident:
                values |= {ident, ident.removesuffix(US).replace("_", " ")}
    return {v for v in values if len(v) > 6}


WORDS = re.compile(r"\b(Female|Male|White|Asian|Hispanic|Latino|Latina)\b")


def leaks(where: str, text: str) -> list[str]:
    """What of the forbidden values `text` holds, labelled with where it was seen."""
    found = [value for value in forbidden() if value.casefold() in text.casefold()]
    found += WORDS.findall(text)
    return [f"{where}: {value}" for value in found]


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer.running() as fake:
        yield fake


@pytest.fixture
async def claude(fake_server: FakeLLMServer) -> AsyncIterator[AnthropicLLM]:
    fake_server.reset()
    llm = AnthropicLLM(api_key="sk-ant-test", model=DEFAULT_MODEL, base_url=fake_server.base_url, timeout=10)
    yield llm
    await llm.aclose()


def _get_routes(app: Any) -> list[str]:
    """The app's GET pages, read from the app (a new page is walked without editing this test)."""
    found: list[str] = []

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if isinstance(route, APIRoute) and "GET" in route.methods:
                found.append(route.path)
            elif hasattr(route, "original_router"):
                walk(route.original_router.routes)

    walk(app.routes)
    return sorted(set(found))


async def _candidate_interview(url: str, token: str, seen: list[tuple[str, str]]) -> None:
    """The candidate opens the link, starts, and answers until the interview is complete."""
    async with httpx.AsyncClient(base_url=url, follow_redirects=False, timeout=60) as http:
        page = f"/interview/{token}"
        seen.append((page, (await http.get(page)).text))
        assert (await http.post(f"{page}/start")).status_code == 303
        for answer in (*ANSWERS, *ANSWERS):
            seen.append((page, (await http.get(page)).text))
            sent = await http.post(f"{page}/answer", data={"answer": answer})
            assert sent.status_code == 303, sent.text
            if sent.headers["location"] == page:
                break
        end = await http.get(page)
        assert end.status_code == 410, "the interview did not finish"
        seen.append((page, end.text))


async def _console_pages(
    console: Console, app: Any, application_id: int, requisition_id: int, seen: list[tuple[str, str]]
) -> None:
    ids = {"application_id": application_id, "requisition_id": requisition_id}
    for role in ("recruiter", "admin"):
        user = await sign_in(console, role)
        for path in _get_routes(app):
            if "audit" in path or not path.startswith("/admin"):  # the auditor's pages are where the figures belong
                continue
            concrete = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(ids.get(m.group(1), 1)), path)
            response = await user.get(concrete)
            body = (
                response.text if "pdf" not in response.headers.get("content-type", "") else _pdf_text(response.content)
            )
            seen.append((f"{role} {concrete} ({response.status_code})", body))
        await user.aclose()


async def _public_pages(url: str, app: Any, token: str, seen: list[tuple[str, str]]) -> None:
    """Every page outside the console as a visitor without a session sees it (the candidate's among them)."""
    async with httpx.AsyncClient(base_url=url, follow_redirects=False, timeout=60) as http:
        for path in _get_routes(app):
            if path.startswith("/admin"):
                continue
            concrete = re.sub(r"\{(\w+)(:\w+)?\}", token, path)
            response = await http.get(concrete)
            seen.append((f"visitor {path} ({response.status_code})", response.text))


def _pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


async def test_no_demographic_value_reaches_a_model_a_log_a_page_or_the_report(
    pipeline: Pipeline,
    claude: AnthropicLLM,
    fake_server: FakeLLMServer,
    database_url: str,
    caplog: Any,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    pipeline.sandbox.tenant.application(WALKED).self_id = WALKED_SELF_ID
    walk = pipeline.with_context(llm=claude)
    seen: list[tuple[str, str]] = []
    with structlog.testing.capture_logs() as logs:
        rid = await synced(walk, seed.BACKEND_REQUISITION_ID)
        app_id = (await application(walk.db, WALKED)).id
        assert await rows(walk.db, "SELECT 1 FROM demographics WHERE application_id = :a", a=app_id)  # it was read
        fake_server.queue(Reply.answer(ANALYSIS))
        await walk.run("analyze", application_id=app_id)
        await walk.run("send_interview", application_id=app_id)
        [token] = interview_links(walk.emails())

        fake_server.queue(
            *[Reply.answer(TURN)] * 3, Reply.answer({"message": "Thank you, that is all.", "complete": True})
        )
        engine = interview_engine(walk.db, llm=claude)
        # The console reads the same artifacts directory the processors wrote to (the report, the résumé).
        web = create_app(
            runtime_for(database_url, walk.db, interview_engine=engine, AIRECRUITER_DATA_DIR=str(tmp_path))
        )
        async with serving(web) as url:
            await _candidate_interview(url, token, seen)
            fake_server.queue(Reply.answer(EVALUATION))
            await walk.run("evaluate", application_id=app_id)
            await walk.run("generate_report", application_id=app_id)
            await _console_pages(Console(url, walk.db), web, app_id, rid, seen)
            await _public_pages(url, web, token, seen)

    [(s3_key,)] = await rows(walk.db, "SELECT s3_key FROM reports WHERE application_id = :a", a=app_id)
    seen.append(("report PDF", _pdf_text(await walk.storage.get(s3_key))))
    seen += [(f"email {m['Subject']}", m.as_string()) for m in walk.emails()]
    seen += [(f"model request {i}", json.dumps(body)) for i, body in enumerate(fake_server.requests)]
    seen += [("log line", json.dumps(event, default=str)) for event in logs]
    seen += [("stdlib log", record.getMessage()) for record in caplog.records]
    details = await rows(walk.db, "SELECT action, details FROM activities")
    seen += [(f"activity {action}", json.dumps(detail)) for action, detail in details]

    assert len(fake_server.requests) >= 3  # analysis, interview turns, evaluation all went to the model
    assert any(where.startswith("recruiter /admin/applications/") for where, _ in seen)
    assert any(where == "report PDF" and text.strip() for where, text in seen)
    downloads = [where for where, _ in seen if where.endswith(("/report (200)", "/resume (200)"))]
    assert len(downloads) == 4, downloads  # the recruiter and the admin fetched both files
    assert any(where.startswith("visitor /api/interview/") for where, _ in seen)
    found = [leak for where, text in seen for leak in leaks(where, text)]
    assert found == []
