"""Keep what clients changed (uploads, stage changes, a rotated refresh token) across sandbox restarts.

Layout of the state directory:
- `state.json`    the seed's anchor time, so a restarted sandbox reproduces the same timestamps;
- `journal.jsonl` one JSON event per line, appended and fsynced; a torn last line is ignored;
- `files/`        attachment bytes, content-addressed, each written to a temporary file then renamed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import structlog

from airecruiter.sandbox.auth import TokenStore
from airecruiter.sandbox.tenant import Tenant, UnknownRecord

log = structlog.get_logger(__name__)


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so a crash leaves either the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class StateDir:
    """The sandbox's on-disk state."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.journal = self.path / "journal.jsonl"
        self.files = self.path / "files"

    def anchor(self) -> datetime | None:
        """The seed anchor a previous start recorded."""
        try:
            state = json.loads((self.path / "state.json").read_text(encoding="utf-8"))
            return datetime.fromisoformat(state["anchor"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save_anchor(self, anchor: datetime, tenant_id: str) -> None:
        """Record the anchor (once, on the first start)."""
        payload = {"version": 1, "tenant_id": tenant_id, "anchor": anchor.isoformat()}
        write_atomically(self.path / "state.json", json.dumps(payload, indent=2).encode())

    def record(self, event: dict[str, Any]) -> None:
        """Append one event; attachment bytes go to their own file first."""
        entry = dict(event)
        content = entry.pop("content", None)
        if isinstance(content, bytes):
            digest = hashlib.sha256(content).hexdigest()
            target = self.files / digest
            if not target.exists():
                write_atomically(target, content)
            entry["content_file"] = digest
        self.path.mkdir(parents=True, exist_ok=True)
        with self.journal.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def events(self) -> Iterator[dict[str, Any]]:
        """The journal's events in order (with attachment bytes loaded back under 'content')."""
        if not self.journal.exists():
            return
        for number, line in enumerate(self.journal.read_text(encoding="utf-8").splitlines(), start=1):
            try:
                event = json.loads(line)
                if "content_file" in event:
                    event["content"] = (self.files / event.pop("content_file")).read_bytes()
            except (ValueError, OSError) as error:
                log.warning("sandbox_journal_line_skipped", line=number, error=str(error))
                continue
            yield event

    def _end_torn_line(self) -> None:
        """After a crash mid-append, start the next event on a line of its own."""
        if not self.journal.exists() or self.journal.stat().st_size == 0:
            return
        with self.journal.open("rb+") as handle:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                handle.write(b"\n")

    def attach(self, tenant: Tenant, tokens: TokenStore) -> int:
        """Replay the journal onto a freshly seeded tenant, then journal its changes; returns the events replayed."""
        if self.anchor() is None:
            self.save_anchor(tenant.anchor, tenant.tenant_id)
        self._end_torn_line()
        replayed = 0
        for event in self.events():
            try:
                replay(tenant, tokens, event)
                replayed += 1
            except (UnknownRecord, ValueError, KeyError, TypeError) as error:
                log.warning("sandbox_journal_event_skipped", event_type=event.get("event"), error=str(error))
        tenant.listeners.append(self.record)
        tokens.on_rotate = lambda token: self.record({"event": "refresh_token", "token": token})
        return replayed


def replay(tenant: Tenant, tokens: TokenStore, event: dict[str, Any]) -> None:
    """Apply one journal event."""
    kind = event["event"]
    if kind == "stage":
        tenant.advance_stage(
            event["application_id"], event["stage"], event.get("disposition"), at=datetime.fromisoformat(event["at"])
        )
    elif kind == "requisition":
        tenant.touch_requisition(
            event["requisition_id"], status=event.get("status"), at=datetime.fromisoformat(event["at"])
        )
    elif kind == "refresh_token":
        tokens.refresh_token = event["token"]
    elif kind == "attachment":
        created = datetime.fromisoformat(event["created_at"])
        if event.get("application_id"):
            tenant.add_resume(
                event["application_id"],
                event["filename"],
                event["content"],
                event["content_type"],
                comment=event.get("comment"),
                origin="upload",
                created_at=created,
                wid=event["wid"],
            )
        else:
            tenant.add_candidate_attachment(
                event["candidate_id"],
                event["filename"],
                event["content"],
                event["content_type"],
                category=event["category"],
                comment=event.get("comment"),
                origin="upload",
                created_at=created,
                wid=event["wid"],
            )
    elif kind == "attachment_replaced":
        tenant.replace_attachment(
            event["wid"],
            filename=event["filename"],
            content=event["content"],
            content_type=event["content_type"],
            comment=event.get("comment"),
            category=event.get("category"),
        )
    else:
        raise ValueError(f"unknown journal event {kind!r}")
