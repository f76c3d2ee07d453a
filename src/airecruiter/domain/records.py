"""The structured JSON the pipeline stores, as typed records: findings with their evidence, hidden text.

The database keeps these as JSONB; `from_json` at the repository boundary turns a stored value into
a record and `to_json` turns it back, so processors, the console and the report never handle a bare
`dict`. A stored value of the wrong shape is a `StoredRecordError` naming what is wrong, never a
`KeyError` deep in a template. Every shape here is the one written since the first migration
(`0001`): no older shape exists to read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from airecruiter.errors import PermanentError


class StoredRecordError(PermanentError):
    """A JSON value read from the database does not have the shape its record needs."""


def fields_of(value: object, what: str) -> Mapping[str, Any]:
    """`value` as a JSON object, or a StoredRecordError naming `what` it should have been."""
    if not isinstance(value, Mapping):
        raise StoredRecordError(f"A stored {what} is not a JSON object but {type(value).__name__}: {value!r:.80}")
    return value


def items_of(value: object, what: str) -> Sequence[Any]:
    """`value` as a JSON array (None: empty), or a StoredRecordError."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise StoredRecordError(f"A stored list of {what} is not a JSON array but {type(value).__name__}")
    return value


def text_of(data: Mapping[str, Any], key: str, what: str) -> str:
    """The string under `key`, or a StoredRecordError."""
    value = data.get(key)
    if not isinstance(value, str):
        raise StoredRecordError(f"A stored {what} has no text under {key!r} (found {value!r:.80})")
    return value


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quote the model gave for a finding, and whether it occurs in the source text."""

    quote: str
    verified: bool

    @classmethod
    def from_json(cls, value: object) -> Evidence:
        data = fields_of(value, "evidence quote")
        verified = data.get("verified")
        if not isinstance(verified, bool):
            raise StoredRecordError(f"A stored evidence quote has no true/false 'verified' (found {verified!r})")
        return cls(quote=text_of(data, "quote", "evidence quote"), verified=verified)

    def to_json(self) -> dict[str, Any]:
        return {"quote": self.quote, "verified": self.verified}


@dataclass(frozen=True, slots=True)
class Finding:
    """One pro, con, red flag, strength or weakness, with each quote's verdict."""

    text: str
    evidence: tuple[Evidence, ...] = ()

    @property
    def unverified(self) -> int:
        """How many of its quotes were not found in the source."""
        return sum(1 for e in self.evidence if not e.verified)

    @classmethod
    def from_json(cls, value: object) -> Finding:
        data = fields_of(value, "finding")
        evidence = tuple(Evidence.from_json(e) for e in items_of(data.get("evidence"), "evidence quotes"))
        return cls(text=text_of(data, "text", "finding"), evidence=evidence)

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "evidence": [e.to_json() for e in self.evidence]}


def findings_from_json(value: object) -> tuple[Finding, ...]:
    """A stored JSON array of findings (NULL: none)."""
    return tuple(Finding.from_json(f) for f in items_of(value, "findings"))


def findings_to_json(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings as the JSON array stored."""
    return [f.to_json() for f in findings]


def unverified_quotes(*finding_lists: Iterable[Finding]) -> int:
    """How many stored quotes were not found in their source."""
    return sum(f.unverified for findings in finding_lists for f in findings)


@dataclass(frozen=True, slots=True)
class HiddenText:
    """Text in the résumé a reader would not see (kept for the recruiter, never sent to a model)."""

    text: str
    reason: str
    page: int | None = None

    @classmethod
    def from_json(cls, value: object) -> HiddenText:
        data = fields_of(value, "hidden text")
        page = data.get("page")
        if page is not None and not isinstance(page, int):
            raise StoredRecordError(f"A stored hidden text has a page that is no number: {page!r:.40}")
        return cls(text=text_of(data, "text", "hidden text"), reason=text_of(data, "reason", "hidden text"), page=page)

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "reason": self.reason, "page": self.page}


def hidden_text_from_json(value: object) -> tuple[HiddenText, ...]:
    """A stored JSON array of hidden texts (NULL: none)."""
    return tuple(HiddenText.from_json(h) for h in items_of(value, "hidden texts"))


def strings_from_json(value: object, what: str) -> tuple[str, ...]:
    """A stored JSON array of strings (NULL: none), e.g. suggested questions."""
    items = items_of(value, what)
    if not all(isinstance(item, str) for item in items):
        raise StoredRecordError(f"A stored list of {what} holds something other than text")
    return tuple(items)
