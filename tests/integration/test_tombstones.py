"""Tombstones: the key that makes them, and what they hold (a keyed hash, never the Workday id)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.tombstones import add_tombstones, tombstone_key, tombstoned
from tests.integration.erasure_fixtures import SECRET_KEY, dump


async def test_the_key_is_derived_from_the_secret_key(db: AsyncEngine) -> None:
    async with db.begin() as conn:
        derived = await tombstone_key(conn, SECRET_KEY)
        again = await tombstone_key(conn, SECRET_KEY)
        other = await tombstone_key(conn, SECRET_KEY[::-1])
    assert derived == again and len(derived) == 32 and other != derived


async def test_without_a_secret_key_one_random_key_is_kept_and_stays_in_use(db: AsyncEngine) -> None:
    async with db.begin() as conn:
        first = await tombstone_key(conn, None)
    async with db.begin() as conn:
        again = await tombstone_key(conn, None)
        after_a_secret_key_is_set = await tombstone_key(conn, SECRET_KEY)
    assert first == again == after_a_secret_key_is_set and len(first) == 32


async def test_a_tombstone_matches_its_application_id_and_does_not_hold_it(db: AsyncEngine) -> None:
    async with db.begin() as conn:
        key = await tombstone_key(conn, SECRET_KEY)
        await add_tombstones(conn, key=key, external_ids=["JA-000123"], reason="erasure")
        await add_tombstones(conn, key=key, external_ids=["JA-000123"], reason="retention")  # no duplicate
        found = await tombstoned(conn, key=key, external_ids=["JA-000123", "JA-000124"])
        other_key = await tombstoned(conn, key=b"x" * 32, external_ids=["JA-000123"])
    assert found == {"JA-000123"} and other_key == set()
    assert "ja-000123" not in (await dump(db))["tombstones"]
