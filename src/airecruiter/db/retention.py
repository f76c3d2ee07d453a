"""What retention and erasure read and delete: an application's footprint, its rows, what is due.

An application's last activity is the latest of its status change (ours or Workday's), a
decision, an interview message and an email. Deleting its `applications` row cascades to every
table keyed by it (analyses, interviews and their messages, evaluations, reports, outbox rows,
queue items, candidate tokens, demographics, decisions, legal holds); its job history goes too
(an error message may quote a file name). The `outcomes` row has no foreign key and stays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

# The tables whose rows of an application deletion counts (the receipt lists them).
COUNTED_TABLES = (
    "analyses",
    "interviews",
    "evaluations",
    "reports",
    "email_outbox",
    "candidate_tokens",
    "demographics",
    "decisions",
)


@dataclass(frozen=True)
class UploadedReport:
    """A report we uploaded to Workday: Workday keeps it as the system of record."""

    application_id: int
    workday_document_id: str | None
    filename: str


@dataclass
class Footprint:
    """Everything outside the cascade that deleting these applications must also remove or name."""

    application_ids: list[int]
    external_application_ids: list[str] = field(default_factory=list)
    object_keys: list[str] = field(default_factory=list)
    message_ids: list[str] = field(default_factory=list)
    uploaded: list[UploadedReport] = field(default_factory=list)
    interview_messages: int = 0
    rows: dict[str, int] = field(default_factory=dict)


_LAST_ACTIVITY = """
    GREATEST(a.updated_at, a.workday_status_changed,
             (SELECT max(d.decided_at) FROM decisions d WHERE d.application_id = a.id),
             (SELECT max(m.created_at) FROM interview_messages m
                JOIN interviews i ON i.id = m.interview_id WHERE i.application_id = a.id),
             (SELECT max(COALESCE(o.sent_at, o.created_at)) FROM email_outbox o WHERE o.application_id = a.id))
"""
_HELD = """
    EXISTS (SELECT 1 FROM legal_holds h
             WHERE h.released_at IS NULL
               AND (h.application_id = a.id OR h.requisition_id = a.requisition_id))
"""
_DUE = text(
    f"SELECT a.id, {_HELD} AS held FROM applications a WHERE {_LAST_ACTIVITY} < :cutoff ORDER BY a.id"  # noqa: S608 - constant fragments
)
_APPLICATIONS_OF_CANDIDATE = text("SELECT id FROM applications WHERE external_candidate_id = :candidate ORDER BY id")
_IDENTITY = text("""
    SELECT id, external_application_id, artifacts FROM applications WHERE id = ANY(:ids) ORDER BY id
""")
_REPORTS = text("""
    SELECT application_id, s3_key, uploaded_to_workday, workday_document_id,
           row_number() OVER (PARTITION BY application_id ORDER BY created_at, id) AS version
      FROM reports WHERE application_id = ANY(:ids) ORDER BY application_id, id
""")
_MESSAGE_IDS = text("SELECT message_id FROM email_outbox WHERE application_id = ANY(:ids) ORDER BY id")
_INTERVIEW_MESSAGES = text("""
    SELECT count(*) FROM interview_messages m JOIN interviews i ON i.id = m.interview_id
     WHERE i.application_id = ANY(:ids)
""")
_DELETE_JOB_RUNS = text("DELETE FROM job_runs WHERE application_id = ANY(:ids)")
_DELETE_APPLICATIONS = text("DELETE FROM applications WHERE id = ANY(:ids)")


def _report_filename(application_id: int, version: int) -> str:
    # The attachment name upload_report gives Workday (processors.upload_report.report_filename).
    if version <= 1:
        return f"CandidateReport_{application_id}.pdf"
    return f"CandidateReport_{application_id}_v{version}.pdf"


async def due_for_deletion(conn: AsyncConnection, *, cutoff: dt.datetime) -> tuple[list[int], list[int]]:
    """Applications whose last activity is before `cutoff`: (free to delete, under a legal hold)."""
    rows = (await conn.execute(_DUE, {"cutoff": cutoff})).all()
    return [r.id for r in rows if not r.held], [r.id for r in rows if r.held]


async def applications_of_candidate(conn: AsyncConnection, *, external_candidate_id: str) -> list[int]:
    """The ids of every application of this Workday candidate."""
    rows = await conn.execute(_APPLICATIONS_OF_CANDIDATE, {"candidate": external_candidate_id})
    return [int(r.id) for r in rows]


def _artifact_keys(application_id: int, artifacts: object) -> list[str]:
    """Storage keys named in the application's artifacts (those under its own folder)."""
    prefix = f"applications/{application_id}/"
    values = artifacts.values() if isinstance(artifacts, dict) else []
    return [v for v in values if isinstance(v, str) and v.startswith(prefix)]


