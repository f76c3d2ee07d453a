"""What an activity entry says, typed per action: ids, codes, counts and field names only.

The activity log is append-only and never scrubbed, so its details hold no personal value (no
name, email, Workday candidate or application id, file name, résumé or answer text). Each action
has one frozen dataclass here; `record_activity` takes one of them and stores `to_json()`. A text
that may quote a person (an error message naming the résumé file) is a `RedactedText`, made by
`redacted_message` with the personal values it may contain removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import ClassVar, NewType

JsonScalar = str | int | float | bool | None
JsonValue = JsonScalar | list["JsonValue"] | dict[str, "JsonValue"]

RedactedText = NewType("RedactedText", str)
"""A message with every personal value it may carry replaced by `REDACTED`."""

REDACTED = "[redacted]"


MIN_REDACTED_LENGTH = 3  # shorter values (a file called "a") would blank out ordinary words, and identify nobody


def redacted_message(message: str, *personal: str | None) -> RedactedText:
    """`message` with each of the `personal` values (a file name, a candidate's name…) replaced, longest first."""
    values = {value.strip() for value in personal if value and len(value.strip()) >= MIN_REDACTED_LENGTH}
    for value in sorted(values, key=len, reverse=True):
        message = message.replace(value, REDACTED)
    return RedactedText(message)


def _plain(value: object) -> JsonValue:
    if isinstance(value, ActivityDetails):
        return value.to_json()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    assert value is None or isinstance(value, str | int | float | bool), type(value)
    return value


@dataclass(frozen=True, slots=True)
class ActivityDetails:
    """The details of one activity entry; `ACTION` is the action it records."""

    ACTION: ClassVar[str] = ""

    def to_json(self) -> dict[str, JsonValue]:
        """The JSON object stored in `activities.details` (a field's `key` metadata renames it)."""
        return {f.metadata.get("key", f.name): _plain(getattr(self, f.name)) for f in fields(self)}


def _key(name: str) -> dict[str, str]:
    return {"key": name}


# --- the pipeline --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusChanged(ActivityDetails):
    ACTION: ClassVar[str] = "status_changed"
    from_status: str = field(metadata=_key("from"))
    to_status: str = field(metadata=_key("to"))


@dataclass(frozen=True, slots=True)
class WorkdayStatusChanged(ActivityDetails):
    ACTION: ClassVar[str] = "workday_status_changed"
    from_status: str | None = field(metadata=_key("from"))
    to_status: str | None = field(metadata=_key("to"))


@dataclass(frozen=True, slots=True)
class RequisitionCreated(ActivityDetails):
    """A requisition is the employer's, not a person's: its Workday id and title may be shown."""

    ACTION: ClassVar[str] = "requisition_created"
    external_id: str
    requisition_name: str = field(metadata=_key("name"))
    workday_status: str | None


@dataclass(frozen=True, slots=True)
class RequisitionUpdated(ActivityDetails):
    ACTION: ClassVar[str] = "requisition_updated"
    changed: tuple[str, ...]  # field names
    workday_status: str | None


@dataclass(frozen=True, slots=True)
class RequisitionMissingInWorkday(ActivityDetails):
    ACTION: ClassVar[str] = "requisition_missing_in_workday"
    external_id: str
    previous_workday_status: str | None


@dataclass(frozen=True, slots=True)
class ApplicationCreated(ActivityDetails):
    """The Workday ids stay on the application row (erasable), not in the log."""

    ACTION: ClassVar[str] = "application_created"
    workday_status: str | None


@dataclass(frozen=True, slots=True)
class CandidateDetailsUpdated(ActivityDetails):
    ACTION: ClassVar[str] = "candidate_details_updated"
    fields: tuple[str, ...]  # which of the candidate's fields Workday changed, never their values


@dataclass(frozen=True, slots=True)
class ApplicationSyncFailed(ActivityDetails):
    ACTION: ClassVar[str] = "application_sync_failed"
    error: RedactedText  # the error, with the application's Workday ids, name, email and phone removed


@dataclass(frozen=True, slots=True)
class ResumeStored(ActivityDetails):
    ACTION: ClassVar[str] = "resume_stored"
    resume_content_type: str
    resume_bytes: int


@dataclass(frozen=True, slots=True)
class ResumeMissing(ActivityDetails):
    ACTION: ClassVar[str] = "resume_missing"


@dataclass(frozen=True, slots=True)
class ResumeUnreadable(ActivityDetails):
    ACTION: ClassVar[str] = "resume_unreadable"
    reason: RedactedText


@dataclass(frozen=True, slots=True)
class ResumeUnredactable(ActivityDetails):
    ACTION: ClassVar[str] = "resume_unredactable"
    reason: RedactedText


@dataclass(frozen=True, slots=True)
class HiddenTextFound(ActivityDetails):
    ACTION: ClassVar[str] = "hidden_text_found"
    count: int
    reasons: tuple[str, ...]  # reason codes of the hidden-text check


@dataclass(frozen=True, slots=True)
class AnalysisStored(ActivityDetails):
    ACTION: ClassVar[str] = "analysis_stored"
    analysis_id: int
    provider: str
    model: str
    prompt_version: int
    risk_score: float
    unverified_quotes: int
    redacted: Mapping[str, int]  # counts by kind of value removed before the model saw the résumé
    reanalysis: bool


@dataclass(frozen=True, slots=True)
class EvaluationStored(ActivityDetails):
    ACTION: ClassVar[str] = "evaluation_stored"
    evaluation_id: int
    interview_id: int
    overall_score: float
    recommendation: str
    provider: str
    model: str
    prompt_version: int
    unverified_quotes: int


@dataclass(frozen=True, slots=True)
class ReportGenerated(ActivityDetails):
    ACTION: ClassVar[str] = "report_generated"
    report_id: int
    key: str  # applications/{id}/reports/…: built from our ids only
    includes_interview: bool
    size_bytes: int = field(metadata=_key("bytes"))


@dataclass(frozen=True, slots=True)
class ReportUploaded(ActivityDetails):
    ACTION: ClassVar[str] = "report_uploaded"
    report_id: int
    filename: str  # report_filename(application id, version): no name in it
    workday_document_id: str | None
    already_in_workday: bool


# --- interviews ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InterviewCreated(ActivityDetails):
    ACTION: ClassVar[str] = "interview_created"
    interview_id: int
    expires_at: str  # ISO 8601


@dataclass(frozen=True, slots=True)
class InterviewTokenReissued(ActivityDetails):
    ACTION: ClassVar[str] = "interview_token_reissued"
    interview_id: int
    expires_at: str


@dataclass(frozen=True, slots=True)
class InterviewInvited(ActivityDetails):
    ACTION: ClassVar[str] = "interview_invited"
    interview_id: int
    message_id: str | None  # the mail system's id of the invitation
    expires_at: str
    attempt: int = 1  # which send of this interview's email it was (the outbox counts them)
    found_sent: bool = False  # the mailer had sent it before the previous attempt could record it


@dataclass(frozen=True, slots=True)
class InterviewInvitationPresumed(ActivityDetails):
    ACTION: ClassVar[str] = "interview_invitation_presumed"
    interview_id: int
    interview_status: str
    message_id: str | None = None  # the Message-ID of the email whose link was opened, when known

    def to_json(self) -> dict[str, JsonValue]:
        """As the console has always shown it: the interview and a sentence saying why."""
        reason = f"the candidate opened the interview ({self.interview_status}) before its email was recorded"
        return {"interview_id": self.interview_id, "message_id": self.message_id, "reason": reason}


@dataclass(frozen=True, slots=True)
class InterviewStarted(ActivityDetails):
    ACTION: ClassVar[str] = "interview_started"
    interview_id: int


@dataclass(frozen=True, slots=True)
class InterviewAnswerReceived(ActivityDetails):
    """How long the answer was, never what it said."""

    ACTION: ClassVar[str] = "interview_answer_received"
    interview_id: int
    seq: int
    characters: int
    words: int
    thin: str | None  # the code of the thin-answer rule it met, if any


@dataclass(frozen=True, slots=True)
class InterviewTurn(ActivityDetails):
    ACTION: ClassVar[str] = "interview_turn"
    interview_id: int
    seq: int
    provider: str
    model: str
    prompt_version: int | None
    input_hash: str | None


@dataclass(frozen=True, slots=True)
class InterviewCompleted(ActivityDetails):
    ACTION: ClassVar[str] = "interview_completed"
    interview_id: int
    reason: str  # a completion reason code
    answers: int
    evaluate_queued: bool
