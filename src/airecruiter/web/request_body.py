"""Request bodies read with a size cap: refused as soon as the declared or streamed size exceeds it."""

from __future__ import annotations

from fastapi import Request


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
