"""Everything the database holds about one Workday candidate, table by table, as JSON-ready rows.

`EXPORTED` names each table an access request copies (and what it holds); `LEFT_OUT` names each
table that links to a candidate but is not copied, with the reason. A test walks the schema and
fails on a table linked to a candidate that is in neither, so a new table cannot be forgotten.
Rows come out through PostgreSQL's `to_jsonb`, so a column added later is exported without a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from airecruiter.db.json_columns import from_json

EXPORTED: dict[str, str] = {
    "applications": "each application: the job applied for, Workday ids, name, email, statuses, stored-file details",
    "analyses": "the AI's résumé analyses, with provider, model, prompt version and input hash",
    "interviews": "each AI interview: when it was sent, started, completed (the link's hash is left out)",
    "interview_messages": "the interview transcript, message by message",
    "evaluations": "the AI's evaluations of the interview, with provider, model and prompt version",
    "reports": "the candidate reports made: storage key, what they include, upload to Workday",
    "decisions": "a person's decisions (advance, reject, hold) with reason code and note",
    "demographics": "voluntary self-identification (sex, race/ethnicity) and where it came from",
    "outcomes": "the de-identified outcome record kept for bias audits",
    "email_outbox": "the emails sent to the candidate: kind, message id, when sent",
    "candidate_requests": "the candidate's requests: a person instead of the AI, accommodation, access, erasure",
    "activities": "the activity log entries about the candidate's applications",
}
LEFT_OUT: dict[str, str] = {
    "queue_items": "pending background jobs: job type and ids only, nothing about the candidate",
    "job_runs": "the history of finished background jobs: job type, ids, timings, nothing about the candidate",
    "candidate_tokens": "hashes of the candidate's own links: secrets that identify a link, not information",
    "tombstones": "keyed hashes of deleted applications' Workday ids: nothing readable, and no live application",
    "erasure_receipts": "receipts of erasures already carried out, written without personal data",
    "legal_holds": "the employer's legal holds that suspend deletion: the employer's legal matter, not the"
    " candidate's data (GDPR Art. 15(4), 23(1)(j)); the hold itself is named if an erasure is refused",
}

# Each exported table's rows for the candidate's applications (:ids), oldest first.
_ROWS: dict[str, str] = {
    "applications": "SELECT to_jsonb(t) || jsonb_build_object('requisition_name', r.name,"
    " 'requisition_external_id', r.external_id)"
    " FROM applications t JOIN requisitions r ON r.id = t.requisition_id WHERE t.id = ANY(:ids) ORDER BY t.id",
    "analyses": "SELECT to_jsonb(t) FROM analyses t WHERE t.application_id = ANY(:ids) ORDER BY t.id",
    "interviews": "SELECT to_jsonb(t) - 'token_hash' FROM interviews t WHERE t.application_id = ANY(:ids)"
    " ORDER BY t.id",
    "interview_messages": "SELECT to_jsonb(m) || jsonb_build_object('application_id', i.application_id)"
    " FROM interview_messages m JOIN interviews i ON i.id = m.interview_id"
    " WHERE i.application_id = ANY(:ids) ORDER BY m.interview_id, m.seq",
    "evaluations": "SELECT to_jsonb(t) FROM evaluations t WHERE t.application_id = ANY(:ids) ORDER BY t.id",
    "reports": "SELECT to_jsonb(t) FROM reports t WHERE t.application_id = ANY(:ids) ORDER BY t.id",
    "decisions": "SELECT to_jsonb(t) FROM decisions t WHERE t.application_id = ANY(:ids) ORDER BY t.id",
    "demographics": "SELECT to_jsonb(t) FROM demographics t WHERE t.application_id = ANY(:ids)"
    " ORDER BY t.application_id",
    "outcomes": "SELECT to_jsonb(t) FROM outcomes t WHERE t.application_id = ANY(:ids) ORDER BY t.application_id",
    "email_outbox": "SELECT to_jsonb(t) FROM email_outbox t WHERE t.application_id = ANY(:ids) ORDER BY t.id",
    "candidate_requests": "SELECT to_jsonb(t) FROM candidate_requests t WHERE t.application_id = ANY(:ids)"
    " ORDER BY t.id",
    "activities": "SELECT to_jsonb(t) FROM activities t WHERE t.application_id = ANY(:ids) ORDER BY t.id",
}
assert set(_ROWS) == set(EXPORTED), "every exported table has its query"

_APPLICATION_IDS = text("SELECT id FROM applications WHERE external_candidate_id = :candidate ORDER BY id")


@dataclass(frozen=True)
class CandidateRecords:
    """The candidate's rows, per exported table (every table present, possibly empty)."""

    application_ids: list[int]
    tables: dict[str, list[dict[str, Any]]]

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The rows of one exported table."""
        return self.tables[table]

    def counts(self) -> dict[str, int]:
        """How many rows each table contributed."""
        return {table: len(rows) for table, rows in self.tables.items()}


async def candidate_application_ids(conn: AsyncConnection, *, candidate_id: str) -> list[int]:
    """The ids of every application of this Workday candidate, oldest first."""
    return [int(row.id) for row in await conn.execute(_APPLICATION_IDS, {"candidate": candidate_id})]


async def candidate_records(conn: AsyncConnection, *, candidate_id: str) -> CandidateRecords:
    """Every exported table's rows about the candidate (empty tables when there is no application)."""
    ids = await candidate_application_ids(conn, candidate_id=candidate_id)
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, query in _ROWS.items():
        result = await conn.execute(text(query), {"ids": ids})
        tables[table] = [from_json(row[0]) for row in result]
    return CandidateRecords(application_ids=ids, tables=tables)
