"""Candidate-link tokens: mint one for an email, find the application a link belongs to."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.domain.candidate_tokens import hash_candidate_token, new_candidate_token

_INSERT_CANDIDATE_TOKEN = text("""
    INSERT INTO candidate_tokens (token_hash, application_id) VALUES (:token_hash, :application_id)
""")
_SELECT_APPLICATION_BY_TOKEN = text("""
    SELECT application_id FROM candidate_tokens WHERE token_hash = :token_hash
""")


async def mint_candidate_token(conn: AsyncConnection, application_id: int) -> str:
    """A new clear token for the application's candidate pages; only its hash is stored."""
    token, token_hash = new_candidate_token()
    await conn.execute(_INSERT_CANDIDATE_TOKEN, {"token_hash": token_hash, "application_id": application_id})
    return token


async def application_for_token(conn: AsyncConnection, token: str) -> int | None:
    """The application a candidate link opens, or None (unknown, or its data deleted)."""
    if not token or len(token) > 128:
        return None
    row = (await conn.execute(_SELECT_APPLICATION_BY_TOKEN, {"token_hash": hash_candidate_token(token)})).first()
    return None if row is None else int(row.application_id)
