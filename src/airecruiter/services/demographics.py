"""Self-identification imported by an auditor from a CSV file (`domain.demographics_import` reads it).

The whole file goes in one transaction or not at all: a bad line, or an application we do not hold,
stops it with every problem named by line. Each imported row replaces what the application had
(source 'import'), its outcome row is refreshed in the same transaction, and one activity entry
records the counts — never a value.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.applications import applications_by_external_ids
from airecruiter.db.demographics import (
    demographics_by_application_ids,
    existing_application_ids,
    store_imported_demographics,
)
from airecruiter.db.outcomes import refresh_outcome
from airecruiter.domain.demographics_import import (
    OUR_ID,
    WORKDAY_ID,
    DemographicsImported,
    ImportFile,
    ImportProblems,
    read_import,
)
from airecruiter.errors import ValidationError


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows read, rows new to the store, rows that replaced an earlier one."""

    rows: int
    created: int
    replaced: int


async def _resolve(conn: AsyncConnection, parsed: ImportFile) -> dict[int, int]:
    """Line → our application id; ImportProblems naming each line whose application we do not hold."""
    refs = [row.application_ref for row in parsed.rows]
    if parsed.by_workday_id:
        found = {k: r.id for k, r in (await applications_by_external_ids(conn, external_application_ids=refs)).items()}
    else:
        held = await existing_application_ids(conn, application_ids=[int(r) for r in refs])
        found = {str(i): i for i in held}
    column = WORKDAY_ID if parsed.by_workday_id else OUR_ID
    missing = [
        f"line {row.line}: no application has this {column}" for row in parsed.rows if row.application_ref not in found
    ]
    if missing:
        raise ImportProblems(missing)
    return {row.line: found[row.application_ref] for row in parsed.rows}


async def import_demographics(engine: AsyncEngine, data: str, *, actor: str) -> ImportResult:
    """Import an auditor's self-ID CSV, all rows or none; ValidationError naming every bad line."""
    try:
        parsed = read_import(data)
        async with engine.begin() as conn:
            ids = await _resolve(conn, parsed)
            before = await demographics_by_application_ids(conn, application_ids=list(ids.values()))
            for row in parsed.rows:
                application_id = ids[row.line]
                await store_imported_demographics(
                    conn, application_id=application_id, sex=row.sex, race_ethnicity=row.race_ethnicity
                )
                await refresh_outcome(conn, application_id)
            result = ImportResult(rows=len(parsed.rows), created=len(parsed.rows) - len(before), replaced=len(before))
            column = WORKDAY_ID if parsed.by_workday_id else OUR_ID
            await record_activity(
                conn,
                actor=actor,
                details=DemographicsImported(result.rows, result.created, result.replaced, column),
            )
    except ImportProblems as exc:
        raise ValidationError(str(exc)) from None
    return result
