"""What the interview engine hands the web layer: the candidate's view of an interview, and whom to contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from airecruiter.domain import interview_rules as rules


@dataclass(frozen=True)
class Contact:
    """Whom a candidate writes to: the requisition's recruiter, else the recruiting team."""

    name: str
    email: str | None

    def sentence(self) -> str:
        """`contact Jane Smith at jane@example.com`."""
        return f"contact {self.name} at {self.email}" if self.email else f"contact {self.name}"


@dataclass(frozen=True)
class MessageView:
    """One message of the transcript."""

    seq: int
    role: str
    content: str
    sent_at: datetime


@dataclass(frozen=True)
class InterviewState:
    """Everything the interview page shows, and whose turn it is."""

    status: str
    position: str
    company: str
    candidate_first_name: str
    messages: tuple[MessageView, ...]
    progress: rules.Progress
    complete: bool
    waiting_for: rules.Waiting | None
    expires_at: datetime
    contact: Contact
    max_answer_chars: int
    notice: str | None = None  # set while the interviewer's reply is missing (failed, or still on its way)
    retry_after_seconds: int | None = None
