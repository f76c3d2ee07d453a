"""Applications: upserted from Workday by their Workday id, moved through the pipeline by status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.activities import record_activity
from airecruiter.db.json_columns import from_json, to_json
from airecruiter.domain.activity_details import StatusChanged
from airecruiter.domain.artifacts import ApplicationArtifacts, ExtractionArtifacts, ResumeArtifacts
from airecruiter.domain.statuses import check_transition
from airecruiter.errors import TransientError

_SELECT_APPLICATION = text("""
    SELECT id, requisition_id, external_application_id, external_candidate_id, candidate_name,
           candidate_email, workday_status, workday_status_changed, workday_inactive, human_decision,
           status, artifacts, created_at, updated_at
      FROM applications WHERE id = :id
""")
_SELECT_APPLICATION_BY_EXTERNAL_ID = text("""
    SELECT id, requisition_id, external_application_id, external_candidate_id, candidate_name,
           candidate_email, workday_status, workday_status_changed, workday_inactive, human_decision,
           status, artifacts, created_at, updated_at
      FROM applications WHERE external_application_id = :external_id
""")
_SELECT_APPLICATIONS_BY_EXTERNAL_IDS = text("""
    SELECT id, requisition_id, external_application_id, external_candidate_id, candidate_name,
           candidate_email, workday_status, workday_status_changed, workday_inactive, human_decision,
           status, artifacts, created_at, updated_at
      FROM applications WHERE external_application_id = ANY(CAST(:external_ids AS text[]))
""")
_RESERVE_ID = text("SELECT nextval(pg_get_serial_sequence('applications', 'id'))")
_RESERVE_IDS = text("SELECT nextval(pg_get_serial_sequence('applications', 'id')) FROM generate_series(1, :n)")
# `previous` reads the row as it was before this statement, so the caller learns the old Workday
# status without a second round trip. Name and email follow Workday too: an address corrected
# there must reach the invitation.
_UPSERT_APPLICATION = text("""
    WITH previous AS (
        SELECT workday_status FROM applications WHERE external_application_id = :external_application_id
    )
    INSERT INTO applications AS a (id, requisition_id, external_application_id, external_candidate_id,
                                   candidate_name, candidate_email, workday_status, workday_status_changed,
                                   workday_inactive, human_decision, artifacts)
    VALUES (COALESCE(CAST(:id AS bigint), nextval(pg_get_serial_sequence('applications', 'id'))),
            :requisition_id, :external_application_id, :external_candidate_id, :candidate_name,
            :candidate_email, :workday_status, :workday_status_changed, :workday_inactive,
            :human_decision, CAST(:artifacts AS jsonb))
    ON CONFLICT (external_application_id) DO UPDATE
       SET workday_status = EXCLUDED.workday_status,
           workday_status_changed = CASE WHEN a.workday_status IS DISTINCT
      FROM EXCLUDED.workday_status
                                         THEN EXCLUDED.workday_status_changed ELSE a.workday_status_changed END,
           candidate_name = EXCLUDED.candidate_name,
           candidate_email = EXCLUDED.candidate_email,
           workday_inactive = EXCLUDED.workday_inactive,
           human_decision = EXCLUDED.human_decision,
           updated_at = now()
     WHERE a.workday_status IS DISTINCT FROM EXCLUDED.workday_status
        OR a.workday_inactive IS DISTINCT FROM EXCLUDED.workday_inactive
        OR a.human_decision IS DISTINCT FROM EXCLUDED.human_decision
        OR a.candidate_name IS DISTINCT FROM EXCLUDED.candidate_name
        OR a.candidate_email IS DISTINCT FROM EXCLUDED.candidate_email
    RETURNING id, requisition_id, external_application_id, external_candidate_id, candidate_name,
              candidate_email, workday_status, workday_status_changed, workday_inactive, human_decision,
              status, artifacts, created_at, updated_at, (a.xmax = 0) AS created, (SELECT workday_status
      FROM previous) AS previous_workday_status
""")
_UPDATE_STATUS = text("""
    UPDATE applications SET status = :target, updated_at = now()
     WHERE id = :id AND status = :expected
    RETURNING id, requisition_id, external_application_id, external_candidate_id, candidate_name,
              candidate_email, workday_status, workday_status_changed, workday_inactive, human_decision,
              status, artifacts, created_at, updated_at
""")
_MERGE_ARTIFACTS = text("""
    UPDATE applications SET artifacts = artifacts || CAST(:patch AS jsonb), updated_at = now()
     WHERE id = :id
    RETURNING id, requisition_id, external_application_id, external_candidate_id, candidate_name,
              candidate_email, workday_status, workday_status_changed, workday_inactive, human_decision,
              status, artifacts, created_at, updated_at
""")


class StatusConflictError(TransientError):
    """The application's status changed under a job; the retry looks again (and usually finds it done)."""


@dataclass(frozen=True)
class ApplicationRecord:
    """One application row; `artifacts` holds the résumé's storage key and what was learnt from it."""

    id: int
    requisition_id: int
    external_application_id: str
    external_candidate_id: str
    candidate_name: str
    candidate_email: str | None
    workday_status: str | None
    workday_status_changed: datetime | None
    workday_inactive: bool  # Workday shows a disposition, a withdrawal or do-not-hire
    status: str
    artifacts: ApplicationArtifacts
    created_at: datetime
    updated_at: datetime
    human_decision: str | None = None  # advanced / rejected as Workday shows it (domain.workday_decision)


