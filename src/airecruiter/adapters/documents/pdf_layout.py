"""Reading order of a PDF page from its characters' positions, in time linear in the page's size.

Characters become pieces (runs on one line, in stream order), pieces become lines, and a page
whose text stands in two columns beside each other is read column by column. Where the content
stream is not in reading order (headings written last, labels before their values), lines are
taken top to bottom, left to right, as poppler's and pdfminer's layout analyses order them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from airecruiter.adapters.documents.hidden_text import Box

_MIN_COLUMN_LINES = 3  # a column has at least this many lines beside the other column
_MIN_COLUMN_WIDTH = 0.15  # of the page width: narrower "columns" are right-aligned dates or labels
_MAX_COLUMN_SWITCHES = 4  # column-ordered text switches sides a few times; interleaved text on every line
_MIN_COLUMN_SHARE = 0.2  # each column holds at least this share of the text beside it (dates hold less)
_GUTTER_CANDIDATES = 8  # most common line starts tried as a gutter: keeps the search linear
_WORD_GAP = 0.5  # of the line height: a wider gap where PDFium put no space still is one
_PIECE_GAP = 1.0  # of the line height: a wider gap between two text objects starts a new piece
_SEPARATORS = frozenset(["", " ", "\t", "\r", "\n", "\u00a0", "\u3000"])  # not \x1c-\x1f: glyphs of broken fonts
_MAX_UPWARD_JUMPS = 2  # a stream in reading order climbs back up the page at most this often per column


@dataclass(slots=True)
class Glyph:
    """One character PDFium reports, with its loose box (None for a separator PDFium generated)."""

    char: str
    box: Box | None
    owner: int  # the text object's address; 0 for generated characters


@dataclass(slots=True)
class Piece:
    """Characters on one line, consecutive in the content stream."""

    chars: list[str]
    box: Box
    owner: int
    order: int = 0

    @property
    def text(self) -> str:
        return "".join(self.chars).strip()

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    @property
    def centre(self) -> float:
        return (self.box[1] + self.box[3]) / 2


def pieces(glyphs: Sequence[Glyph]) -> list[Piece]:
    """The glyphs (in stream order) grouped into pieces: a new one on a new line or after a wide gap."""
    found: list[Piece] = []
    current: Piece | None = None
    space = False
    for glyph in glyphs:
        if glyph.box is None or glyph.char in _SEPARATORS:
            if glyph.char in "\r\n" and glyph.box is None:
                current = None
            space = space or bool(glyph.char)
            continue
        if current is not None and _continues(current, glyph):
            gap = glyph.box[0] - current.box[2]
            if space or gap > _WORD_GAP * current.height:
                current.chars.append(" ")
            current.chars.append(glyph.char)
            current.box = _union(current.box, glyph.box)
            current.owner = glyph.owner
        else:
            current = Piece([glyph.char], glyph.box, glyph.owner, order=len(found))
            found.append(current)
        space = False
    return found


def _continues(piece: Piece, glyph: Glyph) -> bool:
    """Whether `glyph` carries on `piece`'s line: same row, not behind it, and near it or in its object."""
    assert glyph.box is not None
    centre = (glyph.box[1] + glyph.box[3]) / 2
    if not piece.box[1] <= centre <= piece.box[3]:
        return False
    height = max(piece.height, glyph.box[3] - glyph.box[1], 1.0)
    gap = glyph.box[0] - piece.box[2]
    if gap < -0.5 * height:
        return glyph.owner == piece.owner and glyph.box[0] >= piece.box[0]
    # A text object is never cut: its own gaps (a TeX \hfill kern) stay inside the piece.
    return glyph.owner == piece.owner or gap <= _PIECE_GAP * height


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def reading_order(found: Sequence[Piece], page_width: float) -> str:
    """The page's text: columns one after another, lines top to bottom where the stream is out of order."""
    lines: list[str] = []
    for group in _column_groups(list(found), page_width, depth=3):
        lines.extend(_stream_lines(group) if _in_order(group) else _row_lines(group))
    return "\n".join(lines)


def _column_groups(found: list[Piece], page_width: float, depth: int) -> list[list[Piece]]:
    """The pieces as groups read one after another: above a column band, its left, its right, below."""
    split = _column_band(found, page_width) if depth > 0 and found else None
    if split is None:
        return [found] if found else []
    gutter, top, bottom = split
    above = [p for p in found if p.centre > top]
    below = [p for p in found if p.centre < bottom]
    inside = [p for p in found if bottom <= p.centre <= top]
    left = [p for p in inside if p.box[2] <= gutter + 1]
    right = [p for p in inside if p.box[2] > gutter + 1]
    groups = _column_groups(above, page_width, depth - 1)
    groups += [g for g in (left, right) if g]
    return groups + _column_groups(below, page_width, depth - 1)


def column_gutter(boxes: Sequence[Box], page_width: float) -> float | None:
    """The x of a gutter with text columns on both sides at the same heights, or None for one column."""
    split = _column_band([Piece([], box, 0) for box in boxes], page_width)
    return None if split is None else split[0]


