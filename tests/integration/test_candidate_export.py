"""Access requests: the ZIP holds everything about the candidate (and nobody else), and no table is forgotten."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from airecruiter.adapters.storage.local import LocalStorage
from airecruiter.db.outcomes import refresh_outcome
from airecruiter.db.read_models.candidate_export import EXPORTED, LEFT_OUT
from airecruiter.db.request_register import record_request
from airecruiter.services.candidate_export import CandidateNotFoundError, export_candidate
from tests.integration import application_fixtures
from tests.integration.admin_fixtures import AdminClient, sign_in
from tests.integration.application_fixtures import REPORT_BYTES, RESUME_BYTES, StorageConsole, seed_application

console, admin = application_fixtures.console, application_fixtures.admin
CANDIDATE = "C-ACCESS-1"


async def _candidate_with_two_applications(db: AsyncEngine, storage: LocalStorage) -> tuple[int, int, int]:
    """Ada applied twice (one interviewed and reported, one analysed); Bob once. Returns Ada's ids and Bob's."""
    first = await seed_application(
        db, name="Ada Lovelace", email="ada@example.test", status="complete", storage=storage
    )
    second = await seed_application(
        db, name="Ada Lovelace", email="ada@example.test", status="analyzed", storage=storage, requisition="Data"
    )
    other = await seed_application(db, name="Bob Other", email="bob@example.test", status="complete", storage=storage)
    async with db.begin() as conn:
        await conn.execute(
            text("UPDATE applications SET external_candidate_id = :c WHERE id = ANY(:ids)"),
            {"c": CANDIDATE, "ids": [first.application_id, second.application_id]},
        )
        await conn.execute(
            text(
                "INSERT INTO decisions (application_id, decision, reason_code, note, decided_by)"
                " VALUES (:id, 'advance', 'skills_match', 'Strong systems answers', 'console:rita')"
            ),
            {"id": first.application_id},
        )
        for application_id in (first.application_id, other.application_id):
            await conn.execute(
                text(
                    "INSERT INTO demographics (application_id, sex, race_ethnicity, source)"
                    " VALUES (:id, 'Female', 'Asian', 'workday')"
                ),
                {"id": application_id},
            )
            await refresh_outcome(conn, application_id)
        await conn.execute(
            text(
                "INSERT INTO email_outbox (application_id, kind, version, message_id)"
                " VALUES (:id, 'interview_invitation', :v, :m)"
            ),
            {"id": first.application_id, "v": first.interview_id, "m": "<invite-ada@airecruiter.test>"},
        )
        await record_request(
            conn, kind="accommodation", application_id=second.application_id, request_text="Screen reader, please"
        )
    return first.application_id, second.application_id, other.application_id


def _archive(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _records(archive: zipfile.ZipFile, table: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(archive.read(f"records/{table}.json"))
    return rows


async def test_the_zip_holds_every_record_and_file_of_both_applications_and_nothing_of_anyone_else(
    console: StorageConsole,
) -> None:
    first, second, other = await _candidate_with_two_applications(console.db, console.storage)

    made = await export_candidate(console.db, console.storage, candidate_id=CANDIDATE, actor="console:ada-admin")

    archive = _archive(made.data)
    names = set(archive.namelist())
    assert {"README.txt", "manifest.json"} <= names
    assert {f"records/{table}.json" for table in EXPORTED} <= names
    assert {row["id"] for row in _records(archive, "applications")} == {first, second}
    assert {row["candidate_email"] for row in _records(archive, "applications")} == {"ada@example.test"}
    assert {row["requisition_name"] for row in _records(archive, "applications")} == {"Backend Engineer", "Data"}
    analyses = _records(archive, "analyses")
    assert len(analyses) == 2 and {(a["model"], a["prompt_version"]) for a in analyses} == {("offline-rules-v1", 3)}
    evaluation = _records(archive, "evaluations")[0]
    assert (evaluation["model"], evaluation["prompt_version"], evaluation["application_id"]) == (
        "offline-rules-v1",
        2,
        first,
    )
    assert [m["content"] for m in _records(archive, "interview_messages")] == [
        "Tell me about a migration.",
        "I moved orders to PostgreSQL.",
    ]
    assert all("token_hash" not in row for row in _records(archive, "interviews"))
    assert [d["note"] for d in _records(archive, "decisions")] == ["Strong systems answers"]
    assert [d["race_ethnicity"] for d in _records(archive, "demographics")] == ["Asian"]
    assert [o["application_id"] for o in _records(archive, "outcomes")] == [first]
    assert [e["message_id"] for e in _records(archive, "email_outbox")] == ["<invite-ada@airecruiter.test>"]
    assert [r["request_text"] for r in _records(archive, "candidate_requests")] == ["Screen reader, please"]
    assert {a["application_id"] for a in _records(archive, "activities")} == {first, second}
    assert all(row.get("application_id") != other for table in EXPORTED for row in _records(archive, table))
    assert b"Bob Other" not in made.data and b"bob@example.test" not in made.data

    transcript = archive.read(next(n for n in names if n.startswith("transcripts/"))).decode()
    assert "Candidate:\nI moved orders to PostgreSQL." in transcript
    resumes = sorted(n for n in names if "/resume/" in n)
    assert len(resumes) == 2 and all(archive.read(n) == RESUME_BYTES for n in resumes)
    reports = [n for n in names if "/reports/" in n]
    assert reports == [f"files/application-{first}/reports/report-{_records(archive, 'reports')[0]['id']}.pdf"]
    assert archive.read(reports[0]) == REPORT_BYTES
    readme = archive.read("README.txt").decode()
    assert "queue_items" in readme and "model" in readme and "console:ada-admin" in readme
    assert (made.files, made.missing_files, made.application_ids) == (3, 0, [first, second])


async def test_an_export_is_registered_as_a_done_access_request_with_an_activity_of_ids_and_counts(
    console: StorageConsole,
) -> None:
    first, second, _ = await _candidate_with_two_applications(console.db, console.storage)

    made = await export_candidate(console.db, console.storage, candidate_id=CANDIDATE, actor="cli")

    async with console.db.connect() as conn:
        request = (
            await conn.execute(text("SELECT * FROM candidate_requests WHERE id = :id"), {"id": made.request_id})
        ).one()
        activity = (await conn.execute(text("SELECT * FROM activities WHERE action = 'candidate_data_exported'"))).one()
    assert (request.kind, request.status, request.handled_by, request.application_id) == (
        "access",
        "done",
        "cli",
        second,
    )
    assert request.due_on is not None and request.handled_at is not None
    assert activity.details == {
        "request_id": made.request_id,
        "application_ids": [first, second],
        "records": made.records,
        "files": 3,
        "missing_files": 0,
    }
    assert CANDIDATE not in json.dumps(activity.details) and "Ada" not in json.dumps(activity.details)


async def test_a_file_gone_from_storage_is_listed_in_the_readme_not_a_failure(console: StorageConsole) -> None:
    seeded = await seed_application(console.db, status="complete", storage=console.storage)
    assert seeded.report_key is not None
    await console.storage.delete(seeded.report_key)
    async with console.db.connect() as conn:
        candidate = await conn.scalar(
            text("SELECT external_candidate_id FROM applications WHERE id = :id"), {"id": seeded.application_id}
        )

    made = await export_candidate(console.db, console.storage, candidate_id=candidate, actor="cli")

    archive = _archive(made.data)
    assert (made.files, made.missing_files) == (1, 1)
    assert "no longer in storage" in archive.read("README.txt").decode()
    assert json.loads(archive.read("manifest.json"))["missing_files"][0].endswith(".pdf")


async def test_an_unknown_candidate_is_refused_with_a_sentence_and_nothing_is_registered(
    console: StorageConsole,
) -> None:
    with pytest.raises(CandidateNotFoundError, match="No application of that Workday candidate"):
        await export_candidate(console.db, console.storage, candidate_id="C-NOBODY", actor="cli")
    async with console.db.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM candidate_requests")) == 0


# Tables with a column naming an application or a candidate (an id, a hash of one, a name, an email),
# or a foreign key to such a table.
_LINKED_TABLES = text("""
    WITH RECURSIVE linked(table_name) AS (
        SELECT DISTINCT c.table_name::text FROM information_schema.columns c
          JOIN information_schema.tables t USING (table_schema, table_name)
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
           AND (c.column_name LIKE '%application%' OR c.column_name LIKE '%candidate%')
        UNION
        SELECT child.relname::text FROM pg_constraint fk
          JOIN pg_class child ON child.oid = fk.conrelid
          JOIN pg_class parent ON parent.oid = fk.confrelid
          JOIN linked ON linked.table_name = parent.relname::text
         WHERE fk.contype = 'f'
    )
    SELECT table_name FROM linked ORDER BY table_name
