"""Activity entries of the fairness checks and of the activation gate they guard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from airecruiter.domain.activity_details import ActivityDetails


@dataclass(frozen=True, slots=True)
class FairnessCheckRequested(ActivityDetails):
    ACTION: ClassVar[str] = "fairness_check_requested"
    check_id: int
    type: str
    version: int
    requisition_id: int | None


@dataclass(frozen=True, slots=True)
class FairnessCheckCompleted(ActivityDetails):
    ACTION: ClassVar[str] = "fairness_check_completed"
    check_id: int
    type: str
    version: int
    requisition_id: int | None
    passed: bool
    offline: bool
    identity_rate: float


@dataclass(frozen=True, slots=True)
class PromptActivationOverridden(ActivityDetails):
    """An admin activated a prompt version without a passing fairness check; `reason` is theirs, in full."""

    ACTION: ClassVar[str] = "prompt_activation_overridden"
    type: str
    version: int
    requisition_id: int | None
    reason: str