def _column_band(found: Sequence[Piece], page_width: float) -> tuple[float, float, float] | None:
    """The best (gutter x, band top, band bottom) where two real columns stand beside each other."""
    starts = Counter(round(p.box[0] / 4) for p in found if 0.2 * page_width < p.box[0] < 0.8 * page_width)
    by_height = sorted(found, key=lambda p: -p.centre)
    best: tuple[int, tuple[float, float, float]] | None = None
    for key, count in starts.most_common(_GUTTER_CANDIDATES):
        if count < _MIN_COLUMN_LINES:
            break
        gutter = min(p.box[0] for p in found if round(p.box[0] / 4) == key) - 1
        band = _widest_band(by_height, gutter, page_width)
        if band is not None and (best is None or band[0] > best[0]):
            best = (band[0], (gutter, band[1], band[2]))
    return None if best is None else best[1]


def _widest_band(by_height: Sequence[Piece], gutter: float, page_width: float) -> tuple[int, float, float] | None:
    """Among the runs of lines no piece crosses `gutter`, the one with most lines holding two columns."""
    best: tuple[int, float, float] | None = None
    run: list[Piece] = []
    for piece in [*by_height, None]:
        crossing = piece is None or (piece.box[0] < gutter - 1 and piece.box[2] > gutter + 1)
        if not crossing:
            assert piece is not None
            run.append(piece)
            continue
        if run and _two_columns(run, gutter, page_width) and (best is None or len(run) > best[0]):
            best = (len(run), max(p.box[3] for p in run), min(p.box[1] for p in run))
        run = []
    return best


def _two_columns(run: Sequence[Piece], gutter: float, page_width: float) -> bool:
    """Whether both sides hold real columns: lines enough, wide lines, and each a fair share of the text."""
    left = [p for p in run if p.box[2] <= gutter + 1]
    right = [p for p in run if p.box[0] >= gutter - 1]
    if len(_rows(left)) < _MIN_COLUMN_LINES or len(_rows(right)) < _MIN_COLUMN_LINES:
        return False
    if min(_upper_width(left), _upper_width(right)) < _MIN_COLUMN_WIDTH * page_width:
        return False
    left_ink, right_ink = _ink(left), _ink(right)
    return min(left_ink, right_ink) >= _MIN_COLUMN_SHARE * (left_ink + right_ink)


def is_interleaved(boxes: Sequence[Box], gutter: float) -> bool:
    """True when text in stream order hops between the columns line by line (so it must be re-read)."""
    sides = [s[2] <= gutter + 1 for s in boxes if s[2] <= gutter + 1 or s[0] >= gutter - 1]
    switches = sum(1 for a, b in pairwise(sides) if a != b)
    return switches > _MAX_COLUMN_SWITCHES


def _in_order(group: Sequence[Piece]) -> bool:
    """Whether the stream reads the group down the page: it climbs back up only a few times."""
    ordered = sorted(group, key=lambda p: p.order)
    jumps = sum(1 for a, b in pairwise(ordered) if b.box[1] > a.box[3] + 0.5 * a.height)
    return jumps <= _MAX_UPWARD_JUMPS


def _stream_lines(group: Sequence[Piece]) -> list[str]:
    """The group in stream order, pieces on the same row joined into one line."""
    lines: list[str] = []
    previous: Piece | None = None
    for piece in sorted(group, key=lambda p: p.order):
        if previous is not None and _same_row(previous, piece) and piece.box[0] >= previous.box[0]:
            lines[-1] += " " + piece.text
        else:
            lines.append(piece.text)
        previous = piece
    return lines


def _row_lines(group: Sequence[Piece]) -> list[str]:
    """The group by position: rows top to bottom, pieces in a row left to right."""
    return [" ".join(p.text for p in sorted(row, key=lambda p: p.box[0])) for row in _rows(group)]


def _rows(group: Sequence[Piece]) -> list[list[Piece]]:
    """Pieces grouped into rows, top to bottom: a piece whose middle lies within a row's first piece."""
    rows: list[list[Piece]] = []
    for piece in sorted(group, key=lambda p: (-p.box[3], p.box[0])):
        if rows and rows[-1][0].box[1] <= piece.centre <= rows[-1][0].box[3]:
            rows[-1].append(piece)
        else:
            rows.append([piece])
    return rows


def _same_row(a: Piece, b: Piece) -> bool:
    return a.box[1] <= b.centre <= a.box[3] or b.box[1] <= a.centre <= b.box[3]


def _upper_width(found: Sequence[Piece]) -> float:
    """The width nine pieces in ten stay under: a column's full line (its last lines may be short)."""
    widths = sorted(p.box[2] - p.box[0] for p in found)
    return widths[9 * len(widths) // 10]


def _ink(found: Sequence[Piece]) -> float:
    return sum(p.box[2] - p.box[0] for p in found)
