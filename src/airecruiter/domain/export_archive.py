"""The ZIP of an access request: records as JSON, readable transcripts, stored files and a README.

Pure: it is handed the rows and the files' bytes and returns the archive; nothing here reads a
database or a store.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from airecruiter.domain.storage_keys import sanitize_filename


@dataclass(frozen=True)
class ArchiveFile:
    """A stored file to put into the archive (or, with `data` None, one that storage no longer had)."""

    path: str  # inside the archive
    data: bytes | None
    what: str  # a résumé, a report …


@dataclass(frozen=True)
class ArchiveContents:
    """What goes into the archive, with the words the README uses for it."""

    exported_at: datetime
    exported_by: str
    tables: Mapping[str, Sequence[Mapping[str, Any]]]
    described: Mapping[str, str]  # table → what it holds
    left_out: Mapping[str, str]  # table → why it is not exported
    files: Sequence[ArchiveFile]


def resume_path(application_id: int, filename: str) -> str:
    """Where an application's résumé goes in the archive."""
    return f"files/application-{application_id}/resume/{sanitize_filename(filename)}"


def report_path(application_id: int, report_id: int) -> str:
    """Where one report PDF goes in the archive."""
    return f"files/application-{application_id}/reports/report-{report_id}.pdf"


def transcripts(messages: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each interview's transcript as plain text, keyed by its path in the archive."""
    texts: dict[str, list[str]] = {}
    for message in messages:
        path = f"transcripts/application-{message['application_id']}-interview-{message['interview_id']}.txt"
        speaker = "Interviewer (AI)" if message["role"] == "interviewer" else "Candidate"
        texts.setdefault(path, []).append(f"[{message['created_at']}] {speaker}:\n{message['content']}\n")
    return {path: "\n".join(lines) for path, lines in texts.items()}


def readme(contents: ArchiveContents) -> str:
    """README.txt: what the archive holds, what is left out and why, and files storage no longer had."""
    lines = [
        "Everything AIRecruiter holds about you",
        "=======================================",
        "",
        f"Made {contents.exported_at.isoformat(timespec='seconds')} by {contents.exported_by}, in answer to an",
        "access request (GDPR Art. 15). AIRecruiter is the tool that read your résumé, ran the AI",
        "interview and wrote the report for the recruiter; the employer's Workday holds the application itself.",
        "",
        "records/<table>.json  every row about you, one JSON file per table:",
    ]
    lines += [
        f"  - {table}.json ({len(contents.tables[table])} rows): {text}" for table, text in contents.described.items()
    ]
    lines += [
        "",
        "transcripts/  your AI interviews as plain text (the same messages as records/interview_messages.json).",
        "files/        the résumé we received from Workday and every report made about you, as stored.",
        "manifest.json the same lists, for a program to read.",
        "",
        "The AI's outputs (records/analyses.json, records/evaluations.json) name the provider, the model and",
        "the prompt version that produced them.",
        "",
        "Kept but not included, and why:",
    ]
    lines += [f"  - {table}: {reason}" for table, reason in contents.left_out.items()]
    missing = [file for file in contents.files if file.data is None]
    if missing:
        lines += ["", "Listed in the records but no longer in storage (deleted or never stored):"]
        lines += [f"  - {file.what}: {file.path}" for file in missing]
    return "\n".join(lines) + "\n"


def manifest(contents: ArchiveContents) -> dict[str, Any]:
    """The archive's contents for a program: row counts, files, what is left out."""
    return {
        "exported_at": contents.exported_at.isoformat(),
        "exported_by": contents.exported_by,
        "records": {table: len(rows) for table, rows in contents.tables.items()},
        "files": [file.path for file in contents.files if file.data is not None],
        "missing_files": [file.path for file in contents.files if file.data is None],
        "left_out": dict(contents.left_out),
    }


def build_archive(contents: ArchiveContents) -> bytes:
    """The ZIP's bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(contents))
        archive.writestr("manifest.json", _json(manifest(contents)))
        for table, rows in contents.tables.items():
            archive.writestr(f"records/{table}.json", _json(list(rows)))
        for path, transcript in transcripts(contents.tables.get("interview_messages", [])).items():
            archive.writestr(path, transcript)
        for file in contents.files:
            if file.data is not None:
                archive.writestr(file.path, file.data)
    return buffer.getvalue()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n"
