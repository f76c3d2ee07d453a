"""Reading order for multi-column PDF pages: detect interleaved columns cheaply, re-read them with pdfminer."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import pairwise

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTAnno, LTChar, LTPage, LTTextBox, LTTextLine

from airecruiter.adapters.documents.hidden_text import (
    MIN_VISIBLE_FRACTION,
    Box,
    contains_point,
    is_near_white,
    is_tiny,
    pdf_color,
    visible_fraction,
)
from airecruiter.ports.documents import HiddenReason

_MIN_COLUMN_LINES = 3  # a column has at least this many segments beside the other column
_MIN_COLUMN_WIDTH = 0.15  # of the page width: narrower "columns" are right-aligned dates or labels
_MAX_COLUMN_SWITCHES = 4  # column-ordered text switches sides a few times; interleaved text on every line
_LAPARAMS = LAParams()


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


def layout_text(data: bytes, page_index: int, hidden_boxes: Sequence[tuple[Box, HiddenReason]]) -> str:
    """The visible text of one page in pdfminer's layout reading order (columns one after another)."""
    pages = extract_pages(io.BytesIO(data), page_numbers=[page_index], maxpages=page_index + 1, laparams=_LAPARAMS)
    for page in pages:
        return "\n".join(_box_text(box, page, hidden_boxes) for box in _text_boxes(page))
    return ""


def _text_boxes(page: LTPage) -> Iterator[LTTextBox]:
    for element in page:
        if isinstance(element, LTTextBox):
            yield element


def _box_text(box: LTTextBox, page: LTPage, hidden_boxes: Sequence[tuple[Box, HiddenReason]]) -> str:
    parts: list[str] = []
    for line in box:
        if not isinstance(line, LTTextLine):
            continue
        for item in line:
            if isinstance(item, LTChar):
                if not _char_hidden(item, page, hidden_boxes):
                    parts.append(item.get_text())
            elif isinstance(item, LTAnno):
                parts.append(item.get_text())
    return "".join(parts)


def _char_hidden(char: LTChar, page: LTPage, hidden_boxes: Sequence[tuple[Box, HiddenReason]]) -> bool:
    """The same rules PDFium applied, seen from pdfminer's side (it has colour and size per glyph)."""
    colour = pdf_color(char.graphicstate.ncolor)
    if colour is not None and is_near_white(*colour):
        # PDFium already decided whether a dark backdrop makes this white text legible.
        return _inside_hidden(char, hidden_boxes)
    if is_tiny(char.size):
        return True
    if visible_fraction(char.bbox, page.bbox) < MIN_VISIBLE_FRACTION:
        return True
    return _inside_hidden(char, hidden_boxes, only=("clipped/off-page", "invisible text"))


def _inside_hidden(
    char: LTChar, hidden_boxes: Sequence[tuple[Box, HiddenReason]], only: tuple[HiddenReason, ...] | None = None
) -> bool:
    x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
    return any(contains_point(box, x, y) for box, reason in hidden_boxes if only is None or reason in only)
