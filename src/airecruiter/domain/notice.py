"""Whether an application may go to the AI yet: the advance-notice rule of a requisition.

With a notice period, the first email to a new candidate is a notice, and nothing AI runs on the
application until the period has passed, counted from the notice's sending or, when the job posting
gave the notice, from the date recorded on the requisition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from airecruiter.domain.activity_details import ActivityDetails
from airecruiter.domain.business_days import NoticeCalendar, period_end


class NoticeState(StrEnum):
    """Where an application stands with its notice."""

    NOT_REQUIRED = "not_required"  # no period, or it has passed: the AI may run
    TO_SEND = "to_send"  # the notice email is due
    WAITING = "waiting"  # notice given, the period still running


@dataclass(frozen=True)
class NoticeFacts:
    """The requisition's rule and the application's notice email."""

    period_days: int = 0
    given_on: date | None = None  # notice given in the job posting
    notice_sent_at: datetime | None = None  # when our notice email went out

    def start(self, calendar: NoticeCalendar) -> date | None:
        """The date the period counts from, or None while no notice was given."""
        if self.given_on is not None:
            return self.given_on
        return None if self.notice_sent_at is None else calendar.local_date(self.notice_sent_at)

    def ends_at(self, calendar: NoticeCalendar) -> datetime | None:
        """When the period is over, or None while no notice was given."""
        start = self.start(calendar)
        return None if start is None else period_end(start, self.period_days, calendar)


def notice_state(facts: NoticeFacts, *, now: datetime, calendar: NoticeCalendar) -> NoticeState:
    """Whether the notice is to be sent, is running, or does not hold the AI back (any more)."""
    if facts.period_days <= 0:
        return NoticeState.NOT_REQUIRED
    ends = facts.ends_at(calendar)
    if ends is None:
        return NoticeState.TO_SEND
    return NoticeState.NOT_REQUIRED if now >= ends else NoticeState.WAITING


@dataclass(frozen=True, slots=True)
class NoticeSent(ActivityDetails):
    ACTION: ClassVar[str] = "notice_sent"
    message_id: str
    text_version: int | None
    attempt: int
    found_sent: bool = False  # a retry found the earlier send had gone out


@dataclass(frozen=True, slots=True)
class AnalysisDeferred(ActivityDetails):
    ACTION: ClassVar[str] = "analysis_deferred"
    notice: str  # the NoticeState that holds the AI back
    until: str | None  # when the notice period ends (ISO), None while the notice is still to be sent
