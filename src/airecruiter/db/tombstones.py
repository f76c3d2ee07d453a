"""Tombstones of deleted applications, and the key that makes them.

The key is derived from AIRECRUITER_SECRET_KEY when one is set. Without one, a random key is made
once and kept in the `settings` table (there is no key to encrypt it with), so tombstones still
match across restarts; once kept, that key stays in use even after a secret key is set, so the
tombstones made before still match. Changing AIRECRUITER_SECRET_KEY itself orphans the tombstones
made under the old one, as it does every secret encrypted with it.
"""

from __future__ import annotations

import secrets

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.domain.tombstones import TOMBSTONE_REASONS, application_fingerprint, derive_tombstone_key

TOMBSTONE_KEY_SETTING = "tombstones.hmac_key"  # the settings row's name, not a secret

_ADD = text("""
    INSERT INTO tombstones (application_hmac, reason) SELECT unnest(CAST(:hmacs AS text[])), :reason
    ON CONFLICT (application_hmac) DO NOTHING
""")
_FOUND = text("SELECT application_hmac FROM tombstones WHERE application_hmac = ANY(:hmacs)")
_KEEP_KEY = text("""
    INSERT INTO settings (key, value_encrypted) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING
""")
_READ_KEY = text("SELECT value_encrypted FROM settings WHERE key = :key")
# Deleting an application and syncing it from Workday take this per-application lock (two-key form,
# the first key a namespace of its own), in one order, so a sync never re-creates a row just deleted.
_LOCK_APPLICATIONS = text("""
    SELECT pg_advisory_xact_lock(1688, hashtext(s.external_id))
      FROM (SELECT external_id FROM unnest(CAST(:external_ids AS text[])) AS external_id
             ORDER BY external_id) AS s
""")


async def tombstone_key(conn: AsyncConnection, secret_key: str | None) -> bytes:
    """The tombstones' HMAC key: a random one kept earlier, else derived from the secret key, else a new random one."""
    kept = await conn.scalar(_READ_KEY, {"key": TOMBSTONE_KEY_SETTING})
    if kept is not None:
        return bytes.fromhex(str(kept))
    if secret_key:
        return derive_tombstone_key(secret_key)
    await conn.execute(_KEEP_KEY, {"key": TOMBSTONE_KEY_SETTING, "value": secrets.token_hex(32)})
    return bytes.fromhex(str(await conn.scalar(_READ_KEY, {"key": TOMBSTONE_KEY_SETTING})))


async def lock_external_applications(conn: AsyncConnection, external_ids: list[str]) -> None:
    """Hold, until the transaction ends, the lock that deletion and sync take on these Workday application ids."""
    if external_ids:
        await conn.execute(_LOCK_APPLICATIONS, {"external_ids": sorted(set(external_ids))})


async def add_tombstones(conn: AsyncConnection, *, key: bytes, external_ids: list[str], reason: str) -> None:
    """Leave a tombstone for each deleted Workday application id."""
    if reason not in TOMBSTONE_REASONS:
        raise ValueError(f"unknown tombstone reason {reason!r}")
    hmacs = [application_fingerprint(key, external_id) for external_id in external_ids]
    await conn.execute(_ADD, {"hmacs": hmacs, "reason": reason})


async def tombstoned(conn: AsyncConnection, *, key: bytes, external_ids: list[str]) -> set[str]:
    """Those of these Workday application ids whose data was deleted for good."""
    by_hmac = {application_fingerprint(key, external_id): external_id for external_id in external_ids}
    if not by_hmac:
        return set()
    rows = await conn.execute(_FOUND, {"hmacs": list(by_hmac)})
    return {by_hmac[row.application_hmac] for row in rows}