""")


async def _linked(conn: AsyncConnection) -> set[str]:
    return {row.table_name for row in await conn.execute(_LINKED_TABLES)}


async def test_every_table_linked_to_a_candidate_is_exported_or_left_out_with_a_reason(db: AsyncEngine) -> None:
    async with db.connect() as conn:
        linked = await _linked(conn)
    forgotten = linked - set(EXPORTED) - set(LEFT_OUT)
    assert not forgotten, (
        f"{sorted(forgotten)} hold data about candidates but the access export neither copies them nor says why "
        "not: add each to EXPORTED (with its query) or LEFT_OUT (with the reason) in "
        "db/read_models/candidate_export.py"
    )
    assert {"applications", "interview_messages", "activities", "candidate_tokens"} <= linked
    assert all(reason.strip() for reason in LEFT_OUT.values())
    assert not set(EXPORTED) & set(LEFT_OUT)


async def test_the_schema_walk_finds_a_new_table_by_its_column_or_by_its_foreign_key(db: AsyncEngine) -> None:
    async with db.connect() as conn, conn.begin() as transaction:
        await conn.execute(text("CREATE TABLE scratch_holds (id bigint PRIMARY KEY, application_hmac text)"))
        await conn.execute(text("CREATE TABLE scratch_notes (hold_id bigint REFERENCES scratch_holds (id))"))
        found = await _linked(conn)
        await transaction.rollback()
    assert {"scratch_holds", "scratch_notes"} <= found


async def test_an_admin_downloads_the_zip_from_the_application_page(
    admin: AdminClient, console: StorageConsole
) -> None:
    first, _, _ = await _candidate_with_two_applications(console.db, console.storage)
    page = await admin.get(f"/admin/applications/{first}")
    assert f'action="/admin/applications/{first}/export"' in page.text

    answer = await admin.post(f"/admin/applications/{first}/export")

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/zip"
    assert answer.headers["content-disposition"].startswith('attachment; filename="candidate-export-')
    assert len(_records(_archive(answer.content), "applications")) == 2
    async with console.db.connect() as conn:
        assert await conn.scalar(text("SELECT handled_by FROM candidate_requests WHERE kind = 'access'")) == (
            "console:admin-user"
        )


async def test_a_recruiter_sees_no_export_button_and_cannot_post_one(console: StorageConsole) -> None:
    seeded = await seed_application(console.db, status="analyzed", storage=console.storage)
    recruiter = await sign_in(console, "recruiter")
    try:
        page = await recruiter.get(f"/admin/applications/{seeded.application_id}")
        assert page.status_code == 200 and "/export" not in page.text
        refused = await recruiter.post(f"/admin/applications/{seeded.application_id}/export")
        assert refused.status_code == 403
        missing_csrf = await recruiter.http.post(f"/admin/applications/{seeded.application_id}/export")
        assert missing_csrf.status_code == 403
    finally:
        await recruiter.aclose()
    async with console.db.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM candidate_requests")) == 0
