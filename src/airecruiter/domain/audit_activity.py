"""The activity entries of the bias audit: who looked at or exported which range, never a figure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from airecruiter.domain.activity_details import ActivityDetails


@dataclass(frozen=True, slots=True)
class BiasAuditViewed(ActivityDetails):
    """The audit of a range was shown (console) or exported (console or CLI) in a format."""

    ACTION: ClassVar[str] = "bias_audit_viewed"
    start: str
    end: str
    requisition_id: int | None
    format: str  # page, json, csv or pdf
    assessed: int
