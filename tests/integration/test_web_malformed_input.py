"""Malformed and hostile requests get a 4xx with the security headers, never a 500."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.web.app import HSTS, SECURITY_HEADERS, create_app
from tests.integration.admin_fixtures import AdminClient, Console, sign_in
from tests.integration.interview_fixtures import runtime_for, seed_interview, serving

DEEP_JSON = b"[" * 1000 + b"]" * 1000
BIG_ID = "9" * 20

# Every list page and detail page of the console, with hostile query values and ids.
CONSOLE_GETS = [
    "/admin/applications?page=%C2%B2",  # page=² (a digit to str.isdigit, not to int())
    "/admin/applications?page=99999999999999999999",
    "/admin/applications?page=-1",
    "/admin/applications?q=%00",
    "/admin/applications?q=%ED%A0%80",  # a lone surrogate, as UTF-8 bytes
    "/admin/applications?sort=%00",
    "/admin/applications?requisition=%00",
    "/admin/applications?requisition=" + BIG_ID,
    f"/admin/applications/{BIG_ID}",
    "/admin/applications/%00",
    f"/admin/applications/{BIG_ID}/resume",
    f"/admin/applications/{BIG_ID}/report",
    "/admin/requisitions?page=%C2%B2",
    "/admin/requisitions?q=%00",
    f"/admin/requisitions/{BIG_ID}",
    "/admin/queue?page=%C2%B2",
    "/admin/queue?job_type=%00",
    "/admin/queue/dead?page=" + BIG_ID,
    f"/admin/queue/{BIG_ID}",
    "/admin/queue/%C2%B2",
    "/admin/prompts?page=%C2%B2",
    f"/admin/prompts/{BIG_ID}",
    "/admin/prompts/new?type=%00",
    "/admin/activity?page=%C2%B2",
    "/admin/activity?action=%00",
    "/admin/activity?application=" + BIG_ID,
    "/admin/activity?actor=%ED%A0%80",
    "/admin/login?next=%00",
]


@pytest.fixture
async def admin_client(console: Console) -> AsyncIterator[AdminClient]:
    client = await sign_in(console, "admin")
    yield client
    await client.aclose()


def assert_refused_cleanly(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500 or response.status_code in (200, 303), (
        response.status_code,
        response.request.url,
        response.text[:300],
    )
    for name in SECURITY_HEADERS:
        assert name in response.headers, (name, response.request.url)


@pytest.mark.parametrize("path", CONSOLE_GETS)
async def test_hostile_query_values_and_ids_never_break_a_console_page(admin_client: AdminClient, path: str) -> None:
    response = await admin_client.get(path)
    assert_refused_cleanly(response)
    assert response.status_code != 500


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"/admin/applications/{BIG_ID}/send-interview", {}),
        (f"/admin/applications/{BIG_ID}/reanalyze", {}),
        (f"/admin/applications/{BIG_ID}/regenerate-report", {}),
        (f"/admin/requisitions/{BIG_ID}/sync", {}),
        (f"/admin/requisitions/{BIG_ID}/settings", {"lookback_hours": BIG_ID}),
        (f"/admin/prompts/{BIG_ID}/activate", {}),
        ("/admin/queue/retry", {"item_id": BIG_ID}),
        ("/admin/queue/skip", {"item_id": "\x00"}),
    ],
)
async def test_hostile_form_values_never_break_a_console_action(
    admin_client: AdminClient, path: str, body: dict[str, str]
) -> None:
    response = await admin_client.post(path, body)
    assert_refused_cleanly(response)


@pytest.mark.parametrize(
    "field", [b"template_content=%ED%A0%80+lone", b"template_content=a%00b", b"requisition_id=%C2%B2"]
)
async def test_a_prompt_form_with_broken_text_is_refused_not_crashed(admin_client: AdminClient, field: bytes) -> None:
    body = b"csrf_token=" + admin_client.csrf_token.encode() + b"&type=resume_analysis&" + field
    response = await admin_client.http.post(
        "/admin/prompts", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert_refused_cleanly(response)


async def test_hostile_interview_requests_get_4xx_with_the_security_headers(console: Console) -> None:
    seeded = await seed_interview(console.db)
    async with httpx.AsyncClient(base_url=console.url, timeout=30) as http:
        await http.post(f"/api/interview/{seeded.token}/start")
        answers = f"/api/interview/{seeded.token}/answers"
        cases = [
            await http.post(answers, content=DEEP_JSON, headers={"content-type": "application/json"}),
            await http.post(answers, content=b'{"text": "\\ud800 lone surrogate"}'),
            await http.post(answers, content=b'{"text": "\\u0000"}'),
            await http.post(answers, content=b"\xff\xfe not utf-8"),
            await http.get("/api/interview/%00"),
            await http.get("/api/interview/" + "A" * 5000),
            await http.get("/interview/%ED%A0%80"),
            await http.post(f"/interview/{seeded.token}/answer", content=b"text=%ED%A0%80&csrf_token=x"),
            await http.get("/no/such/page"),
        ]
    for response in cases:
        assert_refused_cleanly(response)
        assert response.status_code != 500


async def _raw_request(base_url: str, request: bytes) -> bytes:
    """Send `request` as written and read the whole answer (the server closes after a refusal)."""
    host, port = base_url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(request)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), timeout=30)
    finally:
        writer.close()
        await writer.wait_closed()


async def test_a_400_mb_upload_to_the_login_form_is_refused_before_it_is_read(console: Console) -> None:
    answer = await _raw_request(
        console.url,
        b"POST /admin/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
        b"Content-Length: 419430400\r\n\r\n--x\r\n",
    )
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    assert head.startswith(b"http/1.1 413")
    assert b"content-security-policy" in head


async def test_a_streamed_body_is_cut_off_at_the_cap(console: Console) -> None:
    chunk = b"a" * 4096
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(20)) + b"0\r\n\r\n"
    answer = await _raw_request(
        console.url,
        b"POST /admin/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + chunked,
    )
    assert answer.lower().startswith(b"http/1.1 413")
    assert b"16 KB" in answer


async def test_errors_and_failures_carry_the_security_headers_and_hsts_behind_https(
    db: AsyncEngine, database_url: str
) -> None:
    app = create_app(runtime_for(database_url, db, FRONTEND_URL="https://jobs.example.test"))

    async def broken() -> None:
        raise RuntimeError("a bug of ours")

    app.add_api_route("/test-only/broken", broken)
    async with serving(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as http:
        for path, status in (("/no/such/page", 404), ("/test-only/broken", 500), ("/health/processor", None)):
            response = await http.get(path)
            if status:
                assert response.status_code == status
            for name in SECURITY_HEADERS:
                assert name in response.headers, (path, name)
            assert response.headers["strict-transport-security"] == HSTS
        assert "a bug of ours" not in (await http.get("/test-only/broken")).text