@dataclass(frozen=True)
class ApplicationUpsert:
    """The application after an upsert, whether this call created it, and its Workday status before."""

    application: ApplicationRecord
    created: bool
    previous_workday_status: str | None


def _record(row: Row[Any]) -> ApplicationRecord:
    values = {name: row._mapping[name] for name in ApplicationRecord.__dataclass_fields__}
    values["artifacts"] = ApplicationArtifacts.from_json(from_json(values["artifacts"]))
    return ApplicationRecord(**values)


async def application_by_id(conn: AsyncConnection, *, application_id: int) -> ApplicationRecord | None:
    """The application with our id, or None."""
    row = (await conn.execute(_SELECT_APPLICATION, {"id": application_id})).first()
    return None if row is None else _record(row)


async def application_by_external_id(
    conn: AsyncConnection, *, external_application_id: str
) -> ApplicationRecord | None:
    """The application with this Workday Job_Application_ID, or None."""
    row = (await conn.execute(_SELECT_APPLICATION_BY_EXTERNAL_ID, {"external_id": external_application_id})).first()
    return None if row is None else _record(row)


async def applications_by_external_ids(
    conn: AsyncConnection, *, external_application_ids: list[str]
) -> dict[str, ApplicationRecord]:
    """The applications among these Workday Job_Application_IDs, by that id, in one query."""
    if not external_application_ids:
        return {}
    result = await conn.execute(_SELECT_APPLICATIONS_BY_EXTERNAL_IDS, {"external_ids": list(external_application_ids)})
    return {record.external_application_id: record for record in map(_record, result)}


async def reserve_application_ids(conn: AsyncConnection, *, count: int) -> list[int]:
    """`count` ids for applications not inserted yet, in one query."""
    if count <= 0:
        return []
    return [int(v) for v in (await conn.execute(_RESERVE_IDS, {"n": count})).scalars()]


async def reserve_application_id(conn: AsyncConnection) -> int:
    """An id for an application not inserted yet, so its résumé can be stored under it first."""
    value = await conn.scalar(_RESERVE_ID)
    assert value is not None
    return int(value)


async def upsert_application(
    conn: AsyncConnection,
    *,
    application_id: int | None,
    requisition_id: int,
    external_application_id: str,
    external_candidate_id: str,
    candidate_name: str,
    candidate_email: str | None,
    workday_status: str | None,
    workday_status_changed: datetime | None,
    artifacts: ResumeArtifacts | None,
    workday_inactive: bool = False,
    human_decision: str | None = None,
) -> ApplicationUpsert:
    """Insert the application (with `application_id` if one was reserved) or refresh what Workday owns.

    An existing application keeps its id, status and artifacts; its Workday status, name and email
    follow Workday. `previous_workday_status` is the status before this call (None when created).
    """
    params = {
        "id": application_id,
        "requisition_id": requisition_id,
        "external_application_id": external_application_id,
        "external_candidate_id": external_candidate_id,
        "candidate_name": candidate_name,
        "candidate_email": candidate_email,
        "workday_status": workday_status,
        "workday_status_changed": workday_status_changed,
        "workday_inactive": workday_inactive,
        "human_decision": human_decision,
        "artifacts": to_json({} if artifacts is None else artifacts.to_json()),
    }
    row = (await conn.execute(_UPSERT_APPLICATION, params)).first()
    if row is not None:
        created = bool(row.created)
        return ApplicationUpsert(_record(row), created, None if created else row.previous_workday_status)
    # Nothing Workday owns changed, so the row was left alone.
    existing = await application_by_external_id(conn, external_application_id=external_application_id)
    assert existing is not None
    return ApplicationUpsert(existing, created=False, previous_workday_status=existing.workday_status)


async def change_status(
    conn: AsyncConnection,
    *,
    application_id: int,
    expected: str,
    target: str,
    actor: str,
    queue_item_id: int | None = None,
) -> ApplicationRecord:
    """Move the application from `expected` to `target` and log `status_changed`, in the caller's transaction.

    The domain refuses illegal moves (IllegalTransitionError); a status that is no longer
    `expected` raises StatusConflictError and changes nothing.
    """
    expected, target = str(expected), str(check_transition(expected, target))
    row = (await conn.execute(_UPDATE_STATUS, {"id": application_id, "expected": expected, "target": target})).first()
    if row is None:
        raise StatusConflictError(
            f"Application {application_id} is no longer {expected!r}: another job changed it first. "
            "The job will look again."
        )
    application = _record(row)
    await record_activity(
        conn,
        actor=actor,
        requisition_id=application.requisition_id,
        application_id=application_id,
        queue_item_id=queue_item_id,
        details=StatusChanged(from_status=expected, to_status=target),
    )
    return application


async def merge_artifacts(
    conn: AsyncConnection, *, application_id: int, artifacts: ResumeArtifacts | ExtractionArtifacts
) -> ApplicationRecord:
    """Store one step's artifacts, replacing what that step stored before and keeping the other's."""
    patch = to_json(artifacts.to_json())
    row = (await conn.execute(_MERGE_ARTIFACTS, {"id": application_id, "patch": patch})).one()
    return _record(row)
