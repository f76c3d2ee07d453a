"""Requisitions as synced from Workday, with the settings a recruiter gives them here."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.activities import record_activity
from airecruiter.domain.console_activity import RequisitionSettingsChanged, SettingChange

_SELECT_REQUISITION = text("""
    SELECT id, external_id, name, detailed_description, recruiter_name, recruiter_email, workday_status,
           auto_send_interview, auto_send_on_status, lookback_hours, min_sync_interval_minutes, blind_education,
           notice_period_days, notice_given_on,
           last_activity_at,
           last_synced_at, active, created_at, updated_at
      FROM requisitions WHERE id = :id
""")
_LOCK_REQUISITION_BY_EXTERNAL_ID = text("""
    SELECT id, external_id, name, detailed_description, recruiter_name, recruiter_email, workday_status,
           auto_send_interview, auto_send_on_status, lookback_hours, min_sync_interval_minutes, blind_education,
           notice_period_days, notice_given_on,
           last_activity_at,
           last_synced_at, active, created_at, updated_at
      FROM requisitions WHERE external_id = :external_id FOR UPDATE
""")
_INSERT_REQUISITION = text("""
    INSERT INTO requisitions (external_id, name, detailed_description, recruiter_name, workday_status,
                              last_activity_at)
    VALUES (:external_id, :name, :detailed_description, :recruiter_name, :workday_status,
            CAST(:activity_at AS timestamptz))
    ON CONFLICT (external_id) DO NOTHING
    RETURNING id, external_id, name, detailed_description, recruiter_name, recruiter_email, workday_status,
              auto_send_interview, auto_send_on_status, lookback_hours, min_sync_interval_minutes, blind_education,
           notice_period_days, notice_given_on,
           last_activity_at,
              last_synced_at, active, created_at, updated_at
""")
_UPDATE_REQUISITION = text("""
    UPDATE requisitions
       SET name = :name, detailed_description = :detailed_description, recruiter_name = :recruiter_name,
           workday_status = :workday_status,
           last_activity_at = GREATEST(last_activity_at, CAST(:activity_at AS timestamptz)),
           updated_at = now()
     WHERE id = :id
    RETURNING id, external_id, name, detailed_description, recruiter_name, recruiter_email, workday_status,
              auto_send_interview, auto_send_on_status, lookback_hours, min_sync_interval_minutes, blind_education,
           notice_period_days, notice_given_on,
           last_activity_at,
              last_synced_at, active, created_at, updated_at
""")
_SELECT_MISSING_FROM = text("""
    SELECT id, external_id, name, detailed_description, recruiter_name, recruiter_email, workday_status,
           auto_send_interview, auto_send_on_status, lookback_hours, min_sync_interval_minutes, blind_education,
           notice_period_days, notice_given_on,
           last_activity_at,
           last_synced_at, active, created_at, updated_at
      FROM requisitions
     WHERE workday_status = ANY(CAST(:statuses AS text[])) AND NOT (external_id = ANY(CAST(:external_ids AS text[])))
     ORDER BY id
""")
_MARK_SYNCED = text("""
    UPDATE requisitions
       SET last_synced_at = :synced_at,
           last_activity_at = GREATEST(last_activity_at, CAST(:activity_at AS timestamptz))
     WHERE id = :id
""")

_SELECT_AUTO_SEND_STATUSES = text("""
    SELECT DISTINCT auto_send_on_status FROM requisitions
     WHERE active AND auto_send_interview AND auto_send_on_status IS NOT NULL
""")
_LOCK_SETTINGS = text("""
    SELECT auto_send_interview, auto_send_on_status, lookback_hours, min_sync_interval_minutes, active,
           blind_education, notice_period_days, notice_given_on
      FROM requisitions WHERE id = :id FOR UPDATE
""")
_UPDATE_SETTINGS = text("""
    UPDATE requisitions
       SET auto_send_interview = :auto_send_interview, auto_send_on_status = :auto_send_on_status,
           lookback_hours = :lookback_hours, min_sync_interval_minutes = :min_sync_interval_minutes,
           active = :active, blind_education = :blind_education,
           notice_period_days = :notice_period_days, notice_given_on = :notice_given_on, updated_at = now()
     WHERE id = :id
