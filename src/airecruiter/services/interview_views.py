"""What the interview service hands the web layer: the candidate's view, whom to contact, and its errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from airecruiter.domain import interview_rules as rules
from airecruiter.errors import PermanentError, ValidationError


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


# --- errors: each message is what the candidate reads ---------------------------------------------


class InterviewNotFoundError(ValidationError):
    """No interview has this link."""

    def __init__(self) -> None:
        super().__init__(
            "This interview link is not valid. Check that you opened the whole link from your invitation "
            "email; if it still does not work, reply to that email and the recruiter will help."
        )


class InterviewClosedError(PermanentError):
    """The interview was completed or its link expired; the message says whom to contact."""

    def __init__(
        self, reason: Literal["completed", "expired", "human_review"], contact: Contact, at: datetime | None
    ) -> None:
        when = f" on {at.day} {at:%B %Y}" if at is not None else ""
        if reason == "human_review":
            text = (
                "You asked to be assessed by a person, so this AI interview is closed. A member of the "
                f"recruiting team will review your application and contact you. If you have a question, "
                f"{contact.sentence()}."
            )
        elif reason == "completed":
            text = (
                f"This interview is finished: your answers were saved{when} and the hiring team will be in "
                f"touch. If you have a question, {contact.sentence()}."
            )
        else:
            text = (
                f"This interview link expired{when}. If you would still like to be interviewed, "
                f"{contact.sentence()} to ask for a new link."
            )
        super().__init__(text)
        self.reason = reason
        self.contact = contact


class AnswerRejectedError(ValidationError):
    """The answer is empty or too long; the message says what to change."""


class AnswerRateLimitedError(ValidationError):
    """Answers came faster than the rate limit allows; `retry_after` says when the next one is accepted."""


class InterviewConflictError(ValidationError):
    """The request does not fit the interview's state (answering before starting, after the last answer)."""
