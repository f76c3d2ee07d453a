"""Application and interview statuses, the legal transitions, and each status's next job."""

from __future__ import annotations

from enum import StrEnum

from airecruiter.errors import IllegalTransitionError


class ApplicationStatus(StrEnum):
    """Where an application stands in the pipeline (docs/architecture.md: one application, from sync to upload)."""

    NEW = "new"
    ANALYZED = "analyzed"
    INTERVIEW_PENDING = "interview_pending"
    INTERVIEW_COMPLETE = "interview_complete"
    REPORT_PENDING = "report_pending"
    COMPLETE = "complete"
    # The candidate (or a recruiter) asked for a person instead of the AI: no AI step runs from here on.
    HUMAN_REVIEW = "human_review"


class InterviewStatus(StrEnum):
    """The life of one self-service interview."""

    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    EXPIRED = "expired"


_S = ApplicationStatus
ALLOWED_TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    _S.NEW: frozenset({_S.ANALYZED}),
    # A recruiter may ask for an analysis-only report without an interview.
    _S.ANALYZED: frozenset({_S.INTERVIEW_PENDING, _S.REPORT_PENDING, _S.ANALYZED}),
    _S.INTERVIEW_PENDING: frozenset({_S.INTERVIEW_COMPLETE, _S.REPORT_PENDING}),
    _S.INTERVIEW_COMPLETE: frozenset({_S.REPORT_PENDING}),
    _S.REPORT_PENDING: frozenset({_S.COMPLETE, _S.REPORT_PENDING}),
    # Regenerating a report reopens a complete application.
    _S.COMPLETE: frozenset({_S.REPORT_PENDING}),
    _S.HUMAN_REVIEW: frozenset(),
}
# Any application may be taken to a person, from wherever it stands; nothing leaves human review.
for _status in _S:
    if _status is not _S.HUMAN_REVIEW:
        ALLOWED_TRANSITIONS[_status] = ALLOWED_TRANSITIONS[_status] | {_S.HUMAN_REVIEW}


def check_transition(current: str, target: str) -> ApplicationStatus:
    """Return the target status if moving there from `current` is allowed, else raise."""
    try:
        source, destination = ApplicationStatus(current), ApplicationStatus(target)
    except ValueError as exc:
        raise IllegalTransitionError(f"Unknown application status in {current!r} -> {target!r}.") from exc
    if destination not in ALLOWED_TRANSITIONS[source]:
        raise IllegalTransitionError(f"An application cannot move from {source.value!r} to {destination.value!r}.")
    return destination


# The job that moves an application out of each status when nothing is waiting on a person.
# `analyzed` and `interview_pending` depend on more than the status; see domain.stages.
NEXT_JOB_BY_STATUS: dict[ApplicationStatus, str] = {
    _S.NEW: "analyze",
    _S.INTERVIEW_COMPLETE: "generate_report",
    _S.REPORT_PENDING: "upload_report",
}
