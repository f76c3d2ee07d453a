"""What the candidate's interview templates show, built from the engine's `InterviewState`.

The templates autoescape everything; nothing here marks text as safe. Candidate and interviewer
text stays plain text all the way to the page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import quote

from airecruiter.services.interview_views import Contact, InterviewState

MINUTES_PER_QUESTION = 3
ClosedReason = Literal["unknown", "expired", "completed", "human_review"]

_HEADINGS: dict[str, str] = {
    "unknown": "We could not find this interview",
    "expired": "This interview link has expired",
    "completed": "Your interview is complete",
    "human_review": "A person will assess your application",
}


def mailto(contact: Contact, subject: str) -> str | None:
    """A `mailto:` link to the contact with a subject, or None when there is no address to write to."""
    if not contact.email:
        return None
    return f"mailto:{contact.email}?subject={quote(subject)}"


def when_expires(at: datetime) -> str:
    """`14 March 2025 at 09:30 UTC`."""
    utc = at.astimezone(UTC)
    return f"{utc.day} {utc:%B %Y} at {utc:%H:%M} UTC"


def progress_text(state: InterviewState) -> str:
    """`Question 2 of about 4` (empty before the first question)."""
    if state.progress.question <= 0:
        return ""
    return f"Question {state.progress.question} of about {state.progress.of_about}"


def _urls(token: str) -> dict[str, str]:
    return {
        "page_url": f"/interview/{token}",
        "start_url": f"/interview/{token}/start",
        "answer_url": f"/interview/{token}/answer",
        "api_url": f"/api/interview/{token}",
        "person_url": f"/interview/{token}/person",
    }


def _common(token: str, state: InterviewState) -> dict[str, Any]:
    return {
        **_urls(token),
        "company": state.company,
        "position": state.position,
        "first_name": state.candidate_first_name,
        "contact": state.contact,
        "contact_link": mailto(state.contact, f"Question about my interview for {state.position}"),
        "expires": when_expires(state.expires_at),
    }


def welcome_context(token: str, state: InterviewState) -> dict[str, Any]:
    """The welcome page: the role, how long it takes, how answers are used, whom to ask for an alternative."""
    questions = state.progress.of_about
    return {
        **_common(token, state),
        "questions": questions,
        "minutes": questions * MINUTES_PER_QUESTION,
        "alternative_link": mailto(
            state.contact, f"Interview for {state.position}: a human interviewer or an accommodation"
        ),
    }


def chat_context(token: str, state: InterviewState, *, error: str | None = None, draft: str = "") -> dict[str, Any]:
    """The chat: the transcript, progress, the answer box (with a refused answer kept in it) and its limits."""
    messages = [
        {
            "seq": m.seq,
            "role": m.role,
            "content": m.content,
            "who": "You" if m.role == "candidate" else "Interviewer (AI)",
        }
        for m in state.messages
    ]
    return {
        **_common(token, state),
        "messages": messages,
        "last_seq": messages[-1]["seq"] if messages else 0,
        "progress": progress_text(state),
        "max_chars": state.max_answer_chars,
        "max_chars_text": f"{state.max_answer_chars:,}",
        "waiting_for_interviewer": state.waiting_for == "interviewer",
        "notice": state.notice,
        "retry_after_seconds": state.retry_after_seconds or 0,
        "error": error,
        "draft": draft,
    }


def closed_context(reason: ClosedReason, message: str, contact: Contact, company: str) -> dict[str, Any]:
    """The plain page of a link that is unknown, expired or completed, and whom to contact."""
    subjects = {
        "unknown": "My interview link does not work",
        "expired": "My interview link expired",
        "completed": "Question about my completed interview",
        "human_review": "My application, assessed by a person",
    }
    return {
        "reason": reason,
        "heading": _HEADINGS[reason],
        "message": message,
        "company": company,
        "contact": contact,
        "contact_link": mailto(contact, subjects[reason]),
    }
