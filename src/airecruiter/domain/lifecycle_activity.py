"""Activity details of retention, legal holds and erasure: ids, counts and reasons' lengths only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from airecruiter.domain.activity_details import ActivityDetails


@dataclass(frozen=True, slots=True)
class RetentionRan(ActivityDetails):
    """The retention job deleted the applications whose time was up."""

    ACTION: ClassVar[str] = "retention_ran"
    applications_deleted: int
    objects_deleted: int
    emails_deleted: int
    held_back: int
    files_only: int = 0  # applications whose files went under RETENTION_DAYS_FILES, records kept


@dataclass(frozen=True, slots=True)
class LegalHoldPlaced(ActivityDetails):
    """A legal hold now suspends retention and erasure of an application or a requisition."""

    ACTION: ClassVar[str] = "legal_hold_placed"
    hold_id: int


@dataclass(frozen=True, slots=True)
class LegalHoldReleased(ActivityDetails):
    """A legal hold was lifted."""

    ACTION: ClassVar[str] = "legal_hold_released"
    hold_id: int
    erasures_resumed: int


@dataclass(frozen=True, slots=True)
class CandidateErased(ActivityDetails):
    """An erasure request removed a candidate's applications; the receipt says what went."""

    ACTION: ClassVar[str] = "candidate_erased"
    receipt_id: int
    applications: int


@dataclass(frozen=True, slots=True)
class ErasureRefused(ActivityDetails):
    """An erasure request met a legal hold: recorded, refused, to run when the hold is lifted."""

    ACTION: ClassVar[str] = "erasure_on_hold"
    request_id: int
    hold_ids: tuple[int, ...]
