"""Activity details of the candidate's access requests and of the request register: ids and counts only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from airecruiter.domain.activity_details import ActivityDetails


@dataclass(frozen=True, slots=True)
class CandidateDataExported(ActivityDetails):
    """An access request answered: a ZIP of everything held about a candidate was made."""

    ACTION: ClassVar[str] = "candidate_data_exported"
    request_id: int
    application_ids: tuple[int, ...]
    records: int
    files: int
    missing_files: int


@dataclass(frozen=True, slots=True)
class CandidateRequestClosed(ActivityDetails):
    """An admin closed a request of the register (done or refused); the note stays in the register."""

    ACTION: ClassVar[str] = "candidate_request_closed"
    request_id: int
    kind: str
    status: str
