"""One read of an interview's transcript, and what the candidate sees of it."""

from __future__ import annotations

from dataclasses import dataclass

from airecruiter.db.interview_sessions import InterviewSession
from airecruiter.db.interviews import InterviewMessageRecord, InterviewRecord
from airecruiter.domain import interview_rules as rules
from airecruiter.domain.statuses import InterviewStatus
from airecruiter.services.interview_views import Contact, InterviewState, MessageView

THINKING_NOTICE = "The interviewer is taking a moment to reply. Your answer is saved; try again in a few seconds."
THINKING_RETRY_SECONDS = 5


@dataclass(frozen=True)
class Snapshot:
    """One interview's transcript as read in one transaction, and the questions its analysis suggested."""

    interview: InterviewRecord
    transcript: list[InterviewMessageRecord]
    suggested_questions: list[str]

    @property
    def answers(self) -> int:
        return sum(1 for m in self.transcript if m.role == "candidate")

    @property
    def basis(self) -> int:
        return self.transcript[-1].seq if self.transcript else 0

    @property
    def waiting_for(self) -> rules.Waiting | None:
        last: rules.Role | None = None
        if self.transcript:
            last = "candidate" if self.transcript[-1].role == "candidate" else "interviewer"
        return rules.waiting_for(self.interview.status, last)


def state_of(
    session: InterviewSession, snapshot: Snapshot, *, company: str, contact: Contact, max_answer_chars: int
) -> InterviewState:
    """What the candidate sees of the interview in this snapshot."""
    interview = snapshot.interview
    complete = interview.status == InterviewStatus.COMPLETED
    roles: list[tuple[rules.Role, str]] = [
        ("candidate" if m.role == "candidate" else "interviewer", m.content) for m in snapshot.transcript
    ]
    waiting = snapshot.waiting_for
    # Only returned after the reply was asked for: it failed or is still on its way.
    pending = waiting == "interviewer"
    return InterviewState(
        status=interview.status,
        position=session.position,
        company=company,
        candidate_first_name=rules.first_name(session.candidate_name),
        messages=tuple(MessageView(m.seq, m.role, m.content, m.created_at) for m in snapshot.transcript),
        progress=rules.progress(roles, rules.expected_questions(snapshot.suggested_questions), complete=complete),
        complete=complete,
        waiting_for=waiting,
        expires_at=interview.expires_at,
        contact=contact,
        max_answer_chars=max_answer_chars,
        notice=THINKING_NOTICE if pending else None,
        retry_after_seconds=THINKING_RETRY_SECONDS if pending else None,
    )
