"""The notice period in business days: weekends, holidays, period 0, a DST change."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from airecruiter.domain.business_days import (
    NoticeCalendar,
    add_business_days,
    notice_passed,
    parse_holidays,
    period_end,
)
from airecruiter.domain.notice import NoticeFacts, NoticeState, notice_state
from airecruiter.errors import ValidationError

PLAIN = NoticeCalendar()


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 3, 2), 0, date(2026, 3, 2)),  # period 0: the day itself
        (date(2026, 3, 2), 1, date(2026, 3, 3)),  # Monday → Tuesday
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday → Monday: the weekend does not count
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # a Saturday notice counts from the next business day
        (date(2026, 3, 2), 10, date(2026, 3, 16)),  # NYC's ten business days: two full weeks
    ],
)
def test_business_days_skip_weekends(start: date, days: int, expected: date) -> None:
    assert add_business_days(start, days, PLAIN) == expected


def test_a_holiday_on_a_friday_pushes_the_end_past_the_weekend() -> None:
    calendar = NoticeCalendar(holidays=parse_holidays("2026-07-03"))  # Independence Day observed, a Friday
    assert add_business_days(date(2026, 7, 2), 1, calendar) == date(2026, 7, 6)
    assert add_business_days(date(2026, 6, 26), 10, calendar) == date(2026, 7, 13)


def test_the_period_ends_at_local_midnight_across_a_dst_change() -> None:
    calendar = NoticeCalendar(time_zone="America/New_York")
    # Friday 6 March 2026; clocks go forward on Sunday 8 March: the end is midnight EDT (04:00 UTC).
    end = period_end(date(2026, 3, 6), 1, calendar)
    assert end.astimezone(UTC) == datetime(2026, 3, 9, 4, 0, tzinfo=UTC)
    assert not notice_passed(
        given_on=date(2026, 3, 6), days=1, now=datetime(2026, 3, 9, 3, 59, tzinfo=UTC), calendar=calendar
    )
    assert notice_passed(
        given_on=date(2026, 3, 6), days=1, now=datetime(2026, 3, 9, 4, 0, tzinfo=UTC), calendar=calendar
    )


def test_a_zero_period_has_always_passed() -> None:
    assert notice_passed(given_on=date(2030, 1, 1), days=0, now=datetime(2026, 1, 1, tzinfo=UTC), calendar=PLAIN)


def test_the_local_date_of_a_notice_is_the_time_zones() -> None:
    calendar = NoticeCalendar(time_zone="America/New_York")
    assert calendar.local_date(datetime(2026, 3, 3, 2, 0, tzinfo=UTC)) == date(2026, 3, 2)


def test_bad_settings_are_refused_with_their_value() -> None:
    with pytest.raises(ValidationError, match="Mars/Olympus"):
        NoticeCalendar(time_zone="Mars/Olympus")
    with pytest.raises(ValidationError, match="25/12/2026"):
        parse_holidays("2026-01-01, 25/12/2026")
    assert parse_holidays(" 2026-01-01 , ,2026-12-25") == {date(2026, 1, 1), date(2026, 12, 25)}


def test_the_notice_state_of_an_application() -> None:
    calendar = NoticeCalendar(time_zone="America/New_York")
    monday = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    assert notice_state(NoticeFacts(), now=monday, calendar=calendar) is NoticeState.NOT_REQUIRED
    assert notice_state(NoticeFacts(period_days=10), now=monday, calendar=calendar) is NoticeState.TO_SEND
    sent = NoticeFacts(period_days=10, notice_sent_at=monday)
    assert notice_state(sent, now=datetime(2026, 3, 13, tzinfo=UTC), calendar=calendar) is NoticeState.WAITING
    assert (
        notice_state(sent, now=datetime(2026, 3, 16, 4, 0, tzinfo=UTC), calendar=calendar) is NoticeState.NOT_REQUIRED
    )
    # A notice in the job posting counts from its date, and no email is due.
    posted = NoticeFacts(period_days=10, given_on=date(2026, 2, 2))
    assert notice_state(posted, now=monday, calendar=calendar) is NoticeState.NOT_REQUIRED
    early = NoticeFacts(period_days=10, given_on=date(2026, 2, 27))
    assert notice_state(early, now=monday, calendar=calendar) is NoticeState.WAITING
