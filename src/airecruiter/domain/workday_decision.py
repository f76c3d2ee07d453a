"""The human decision Workday shows for an application, normalized: advanced, rejected, or none yet.

Stage and disposition IDs are tenant data (WORKDAY_ADVANCED_STAGES, WORKDAY_REJECTED_DISPOSITIONS),
compared without case. A rejection wins over the stage: a disposition can sit on any stage.
A withdrawal is the candidate's choice, not a recruiter's decision, so it counts as neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Workday's delivered recruiting stages past the first review (tenant data; a setting overrides it).
DEFAULT_ADVANCED_STAGES = (
    "Screen",
    "Assessment",
    "Interview",
    "Reference_Check",
    "Offer",
    "Employment_Agreement",
    "Background_Check",
    "Ready_for_Hire",
)


class HumanDecision(StrEnum):
    """What a recruiter decided in Workday, as the fairness checks read it."""

    ADVANCED = "advanced"
    REJECTED = "rejected"


@dataclass(frozen=True)
class DecisionRules:
    """Which stage IDs mean "advanced" and which disposition IDs "rejected" (empty: every disposition)."""

    advanced_stages: tuple[str, ...] = DEFAULT_ADVANCED_STAGES
    rejected_dispositions: tuple[str, ...] = ()

    def decide(
        self, *, stage: str | None, disposition: str | None, withdrawn: bool = False, do_not_hire: bool = False
    ) -> HumanDecision | None:
        """The normalized decision for one application's Workday stage, disposition and flags."""
        if withdrawn:
            return None
        if do_not_hire or self.rejects(disposition):
            return HumanDecision.REJECTED
        if stage is not None and stage.strip().casefold() in {s.casefold() for s in self.advanced_stages}:
            return HumanDecision.ADVANCED
        return None

    def rejects(self, disposition: str | None) -> bool:
        """Whether this disposition means the candidate was rejected."""
        if disposition is None:
            return False
        rejected = {r.casefold() for r in self.rejected_dispositions}
        return not rejected or disposition.strip().casefold() in rejected
