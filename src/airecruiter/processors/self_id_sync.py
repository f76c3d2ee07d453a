"""The sync's demographics step: Workday's self-ID of an application into the `demographics` store.

The tenant's IDs become EEO-1 categories through WORKDAY_GENDER_MAP / WORKDAY_ETHNICITY_MAP; an
application without self-ID has no row (it counts as unknown). Log lines carry counts, never a value.
"""

from __future__ import annotations

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.demographics import (
    DemographicsRecord,
    forget_workday_demographics,
    store_workday_demographics,
)
from airecruiter.domain.self_identification import Classification, DemographicMaps
from airecruiter.ports.workday import Application

log = structlog.get_logger(__name__)


def classify(maps: DemographicMaps, application: Application) -> Classification | None:
    """The categories of the application's self-ID; None when Workday sent none."""
    found = application.self_identification
    if found is None:
        return None
    return maps.classify(
        gender_id=found.gender_id, ethnicity_ids=found.ethnicity_ids, hispanic_or_latino=found.hispanic_or_latino
    )


def demographics_current(maps: DemographicMaps, application: Application, stored: DemographicsRecord | None) -> bool:
    """True when the stored row already says what Workday says (an imported row always stands)."""
    if stored is not None and stored.source == "import":
        return True
    found = classify(maps, application)
    if stored is None or found is None:
        return stored is None and found is None
    return (stored.sex, stored.race_ethnicity) == (found.sex, found.race_ethnicity)


async def sync_demographics(
    conn: AsyncConnection, maps: DemographicMaps, *, application_id: int, application: Application
) -> bool:
    """Store (or drop) the application's Workday self-ID; True when the row changed. Refresh the outcome after."""
    found = classify(maps, application)
    if found is None:
        return await forget_workday_demographics(conn, application_id=application_id)
    if found.unmapped:
        # Which IDs is tenant configuration an operator can read in Workday; the count is enough here.
        log.warning("self_id_unmapped", application_id=application_id, unmapped_ids=found.unmapped)
    return await store_workday_demographics(
        conn, application_id=application_id, sex=found.sex, race_ethnicity=found.race_ethnicity
    )