async def footprint(conn: AsyncConnection, application_ids: list[int]) -> Footprint:
    """Read what deleting these applications must remove outside the database, and count the rows."""
    found = Footprint(application_ids=list(application_ids))
    params = {"ids": found.application_ids}
    keys: list[str] = []
    for row in await conn.execute(_IDENTITY, params):
        found.external_application_ids.append(str(row.external_application_id))
        keys += _artifact_keys(int(row.id), row.artifacts)
    for row in await conn.execute(_REPORTS, params):
        keys.append(str(row.s3_key))
        if row.uploaded_to_workday:
            found.uploaded.append(
                UploadedReport(
                    int(row.application_id), row.workday_document_id, _report_filename(row.application_id, row.version)
                )
            )
    found.object_keys = list(dict.fromkeys(keys))
    found.message_ids = [str(r.message_id) for r in await conn.execute(_MESSAGE_IDS, params)]
    found.interview_messages = int(await conn.scalar(_INTERVIEW_MESSAGES, params) or 0)
    for table in COUNTED_TABLES:
        statement = text(f"SELECT count(*) FROM {table} WHERE application_id = ANY(:ids)")  # noqa: S608 - fixed names
        found.rows[table] = int(await conn.scalar(statement, params) or 0)
    return found


async def delete_application_rows(conn: AsyncConnection, application_ids: list[int]) -> int:
    """Delete the applications (the cascade takes their rows) and their job history; how many went."""
    params = {"ids": application_ids}
    await conn.execute(_DELETE_JOB_RUNS, params)
    return (await conn.execute(_DELETE_APPLICATIONS, params)).rowcount


_LAST_RETENTION = text("""
    SELECT max(finished_at) FROM job_runs WHERE job_type = 'retention' AND outcome = 'completed'
""")


async def last_retention_run(conn: AsyncConnection) -> dt.datetime | None:
    """When a retention job last completed (None: never, or longer ago than the job history keeps)."""
    value = await conn.scalar(_LAST_RETENTION)
    return value if isinstance(value, dt.datetime) else None


_CANDIDATE = text("""
    SELECT a.external_candidate_id,
           (SELECT count(*) FROM applications o WHERE o.external_candidate_id = a.external_candidate_id) AS applications
      FROM applications a WHERE a.id = :a
""")


async def candidate_of_application(conn: AsyncConnection, application_id: int) -> tuple[str, int] | None:
    """The Workday candidate id of the application and how many applications they have; None if gone."""
    row = (await conn.execute(_CANDIDATE, {"a": application_id})).one_or_none()
    return None if row is None else (str(row.external_candidate_id), int(row.applications))


_COMPLETED_CANDIDATE = text("""
    SELECT external_candidate_id FROM applications
     GROUP BY external_candidate_id HAVING bool_and(status = 'complete') AND count(*) = 1
     ORDER BY min(id) LIMIT 1
""")
_LATEST_RECEIPT = text("SELECT max(id) FROM erasure_receipts")


async def a_completed_candidate(conn: AsyncConnection) -> str | None:
    """The Workday id of a candidate whose every application went the whole way (the demo erases one)."""
    value = await conn.scalar(_COMPLETED_CANDIDATE)
    return None if value is None else str(value)


async def latest_receipt_id(conn: AsyncConnection) -> int | None:
    """The newest erasure receipt's id, if any."""
    value = await conn.scalar(_LATEST_RECEIPT)
    return None if value is None else int(value)
