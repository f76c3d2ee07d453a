"""The `demographics` store: one row per application, voluntary self-identification only.

Written by the sync (source 'workday') and by the auditor's CSV import (source 'import'); read only
by the audit code. A sync never overwrites an imported row: the import is a person's deliberate
correction, the sync runs every minute. Callers refresh the application's outcome row in the same
transaction (`db.outcomes.refresh_outcome`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection


@dataclass(frozen=True)
class DemographicsRecord:
    """One stored self-identification (values never in a repr)."""

    application_id: int
    sex: str
    race_ethnicity: str
    source: str

    def __repr__(self) -> str:
        return f"DemographicsRecord(application_id={self.application_id}, source={self.source!r})"


_UPSERT_FROM_WORKDAY = text("""
    INSERT INTO demographics (application_id, sex, race_ethnicity, source, imported_at)
    VALUES (:application_id, :sex, :race_ethnicity, 'workday', now())
    ON CONFLICT (application_id) DO UPDATE
       SET sex = EXCLUDED.sex, race_ethnicity = EXCLUDED.race_ethnicity, imported_at = now()
     WHERE demographics.source = 'workday'
       AND (demographics.sex, demographics.race_ethnicity) IS DISTINCT FROM (EXCLUDED.sex, EXCLUDED.race_ethnicity)
    RETURNING application_id
""")
_DELETE_FROM_WORKDAY = text("""
    DELETE FROM demographics WHERE application_id = :application_id AND source = 'workday' RETURNING application_id
""")
_UPSERT_IMPORTED = text("""
    INSERT INTO demographics (application_id, sex, race_ethnicity, source, imported_at)
    VALUES (:application_id, :sex, :race_ethnicity, 'import', now())
    ON CONFLICT (application_id) DO UPDATE
       SET sex = EXCLUDED.sex, race_ethnicity = EXCLUDED.race_ethnicity, source = 'import', imported_at = now()
""")
_EXISTING_IDS = text("SELECT id FROM applications WHERE id = ANY(:ids)")
_BY_APPLICATIONS = text("""
    SELECT application_id, sex, race_ethnicity, source FROM demographics WHERE application_id = ANY(:ids)
""")


async def store_workday_demographics(
    conn: AsyncConnection, *, application_id: int, sex: str, race_ethnicity: str
) -> bool:
    """Upsert Workday's self-ID for the application; True when the row changed (an import is kept)."""
    params = {"application_id": application_id, "sex": sex, "race_ethnicity": race_ethnicity}
    return (await conn.execute(_UPSERT_FROM_WORKDAY, params)).first() is not None


async def forget_workday_demographics(conn: AsyncConnection, *, application_id: int) -> bool:
    """Workday no longer holds a self-ID for the application: drop the row it gave; True when one went."""
    return (await conn.execute(_DELETE_FROM_WORKDAY, {"application_id": application_id})).first() is not None


async def store_imported_demographics(
    conn: AsyncConnection, *, application_id: int, sex: str, race_ethnicity: str
) -> None:
    """Upsert an imported self-ID (source 'import'), replacing whatever the application had."""
    params = {"application_id": application_id, "sex": sex, "race_ethnicity": race_ethnicity}
    await conn.execute(_UPSERT_IMPORTED, params)


async def demographics_by_application_ids(
    conn: AsyncConnection, *, application_ids: list[int]
) -> dict[int, DemographicsRecord]:
    """The stored rows of these applications, by application id."""
    rows = await conn.execute(_BY_APPLICATIONS, {"ids": application_ids})
    return {r.application_id: DemographicsRecord(r.application_id, r.sex, r.race_ethnicity, r.source) for r in rows}


async def existing_application_ids(conn: AsyncConnection, *, application_ids: list[int]) -> set[int]:
    """Those of `application_ids` that name an application we hold."""
    return set((await conn.scalars(_EXISTING_IDS, {"ids": application_ids})).all())
