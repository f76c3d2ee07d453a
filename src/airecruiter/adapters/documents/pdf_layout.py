"""Reading order for multi-column PDF pages: find the gutter and whether the text stream hops across it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from airecruiter.adapters.documents.hidden_text import Box

_MIN_COLUMN_LINES = 3  # a column has at least this many segments beside the other column
_MIN_COLUMN_WIDTH = 0.15  # of the page width: narrower "columns" are right-aligned dates or labels
_MAX_COLUMN_SWITCHES = 4  # column-ordered text switches sides a few times; interleaved text on every line


def column_gutter(segments: Sequence[Box], page_width: float) -> float | None:
    """The x of a gutter with text columns on both sides at the same heights, or None for one column."""
    starts = Counter(round(s[0] / 4) for s in segments if 0.2 * page_width < s[0] < 0.8 * page_width)
    for key, count in starts.most_common():
        if count < _MIN_COLUMN_LINES:
            break
        gutter = key * 4 - 3
        left = [s for s in segments if s[2] <= gutter + 1]
        right = [s for s in segments if s[0] >= gutter - 1]
        beside = [r for r in right if any(_same_height(r, s) for s in left)]
        if len(beside) < _MIN_COLUMN_LINES:
            continue
        narrowest = min(_median_width(left), _median_width(right))
        if narrowest >= _MIN_COLUMN_WIDTH * page_width:
            return gutter
    return None


def is_interleaved(segments: Sequence[Box], gutter: float) -> bool:
    """True when text in stream order hops between the columns line by line (so it must be re-read)."""
    sides = [s[2] <= gutter + 1 for s in segments if s[2] <= gutter + 1 or s[0] >= gutter - 1]
    switches = sum(1 for a, b in pairwise(sides) if a != b)
    return switches > _MAX_COLUMN_SWITCHES


def _same_height(a: Box, b: Box) -> bool:
    return min(a[3], b[3]) - max(a[1], b[1]) > 0.5 * min(a[3] - a[1], b[3] - b[1])


def _median_width(segments: Sequence[Box]) -> float:
    if not segments:
        return 0.0
    widths = sorted(s[2] - s[0] for s in segments)
    return widths[len(widths) // 2]
