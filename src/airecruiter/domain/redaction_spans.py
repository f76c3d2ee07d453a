"""Spans of text claimed by redaction rules, and the validation of phone numbers among them.

Helpers of `domain.redaction`: `Taken` keeps the claimed spans sorted and disjoint, with overlap
tests in O(log n); `phone_spans` tells phone numbers from dates and IP addresses.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Iterable, Iterator

from airecruiter.domain.redaction_patterns import IP, PHONE_INTERNATIONAL, PHONE_LABELLED, PHONE_LOCAL, PHONE_LOOSE

Span = tuple[int, int]


# --- phone validation ------------------------------------------------------------------------
def digits(text: str) -> str:
    """The digits of `text`, nothing else."""
    return re.sub(r"\D", "", text)


def _looks_like_date(candidate: str) -> bool:
    """Years, year ranges and day/month/year groups: 2018-2022, 01/2019 - 03/2021, 12.05.1990."""
    groups = re.findall(r"\d+", candidate)
    years = [g for g in groups if len(g) == 4 and g[:2] in ("19", "20")]
    return bool(years) and all(len(g) <= 2 or g in years for g in groups)


def phone_spans(text: str, phone_key: str | None) -> Iterator[Span]:
    """Phone numbers in `text` (never dates or IP addresses); with `phone_key`, the candidate's own anywhere."""
    for m in PHONE_INTERNATIONAL.finditer(text):
        if 8 <= len(digits(m.group().replace("(0)", ""))) <= 15:
            yield m.span()
    for pattern, low, high in ((PHONE_LOCAL[0], 10, 10), (PHONE_LOCAL[1], 7, 12), (PHONE_LOCAL[2], 9, 12)):
        for m in pattern.finditer(text):
            value = m.group()
            if low <= len(digits(value)) <= high and not _looks_like_date(value) and not IP.fullmatch(value):
                yield m.span()
    for m in PHONE_LABELLED.finditer(text):
        if 6 <= len(digits(m.group("v"))) <= 15 and not _looks_like_date(m.group("v")):
            yield m.span("v")
    if phone_key:
        for m in PHONE_LOOSE.finditer(text):
            if phone_key in digits(m.group()):
                yield m.span()


class Taken:
    """Spans already claimed by a placeholder, sorted and disjoint, with overlap tests in O(log n)."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._spans: list[Span] = sorted(spans)
        self._ends: list[int] = [end for _, end in self._spans]

    def overlaps(self, span: Span) -> bool:
        """True when `span` shares a character with a claimed span."""
        i = bisect.bisect_right(self._ends, span[0])  # the first claimed span ending after span's start
        return i < len(self._spans) and self._spans[i][0] < span[1]

    def claim(self, spans: Iterable[Span]) -> list[Span]:
        """The union of `spans` outside claimed ones, merged where they touch; claimed from now on."""
        merged: list[Span] = []
        for start, end in sorted(s for s in spans if s[0] < s[1] and not self.overlaps(s)):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        # Every point of a merged span lies in one of its parts, so it overlaps nothing claimed either.
        self._spans = list(heapq.merge(self._spans, merged))
        self._ends = [end for _, end in self._spans]
        return merged
