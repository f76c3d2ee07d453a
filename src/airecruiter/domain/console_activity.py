"""Activity details of the console's and the operators' actions, typed per action.

Staff accounts are named by their username (the actor of every entry is one too); a candidate
is never named here: requests about an application carry our ids, codes and counts only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from airecruiter.domain.activity_details import ActivityDetails, JsonValue

SettingValue = str | int | float | bool | None


# --- sign-in and sessions ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SignIn(ActivityDetails):
    ACTION: ClassVar[str] = "sign_in"
    client: str  # the client's network address


@dataclass(frozen=True, slots=True)
class SignInFailed(ActivityDetails):
    ACTION: ClassVar[str] = "sign_in_failed"
    username: str
    client: str


@dataclass(frozen=True, slots=True)
class SignInLocked(ActivityDetails):
    ACTION: ClassVar[str] = "sign_in_locked"
    username: str
    client: str
    retry_after_seconds: float


@dataclass(frozen=True, slots=True)
class SignInUnlocked(ActivityDetails):
    ACTION: ClassVar[str] = "sign_in_unlocked"
    username: str


@dataclass(frozen=True, slots=True)
class SessionEnded(ActivityDetails):
    ACTION: ClassVar[str] = "session_ended"
    username: str
    reason: str  # a code: expired, idle, password_changed, deactivated, role_changed, signed_out…
    sessions: int


# --- user accounts -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserCreated(ActivityDetails):
    ACTION: ClassVar[str] = "user_created"
    username: str
    role: str


@dataclass(frozen=True, slots=True)
class UserPasswordSet(ActivityDetails):
    ACTION: ClassVar[str] = "user_password_set"
    username: str


@dataclass(frozen=True, slots=True)
class UserActivated(ActivityDetails):
    ACTION: ClassVar[str] = "user_activated"
    username: str


@dataclass(frozen=True, slots=True)
class UserDeactivated(ActivityDetails):
    ACTION: ClassVar[str] = "user_deactivated"
    username: str


@dataclass(frozen=True, slots=True)
class UserRoleChanged(ActivityDetails):
    ACTION: ClassVar[str] = "user_role_changed"
    username: str
    role: str


# --- prompts and requisition settings ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PromptVersionCreated(ActivityDetails):
    ACTION: ClassVar[str] = "prompt_version_created"
    type: str
    version: int
    requisition_id: int | None


@dataclass(frozen=True, slots=True)
class PromptActivated(ActivityDetails):
    ACTION: ClassVar[str] = "prompt_activated"
    type: str
    version: int
    requisition_id: int | None


@dataclass(frozen=True, slots=True)
class PromptDeactivated(ActivityDetails):
    ACTION: ClassVar[str] = "prompt_deactivated"
    type: str
    version: int
    requisition_id: int | None


@dataclass(frozen=True, slots=True)
class SettingChange:
    """One requisition setting's value before and after."""

    before: SettingValue
    after: SettingValue

    def to_json(self) -> dict[str, JsonValue]:
        return {"from": self.before, "to": self.after}


@dataclass(frozen=True, slots=True)
class RequisitionSettingsChanged(ActivityDetails):
    """Setting name → its change (the settings are the employer's: flags, hours, a Workday status)."""

    ACTION: ClassVar[str] = "requisition_settings_changed"
    changes: Mapping[str, SettingChange]

    def to_json(self) -> dict[str, JsonValue]:
        return {name: change.to_json() for name, change in self.changes.items()}


# --- manual requests and queue administration ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ManualJobRequest(ActivityDetails):
    """A recruiter's request to run a job for an application now (one subclass per action)."""

    job_type: str
    queue_item_id: int | None
    queued: bool
    status: str  # the application's status when asked


@dataclass(frozen=True, slots=True)
class ReanalysisRequested(ManualJobRequest):
    ACTION: ClassVar[str] = "reanalysis_requested"


@dataclass(frozen=True, slots=True)
class InterviewRequested(ManualJobRequest):
    ACTION: ClassVar[str] = "interview_requested"


@dataclass(frozen=True, slots=True)
class ReportRequested(ManualJobRequest):
    ACTION: ClassVar[str] = "report_requested"


@dataclass(frozen=True, slots=True)
class SyncRequested(ActivityDetails):
    ACTION: ClassVar[str] = "sync_requested"
    created: bool


@dataclass(frozen=True, slots=True)
class QueueItemRetried(ActivityDetails):
    ACTION: ClassVar[str] = "queue_item_retried"
    job_type: str
    now_item: int | None


@dataclass(frozen=True, slots=True)
class QueueItemSkipped(ActivityDetails):
    ACTION: ClassVar[str] = "queue_item_skipped"
    job_type: str
    reason_given: bool  # the operator's words stay in the job's history, not in this log


@dataclass(frozen=True, slots=True)
class QueueItemCancelled(ActivityDetails):
    ACTION: ClassVar[str] = "queue_item_cancelled"
    job_type: str
    was: str  # the item's queue state


# --- decisions -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DecisionRecorded(ActivityDetails):
    ACTION: ClassVar[str] = "decision_recorded"
    decision_id: int
    decision: str  # advance, reject or hold
    reason_code: str
    annotated: bool  # the note itself is personal (it may describe the candidate) and stays out of the log
    report_queued: bool
