"""Candidate reports: the PDF's storage key, what it covers, and whether Workday has it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

_INSERT_REPORT = text("""
    INSERT INTO reports (application_id, s3_key, includes_analysis, includes_interview)
    VALUES (:application_id, :s3_key, :includes_analysis, :includes_interview)
    RETURNING id, application_id, s3_key, includes_analysis, includes_interview, uploaded_to_workday,
              workday_document_id, uploaded_at, created_at
""")
_SELECT_LATEST_REPORT = text("""
    SELECT id, application_id, s3_key, includes_analysis, includes_interview, uploaded_to_workday,
           workday_document_id, uploaded_at, created_at
      FROM reports WHERE application_id = :application_id ORDER BY created_at DESC, id DESC LIMIT 1
""")
_COUNT_REPORTS = text("SELECT count(*) FROM reports WHERE application_id = :application_id")
_SELECT_POSITION = text("""
    SELECT count(*) FROM reports
     WHERE application_id = (SELECT application_id FROM reports WHERE id = :id) AND id <= :id
""")
_MARK_UPLOADED = text("""
    UPDATE reports SET uploaded_to_workday = true, workday_document_id = :document_id, uploaded_at = :uploaded_at
     WHERE id = :id AND NOT uploaded_to_workday
    RETURNING id, application_id, s3_key, includes_analysis, includes_interview, uploaded_to_workday,
              workday_document_id, uploaded_at, created_at
""")


@dataclass(frozen=True)
class ReportRecord:
    """One generated report."""

    id: int
    application_id: int
    s3_key: str
    includes_analysis: bool
    includes_interview: bool
    uploaded_to_workday: bool
    workday_document_id: str | None
    uploaded_at: datetime | None
    created_at: datetime


def _record(row: Row[Any] | None) -> ReportRecord | None:
    return None if row is None else ReportRecord(**row._mapping)


async def insert_report(
    conn: AsyncConnection,
    *,
    application_id: int,
    s3_key: str,
    includes_analysis: bool,
    includes_interview: bool,
) -> ReportRecord:
    """Record a report stored under `s3_key`."""
    row = (
        await conn.execute(
            _INSERT_REPORT,
            {
                "application_id": application_id,
                "s3_key": s3_key,
                "includes_analysis": includes_analysis,
                "includes_interview": includes_interview,
            },
        )
    ).one()
    record = _record(row)
    assert record is not None
    return record


async def latest_report(conn: AsyncConnection, *, application_id: int) -> ReportRecord | None:
    """The application's newest report (the one Workday should have), or None."""
    return _record((await conn.execute(_SELECT_LATEST_REPORT, {"application_id": application_id})).first())


async def report_count(conn: AsyncConnection, *, application_id: int) -> int:
    """How many reports the application has had."""
    return int(await conn.scalar(_COUNT_REPORTS, {"application_id": application_id}) or 0)


async def report_position(conn: AsyncConnection, *, report_id: int) -> int:
    """Which of its application's reports this one is, counting from 1 in the order they were made."""
    return int(await conn.scalar(_SELECT_POSITION, {"id": report_id}) or 0)


async def mark_report_uploaded(
    conn: AsyncConnection,
    *,
    report_id: int,
    workday_document_id: str | None,
    uploaded_at: datetime,
) -> ReportRecord | None:
    """Record the upload; None when the report was marked uploaded already."""
    return _record(
        (
            await conn.execute(
                _MARK_UPLOADED, {"id": report_id, "document_id": workday_document_id, "uploaded_at": uploaded_at}
            )
        ).first()
    )
