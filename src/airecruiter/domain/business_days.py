"""Business-day arithmetic for the advance-notice period: weekends and holidays skipped, in one time zone.

NYC Local Law 144 asks for notice "at least ten business days" before an automated tool is used; a
business day is counted in the time zone of whoever gives the notice, so the calendar carries one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from airecruiter.errors import ValidationError

MAX_NOTICE_DAYS = 60
_SATURDAY = 5


@dataclass(frozen=True)
class NoticeCalendar:
    """The time zone business days are counted in and the holidays that do not count."""

    time_zone: str = "UTC"
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        zone(self.time_zone)  # refuses an unknown zone when the calendar is built, not at first use

    @property
    def tz(self) -> ZoneInfo:
        """The calendar's time zone."""
        return zone(self.time_zone)

    def is_business_day(self, day: date) -> bool:
        """Monday to Friday and not a holiday."""
        return day.weekday() < _SATURDAY and day not in self.holidays

    def local_date(self, moment: datetime) -> date:
        """The calendar date of `moment` in this time zone."""
        return moment.astimezone(self.tz).date()


def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name`, or a ValidationError naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"{name!r} is not a known time zone (an IANA name such as America/New_York).") from exc


def parse_holidays(value: str) -> frozenset[date]:
    """Comma-separated ISO dates (`2026-12-25,2027-01-01`) as a set; blanks are ignored."""
    holidays: set[date] = set()
    for part in value.split(","):
        if part.strip():
            try:
                holidays.add(date.fromisoformat(part.strip()))
            except ValueError as exc:
                raise ValidationError(f"{part.strip()!r} is not an ISO date (YYYY-MM-DD).") from exc
    return frozenset(holidays)


def add_business_days(start: date, days: int, calendar: NoticeCalendar) -> date:
    """The date `days` business days after `start`; `start` itself when `days` is 0."""
    if days < 0:
        raise ValueError("a notice period cannot be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if calendar.is_business_day(current):
            remaining -= 1
    return current


def period_end(given_on: date, days: int, calendar: NoticeCalendar) -> datetime:
    """The moment a notice given on `given_on` has run: the start of the day `days` business days later."""
    end = add_business_days(given_on, days, calendar)
    # Local midnight: a DST change moves its UTC offset, never the calendar day.
    return datetime.combine(end, time.min, tzinfo=calendar.tz)


def notice_passed(*, given_on: date, days: int, now: datetime, calendar: NoticeCalendar) -> bool:
    """Whether a notice period of `days` business days from `given_on` is over at `now`."""
    return days <= 0 or now >= period_end(given_on, days, calendar)
