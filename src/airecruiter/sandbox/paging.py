"""Paging as Workday does it (spec 4, 9.3): Response_Filter, snapshots pinned by As_Of_Entry_DateTime."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from lxml import etree

from airecruiter.sandbox.faults import ValidationFault
from airecruiter.sandbox.xmlutil import (
    child,
    local_name,
    parse_count,
    parse_date,
    parse_datetime,
    sub,
    truncate_ms,
)

T = TypeVar("T")
DEFAULT_COUNT = 100
MAX_COUNT = 999
SNAPSHOT_SECONDS = 2 * 3600  # Workday keeps a paged result for two hours between requests
MAX_SNAPSHOTS = 200  # bounds memory when clients never reuse As_Of_Entry_DateTime


@dataclass(frozen=True)
class PageRequest:
    """The effective Response_Filter of a request."""

    page: int
    count: int
    as_of: datetime  # As_Of_Entry_DateTime: given by the client, or the server's now

    @property
    def offset(self) -> int:
        """Index of the first item of the page."""
        return (self.page - 1) * self.count


def parse_response_filter(request: etree._Element, now: datetime) -> PageRequest:
    """Read Response_Filter with Workday's defaults; Page < 1 and Count outside 1..999 are validation faults."""
    fil = child(request, "Response_Filter")
    page, count, as_of = 1, DEFAULT_COUNT, truncate_ms(now)
    if fil is None:
        return PageRequest(page, count, as_of)
    page_el, count_el = child(fil, "Page"), child(fil, "Count")
    if page_el is not None:
        page = _number(page_el)
        if page < 1:
            raise ValidationFault.at("Page Number cannot be zero.", page_el)
    if count_el is not None:
        count = _number(count_el)
        if not 1 <= count <= MAX_COUNT:
            raise ValidationFault.at(f"Count must be between 1 and {MAX_COUNT}", count_el)
    entry_el, effective_el = child(fil, "As_Of_Entry_DateTime"), child(fil, "As_Of_Effective_Date")
    if entry_el is not None:
        parsed = parse_datetime(entry_el.text or "")
        if parsed is None:
            raise ValidationFault.at(f"Invalid dateTime value '{(entry_el.text or '').strip()}'", entry_el)
        as_of = truncate_ms(parsed)
    if effective_el is not None and parse_date(effective_el.text or "") is None:
        raise ValidationFault.at(f"Invalid date value '{(effective_el.text or '').strip()}'", effective_el)
    return PageRequest(page, count, as_of)


def _number(element: etree._Element) -> int:
    value = parse_count(element.text or "")
    if value is None:
        raise ValidationFault.at(f"Invalid value '{(element.text or '').strip()}' for {local_name(element)}", element)
    return value


def add_response_filter(parent: etree._Element, sent: etree._Element | None) -> None:
    """Echo the Response_Filter exactly as the client sent it: no filter when none was sent.

    A tenant fills in nothing the client left out (whether it echoes a server-filled
    As_Of_Entry_DateTime is unknown, spec 4), so a client must pin its own snapshot time.
    Values come back verbatim (an As_Of_Entry_DateTime with an offset keeps its offset).
    """
    if sent is None:
        return
    fil = sub(parent, "Response_Filter")
    for name in ("As_Of_Effective_Date", "As_Of_Entry_DateTime", "Page", "Count"):
        given = child(sent, name)
        if given is not None:
            sub(fil, name, (given.text or "").strip())


def add_response_results(parent: etree._Element, total: int, page: PageRequest) -> tuple[int, int]:
    """Write Response_Results and return the [start, end) slice of this page."""
    start = min(page.offset, total)
    end = min(start + page.count, total)
    results = sub(parent, "Response_Results")
    sub(results, "Total_Results", str(total))
    sub(results, "Total_Pages", str(math.ceil(total / page.count) if total else 0))
    sub(results, "Page_Results", str(end - start))
    if total:  # a tenant sends no Page when nothing matched
        sub(results, "Page", str(page.page))
    return start, end


@dataclass
class Snapshot(Generic[T]):
    """The result list of a paged run as of its page 1."""

    items: list[T]
    as_of: datetime  # the instant the data is read at (never later than when the snapshot was built)
    expires: float


class SnapshotStore:
    """Snapshots keyed by operation + criteria + As_Of_Entry_DateTime, kept for two hours."""

    def __init__(self, lifetime: float = SNAPSHOT_SECONDS) -> None:
        self.lifetime = lifetime
        self._items: dict[Hashable, Snapshot[object]] = {}

    def get(self, key: Hashable, as_of: datetime, now: datetime, build: Callable[[datetime], list[T]]) -> Snapshot[T]:
        """The snapshot for `key`, built from `build(read_at)` on first use (or after it expired)."""
        clock = time.monotonic()
        self._evict(clock)
        found = self._items.get(key)
        if found is None:
            # A client clock ahead of ours must not let later changes leak into "as of page 1".
            read_at = min(as_of, now)
            found = Snapshot(list(build(read_at)), read_at, clock + self.lifetime)
            self._items[key] = found
        return found  # type: ignore[return-value]

    def clear(self) -> None:
        """Forget every snapshot."""
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    def _evict(self, clock: float) -> None:
        expired = [key for key, snap in self._items.items() if snap.expires <= clock]
        for key in expired:
            del self._items[key]
        while len(self._items) >= MAX_SNAPSHOTS:
            del self._items[next(iter(self._items))]
