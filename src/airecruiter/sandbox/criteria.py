"""Request_Criteria pieces shared by the Get operations: date windows and the transaction log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from airecruiter.sandbox.faults import ValidationFault
from airecruiter.sandbox.requests import check_children
from airecruiter.sandbox.xmlutil import child, children, parse_datetime

TRANSACTION_LOG_CHILDREN = ("Transaction_Date_Range_Data", "Transaction_Type_References", "Subscriber_Reference")
DATE_RANGE_CHILDREN = ("Updated_From", "Updated_Through", "Effective_From", "Effective_Through")


@dataclass(frozen=True)
class Window:
    """An inclusive time window; an open end is None."""

    start: datetime | None = None
    end: datetime | None = None

    def contains(self, moment: datetime) -> bool:
        """start <= moment <= end, open ends ignored."""
        return (self.start is None or self.start <= moment) and (self.end is None or moment <= self.end)


def datetime_of(parent: etree._Element, name: str) -> datetime | None:
    """An optional xsd:dateTime child; malformed is a validation fault."""
    element = child(parent, name)
    if element is None:
        return None
    parsed = parse_datetime(element.text or "")
    if parsed is None:
        raise ValidationFault.at(f"Invalid dateTime value '{(element.text or '').strip()}' for {name}", element)
    return parsed


def window(parent: etree._Element, start: str, end: str) -> Window | None:
    """The window given by two optional children (e.g. Applied_From/Applied_Through); None when neither is there."""
    low, high = datetime_of(parent, start), datetime_of(parent, end)
    return None if low is None and high is None else Window(low, high)


def transaction_windows(criteria: etree._Element) -> list[Window]:
    """The Updated_From/Updated_Through windows of every Transaction_Log_Criteria_Data (any one may match)."""
    windows = []
    for log in children(criteria, "Transaction_Log_Criteria_Data"):
        check_children(log, TRANSACTION_LOG_CHILDREN)
        for dates in children(log, "Transaction_Date_Range_Data"):
            check_children(dates, DATE_RANGE_CHILDREN)
            found = window(dates, "Updated_From", "Updated_Through")
            windows.append(found or Window())
    return windows


def in_any(windows: list[Window], moment: datetime) -> bool:
    """True when there are no windows or one of them contains `moment`."""
    return not windows or any(w.contains(moment) for w in windows)
