"""Activity entries of the candidate-request flows: ids, kinds and flags only, never the request's text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from airecruiter.domain.activity_details import ActivityDetails


@dataclass(frozen=True, slots=True)
class HumanReviewRequested(ActivityDetails):
    """The application was taken out of the AI process: a person assesses it from now on."""

    ACTION: ClassVar[str] = "human_review_requested"
    source: str  # candidate | recruiter
    request_id: int | None
    closed_interview_id: int | None  # the interview whose link was closed


@dataclass(frozen=True, slots=True)
class AccommodationRequested(ActivityDetails):
    """The candidate asked for an adjustment (its text is in the request register only)."""

    ACTION: ClassVar[str] = "accommodation_requested"
    request_id: int
    characters: int  # the request's length; its text is in the register only
    with_human_review: bool


@dataclass(frozen=True, slots=True)
class RequestEmailSent(ActivityDetails):
    """A confirmation or notification email of a candidate request went out."""

    ACTION: ClassVar[str] = "request_email_sent"
    kind: str
    request_id: int
    message_id: str | None  # the mail system's id, never the address
