"""Interview tokens: random, URL-safe, stored only as their SHA-256, expiring after seven days."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

from airecruiter.domain.interview_tokens import (
    hash_interview_token,
    interview_expiry,
    interview_url,
    new_interview_token,
)


def test_a_new_token_is_url_safe_random_and_comes_with_its_sha256() -> None:
    tokens = {new_interview_token() for _ in range(50)}
    assert len(tokens) == 50
    for token, digest in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
        assert digest == hashlib.sha256(token.encode()).hexdigest() == hash_interview_token(token)
        assert re.fullmatch(r"[0-9a-f]{64}", digest)  # what the interviews table accepts


def test_the_link_and_the_expiry() -> None:
    assert interview_url("https://jobs.example.com/", "abc") == "https://jobs.example.com/interview/abc"
    issued = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert interview_expiry(issued) == issued + timedelta(days=7)
    assert interview_expiry(issued, valid_days=2) == issued + timedelta(days=2)