""")

# The fields Workday owns; everything else (auto-send, lookback, active...) is set here.
WORKDAY_FIELDS = ("name", "detailed_description", "recruiter_name", "workday_status")


@dataclass(frozen=True)
class RequisitionRecord:
    """One requisition row."""

    id: int
    external_id: str
    name: str
    detailed_description: str
    recruiter_name: str | None
    recruiter_email: str | None
    workday_status: str | None
    auto_send_interview: bool
    auto_send_on_status: str | None
    lookback_hours: int | None
    min_sync_interval_minutes: int
    last_activity_at: datetime | None
    last_synced_at: datetime | None
    active: bool
    created_at: datetime
    updated_at: datetime
    blind_education: bool = True  # the model sees `[INSTITUTION]` instead of a school's name
    notice_period_days: int = 0  # business days of advance notice before any AI step (NYC: 10)
    notice_given_on: date | None = None  # notice given in the job posting: the period counts from here


@dataclass(frozen=True)
class RequisitionUpsert:
    """The requisition after an upsert, whether it was new, and which Workday fields changed."""

    requisition: RequisitionRecord
    created: bool
    changed: tuple[str, ...]


@dataclass(frozen=True)
class RequisitionSettings:
    """What is set here rather than in Workday; an empty trigger status sends right after analysis."""

    auto_send_interview: bool
    auto_send_on_status: str | None
    lookback_hours: int | None
    min_sync_interval_minutes: int
    active: bool
    blind_education: bool = True  # school and university names replaced before the model reads a résumé
    notice_period_days: int = 0
    notice_given_on: date | None = None


def _plain(value: Any) -> Any:
    """A setting as the activity log keeps it: a date as its ISO form."""
    return value.isoformat() if isinstance(value, date) else value


def _record(row: Row[Any]) -> RequisitionRecord:
    return RequisitionRecord(**row._mapping)


async def requisition_by_id(conn: AsyncConnection, *, requisition_id: int) -> RequisitionRecord | None:
    """The requisition with our id, or None."""
    row = (await conn.execute(_SELECT_REQUISITION, {"id": requisition_id})).first()
    return None if row is None else _record(row)


async def upsert_requisition(
    conn: AsyncConnection,
    *,
    external_id: str,
    name: str,
    detailed_description: str,
    recruiter_name: str | None,
    workday_status: str | None,
    activity_at: datetime | None = None,
) -> RequisitionUpsert:
    """Create the requisition or update the fields Workday owns; `activity_at` only ever moves forward.

    Run inside a transaction: the row stays locked until it commits, so two syncs take turns.
    """
    fields: dict[str, Any] = {
        "name": name,
        "detailed_description": detailed_description,
        "recruiter_name": recruiter_name,
        "workday_status": workday_status,
    }
    params = {"external_id": external_id, "activity_at": activity_at, **fields}
    row = (await conn.execute(_LOCK_REQUISITION_BY_EXTERNAL_ID, {"external_id": external_id})).first()
    if row is None:
        inserted = (await conn.execute(_INSERT_REQUISITION, params)).first()
        if inserted is not None:
            return RequisitionUpsert(_record(inserted), created=True, changed=())
        # Another transaction created it just now; update that row instead.
        row = (await conn.execute(_LOCK_REQUISITION_BY_EXTERNAL_ID, {"external_id": external_id})).one()
    current = _record(row)
    changed = tuple(f for f in WORKDAY_FIELDS if getattr(current, f) != fields[f])
    newer_activity = activity_at is not None and (
        current.last_activity_at is None or activity_at > current.last_activity_at
    )
    if not changed and not newer_activity:
        return RequisitionUpsert(current, created=False, changed=())
    updated = (await conn.execute(_UPDATE_REQUISITION, {**params, "id": current.id})).one()
    return RequisitionUpsert(_record(updated), created=False, changed=changed)


async def requisitions_missing_from(
    conn: AsyncConnection,
    *,
    workday_statuses: list[str],
    external_ids: list[str],
) -> list[RequisitionRecord]:
    """Requisitions stored with one of `workday_statuses` whose Workday id is not in `external_ids`."""
    rows = await conn.execute(_SELECT_MISSING_FROM, {"statuses": workday_statuses, "external_ids": external_ids})
    return [_record(row) for row in rows]


async def mark_synced(
    conn: AsyncConnection,
    *,
    requisition_id: int,
    synced_at: datetime,
    activity_at: datetime | None,
) -> None:
    """Record a finished sync, and the newest activity it saw (which never moves backwards)."""
    await conn.execute(_MARK_SYNCED, {"id": requisition_id, "synced_at": synced_at, "activity_at": activity_at})


async def auto_send_statuses(conn: AsyncConnection) -> tuple[str, ...]:
    """The Workday statuses that trigger an interview on some active requisition, sorted."""
    return tuple(sorted(str(row[0]) for row in await conn.execute(_SELECT_AUTO_SEND_STATUSES)))


async def update_requisition_settings(
    conn: AsyncConnection,
    *,
    requisition_id: int,
    settings: RequisitionSettings,
    actor: str,
) -> dict[str, dict[str, Any]] | None:
    """Save the settings and log `requisition_settings_changed` with {field: {from, to}}, in the caller's transaction.

    Returns what changed (empty when nothing did, and then nothing is written), or None when there
    is no such requisition.
    """
    row = (await conn.execute(_LOCK_SETTINGS, {"id": requisition_id})).first()
    if row is None:
        return None
    current = RequisitionSettings(**row._mapping)
    changes = {
        f.name: {"from": getattr(current, f.name), "to": getattr(settings, f.name)}
        for f in fields(RequisitionSettings)
        if getattr(current, f.name) != getattr(settings, f.name)
    }
    if changes:
        await conn.execute(_UPDATE_SETTINGS, {"id": requisition_id, **settings.__dict__})
        details = RequisitionSettingsChanged(
            {
                name: SettingChange(before=_plain(change["from"]), after=_plain(change["to"]))
                for name, change in changes.items()
            }
        )
        await record_activity(conn, actor=actor, requisition_id=requisition_id, details=details)
    return changes


# As a recruiter would in the console for each requisition: interviews go out by themselves after
# the analysis (the demo's set-up; it records no settings change).
_AUTO_SEND_EVERYWHERE = text("UPDATE requisitions SET auto_send_interview = true WHERE NOT auto_send_interview")


async def send_interviews_automatically_everywhere(conn: AsyncConnection) -> None:
    """Turn on automatic interview invitations on every requisition, in the caller's transaction."""
    await conn.execute(_AUTO_SEND_EVERYWHERE)
