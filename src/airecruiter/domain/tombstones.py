"""Tombstones: what is left of a deleted application's identity, a keyed hash nobody can reverse.

HMAC-SHA256 with a key only this deployment holds: without the key a tombstone cannot be tested
against a guessed Workday id, with it sync can recognise the application and leave it out for good.
"""

from __future__ import annotations

import hashlib
import hmac

TOMBSTONE_REASONS = ("retention", "erasure")
_KEY_CONTEXT = b"airecruiter.tombstones.v1"


def derive_tombstone_key(secret_key: str) -> bytes:
    """The tombstone key derived from AIRECRUITER_SECRET_KEY (a separate key for a separate purpose)."""
    return hmac.new(secret_key.encode(), _KEY_CONTEXT, hashlib.sha256).digest()


def application_fingerprint(key: bytes, external_application_id: str) -> str:
    """HMAC(key, Workday application id) as 64 hex digits."""
    return hmac.new(key, external_application_id.strip().encode(), hashlib.sha256).hexdigest()
