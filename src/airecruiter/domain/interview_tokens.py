"""Interview links: a random token for the candidate, and only its SHA-256 hash in the database.

The clear token exists in the invitation email and the candidate's browser, never in our tables,
so a copy of the database opens no interview.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

TOKEN_BYTES = 32  # 256 bits of randomness; token_urlsafe makes 43 URL-safe characters of them
INTERVIEW_VALID_DAYS = 7


def hash_interview_token(token: str) -> str:
    """The lower-case SHA-256 hex digest stored for a token (and looked up when a link is opened)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_interview_token() -> tuple[str, str]:
    """A fresh token and its hash."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_interview_token(token)


def interview_url(frontend_url: str, token: str) -> str:
    """`{FRONTEND_URL}/interview/{token}`."""
    return f"{frontend_url.rstrip('/')}/interview/{token}"


def interview_expiry(now: datetime, *, valid_days: int = INTERVIEW_VALID_DAYS) -> datetime:
    """When a link issued at `now` stops working."""
    return now + timedelta(days=valid_days)
