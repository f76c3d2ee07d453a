"""The access-request archive's pure parts: README, transcripts, paths, and CSV cells a spreadsheet cannot run."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

import pytest

from airecruiter.domain.csv_cells import neutralised
from airecruiter.domain.export_archive import (
    ArchiveContents,
    ArchiveFile,
    build_archive,
    readme,
    resume_path,
    transcripts,
)

MESSAGES = [
    {"application_id": 7, "interview_id": 3, "seq": 1, "role": "interviewer", "content": "Why us?", "created_at": "t1"},
    {"application_id": 7, "interview_id": 3, "seq": 2, "role": "candidate", "content": "The team.", "created_at": "t2"},
]


def _contents(files: list[ArchiveFile]) -> ArchiveContents:
    return ArchiveContents(
        exported_at=datetime(2026, 5, 1, 10, tzinfo=UTC),
        exported_by="console:ada",
        tables={"applications": [{"id": 7}], "interview_messages": MESSAGES},
        described={"applications": "each application", "interview_messages": "the transcript"},
        left_out={"job_runs": "operational history, nothing about the candidate"},
        files=files,
    )


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("plain = text", "plain = text"),
        (None, ""),
        (12, "12"),
    ],
)
def test_a_cell_that_a_spreadsheet_would_evaluate_is_kept_as_text(value: object, cell: str) -> None:
    assert neutralised(value) == cell


def test_each_interview_becomes_one_readable_transcript() -> None:
    texts = transcripts(MESSAGES)
    assert list(texts) == ["transcripts/application-7-interview-3.txt"]
    body = texts["transcripts/application-7-interview-3.txt"]
    assert body.index("Interviewer (AI):\nWhy us?") < body.index("Candidate:\nThe team.")


def test_a_file_name_from_workday_cannot_climb_out_of_its_folder() -> None:
    assert resume_path(7, "../../etc/passwd") == "files/application-7/resume/passwd"


def test_the_readme_names_each_table_what_is_left_out_and_files_storage_no_longer_had() -> None:
    text = readme(_contents([ArchiveFile("files/application-7/reports/report-1.pdf", None, "report")]))
    assert "applications.json (1 rows): each application" in text
    assert "job_runs: operational history" in text
    assert "report: files/application-7/reports/report-1.pdf" in text and "console:ada" in text


def test_the_archive_holds_records_transcripts_files_and_a_manifest() -> None:
    stored = ArchiveFile("files/application-7/resume/cv.pdf", b"%PDF", "résumé")
    gone = ArchiveFile("files/application-7/reports/report-1.pdf", None, "report")
    archive = zipfile.ZipFile(io.BytesIO(build_archive(_contents([stored, gone]))))
    assert set(archive.namelist()) == {
        "README.txt",
        "manifest.json",
        "records/applications.json",
        "records/interview_messages.json",
        "transcripts/application-7-interview-3.txt",
        "files/application-7/resume/cv.pdf",
    }
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["records"] == {"applications": 1, "interview_messages": 2}
    assert manifest["missing_files"] == [gone.path] and manifest["files"] == [stored.path]
