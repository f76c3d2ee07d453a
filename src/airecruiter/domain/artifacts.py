"""An application's artifacts: its stored résumé (or why there is none) and what reading it found.

Stored as one flat JSONB object on the application (`applications.artifacts`), written in two
steps: sync (or analyze, when Workday had no résumé at sync time) merges the résumé keys, analyze
merges the extraction keys. So a stored object may lack either group — an application not yet
synced with a résumé, or not yet analysed — and `from_json` reads a missing group as None; a group
that is present but malformed is a `StoredRecordError`. `resume_sha256` came later than the other
résumé keys and is optional.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from airecruiter.domain.records import (
    HiddenText,
    StoredRecordError,
    fields_of,
    hidden_text_from_json,
    strings_from_json,
)

_WHAT = "application's artifacts"


def _int(data: Mapping[str, Any], key: str, *, optional: bool = False) -> int | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise StoredRecordError(f"The stored {_WHAT} have no whole number under {key!r} (found {value!r:.40})")
    return value


@dataclass(frozen=True, slots=True)
class StoredResume:
    """The résumé as stored: its storage key, the candidate's file name, type, size and digest."""

    key: str
    filename: str
    content_type: str
    size: int
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class ResumeArtifacts:
    """The résumé step's result: the stored résumé, or None and the sentence saying why."""

    resume: StoredResume | None
    missing: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ResumeArtifacts | None:
        if "resume" not in data:
            return None
        key = data["resume"]
        if key is None:
            missing = data.get("resume_missing")
            return cls(resume=None, missing=missing if isinstance(missing, str) else None)
        if not isinstance(key, str):
            raise StoredRecordError(f"The stored {_WHAT} name a résumé that is no storage key: {key!r:.40}")
        content_type = data.get("resume_content_type")
        sha256 = data.get("resume_sha256")
        resume = StoredResume(
            key=key,
            filename=str(data.get("resume_filename") or key.rsplit("/", 1)[-1]),
            content_type=content_type if isinstance(content_type, str) else "",
            size=_int(data, "resume_bytes", optional=True) or 0,
            sha256=sha256 if isinstance(sha256, str) else None,
        )
        return cls(resume=resume)

    def to_json(self) -> dict[str, Any]:
        if self.resume is None:
            return {"resume": None, "resume_missing": self.missing}
        return {
            "resume": self.resume.key,
            "resume_filename": self.resume.filename,
            "resume_content_type": self.resume.content_type,
            "resume_bytes": self.resume.size,
            "resume_sha256": self.resume.sha256,
            "resume_missing": None,  # a note from a sync that found none no longer applies
        }


@dataclass(frozen=True, slots=True)
class ExtractionArtifacts:
    """What reading the résumé found: hidden text, what redaction removed (counts), size, warnings."""

    hidden_text: tuple[HiddenText, ...]
    redaction: Mapping[str, int]
    text_chars: int
    pages: int | None
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExtractionArtifacts | None:
        if "resume_text_chars" not in data:
            return None
        redaction = fields_of(data.get("redaction") or {}, "redaction count")
        if not all(isinstance(v, int) for v in redaction.values()):
            raise StoredRecordError(f"The stored {_WHAT} count redactions with something other than numbers")
        return cls(
            hidden_text=hidden_text_from_json(data.get("hidden_text")),
            redaction=MappingProxyType(dict(redaction)),
            text_chars=_int(data, "resume_text_chars") or 0,
            pages=_int(data, "resume_pages", optional=True),
            warnings=strings_from_json(data.get("extraction_warnings"), "extraction warnings"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "hidden_text": [h.to_json() for h in self.hidden_text],
            "redaction": dict(self.redaction),
            "resume_text_chars": self.text_chars,
            "resume_pages": self.pages,
            "extraction_warnings": list(self.warnings),
        }


@dataclass(frozen=True, slots=True)
class ApplicationArtifacts:
    """Everything stored about an application's résumé so far; a step not run yet is None."""

    resume_step: ResumeArtifacts | None = None
    extraction: ExtractionArtifacts | None = None

    @property
    def resume(self) -> StoredResume | None:
        """The stored résumé, if there is one."""
        return None if self.resume_step is None else self.resume_step.resume

    @property
    def resume_missing(self) -> str | None:
        """Why there is no résumé, when Workday had none."""
        return None if self.resume_step is None else self.resume_step.missing

    @property
    def hidden_text(self) -> tuple[HiddenText, ...]:
        """Hidden text the last reading of the résumé found."""
        return () if self.extraction is None else self.extraction.hidden_text

    @classmethod
    def from_json(cls, value: object) -> ApplicationArtifacts:
        data = fields_of(value if value is not None else {}, "application's artifacts")
        return cls(resume_step=ResumeArtifacts.from_json(data), extraction=ExtractionArtifacts.from_json(data))

    def to_json(self) -> dict[str, Any]:
        stored: dict[str, Any] = {}
        for step in (self.resume_step, self.extraction):
            if step is not None:
                stored.update(step.to_json())
        return stored
