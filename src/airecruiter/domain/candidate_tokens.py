"""Candidate links: a random token per email, only its SHA-256 hash stored, valid while the data lives.

The candidate's pages (notice, "I would rather be assessed by a person", accommodation, decision
receipt) are keyed by it; no login. Like interview tokens, the clear token exists only in the email
and the candidate's browser.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def hash_candidate_token(token: str) -> str:
    """The lower-case SHA-256 hex digest stored for a token (and looked up when a link is opened)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_candidate_token() -> tuple[str, str]:
    """A fresh token and its hash."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_candidate_token(token)


def candidate_url(frontend_url: str, token: str) -> str:
    """`{FRONTEND_URL}/candidate/{token}`: the candidate's page for this application."""
    return f"{frontend_url.rstrip('/')}/candidate/{token}"
