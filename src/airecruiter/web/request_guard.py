"""The first thing every request meets: size caps, clean addresses, and the security headers.

A pure ASGI middleware, so it works before any route reads a byte:
- every body is capped by path before it is read (declared `Content-Length` at once, a streamed
  body as soon as it passes the cap): a 400 MB upload to the login form is refused, not spooled;
- a path or query string with NUL or another control character, or bytes that are not UTF-8, is
  refused with 400 (PostgreSQL cannot store NUL, and no page of ours has a use for them);
- every response, errors included, carries the security headers (and HSTS behind https).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

KILOBYTE = 1024
# The longest body each part of the site has a use for; the first matching prefix wins.
# The interview's endpoints cap their bodies themselves (32 and 64 KB) and answer in the page's own
# words; the caps here are the backstop above them.
BODY_CAPS: tuple[tuple[str, int], ...] = (
    ("/api/interview/", 64 * KILOBYTE),
    ("/interview/", 128 * KILOBYTE),
    ("/candidate/", 64 * KILOBYTE),  # an accommodation request: 4000 characters, percent-encoded
    ("/admin/login", 16 * KILOBYTE),
    ("/admin/prompts", 1024 * KILOBYTE),  # a 50,000-character template, percent-encoded
    ("/admin/", 64 * KILOBYTE),
    ("/", 16 * KILOBYTE),
)
# A refused body up to this size is read to its end before the answer, so the client sees the
# 413 rather than a reset connection; past it the connection is closed at once.
DRAIN_LIMIT = 1024 * KILOBYTE
_CONTROL = re.compile(rb"[\x00-\x1f\x7f]")
_CONTROL_TEXT = re.compile(r"[\x00-\x1f\x7f]")


class _BodyTooLargeError(Exception):
    """The streamed body passed its cap."""


def body_cap(path: str) -> int:
    """The largest body a request to `path` may send."""
    return next(cap for prefix, cap in BODY_CAPS if path.startswith(prefix))


def _address_problem(scope: Scope) -> str | None:
    """Why the request's path or query cannot be served, or None."""
    path: str = scope.get("path", "")
    query: bytes = scope.get("query_string", b"")
    raw_query = unquote_to_bytes(query.replace(b"+", b" "))
    if _CONTROL_TEXT.search(path) or _CONTROL.search(raw_query):
        return "The address contains a control character; check the link and try again."
    try:
        path.encode("utf-8")
        raw_query.decode("utf-8")
    except UnicodeError:
        return "The address contains bytes that are not text; check the link and try again."
    return None


class RequestGuard:
    """Caps bodies, refuses unusable addresses and stamps the security headers on every response."""

    def __init__(self, app: ASGIApp, *, headers: Mapping[str, str]) -> None:
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((k, v) for k, v in self.headers if k not in present),
                ]
            await send(message)

        problem = _address_problem(scope)
        if problem:
            await _refuse(scope, send_with_headers, 400, problem)
            return
        cap = body_cap(scope.get("path", "/"))
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            # A body of modest size is read and dropped, so the client (still sending) gets the answer.
            if declared.isdigit() and int(declared) <= DRAIN_LIMIT:
                await _drain(receive, DRAIN_LIMIT)
            await _refuse(scope, send_with_headers, 413, _too_large(cap))
            return
        received = 0
        body_done = False

        async def capped_receive() -> Message:
            nonlocal received, body_done
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_done = not message.get("more_body", False)
                if received > cap:
                    raise _BodyTooLargeError
            return message

        try:
            await self.app(scope, capped_receive, send_with_headers)
        except _BodyTooLargeError:
            if started:
                raise
            if not body_done:
                await _drain(receive, DRAIN_LIMIT)
            await _refuse(scope, send_with_headers, 413, _too_large(cap))


async def _drain(receive: Receive, limit: int) -> None:
    """Read and drop what is left of the body, up to `limit` bytes (then the connection is closed)."""
    dropped = 0
    while dropped <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        dropped += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def _too_large(cap: int) -> str:
    return f"The request is larger than the {cap // KILOBYTE} KB this page accepts; send less and try again."


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    """The refusal as JSON for the API (`{"error": sentence}`, as its other errors), plain text elsewhere."""
    if scope.get("path", "").startswith("/api/"):
        body, content_type = json.dumps({"error": message}).encode(), b"application/json"
    else:
        body, content_type = message.encode(), b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
