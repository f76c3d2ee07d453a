"""Request bodies read with a size cap: refused as soon as the declared or streamed size exceeds it."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request


class MalformedBodyError(Exception):
    """The body is not the JSON the endpoint takes."""


def parse_json(raw: bytes) -> Any:
    """The JSON document in `raw`; MalformedBodyError for bad UTF-8, bad JSON, or nesting too deep to parse."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise MalformedBodyError from exc


def is_storable_text(value: str) -> bool:
    """False for text with a lone surrogate ("\\ud800" in JSON): no database or mail can hold it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class BodyTooLargeError(Exception):
    """The body is larger than the endpoint accepts."""


async def read_capped_body(request: Request, limit: int) -> bytes:
    """The whole body, or BodyTooLargeError before more than `limit` bytes are held in memory."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise BodyTooLargeError
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError
        chunks.append(chunk)
    return b"".join(chunks)
