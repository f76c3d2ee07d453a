"""Reading order of a PDF page from its characters' positions, in time linear in the page's size.

Characters become pieces (runs on one line, in stream order), pieces become lines, and a page
whose text stands in two columns beside each other is read column by column. Where the content
stream is not in reading order (headings written last, labels before their values), lines are
taken top to bottom, left to right, as poppler's and pdfminer's layout analyses order them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from airecruiter.adapters.documents.hidden_text import Box

_MIN_COLUMN_LINES = 3  # a column has at least this many lines beside the other column
_MIN_COLUMN_WIDTH = 0.15  # of the page width: narrower "columns" are right-aligned dates or labels
_MAX_COLUMN_SWITCHES = 4  # column-ordered text switches sides a few times; interleaved text on every line
_MIN_COLUMN_SHARE = 0.2  # each column holds at least this share of the text beside it (dates hold less)
_MAX_LABEL_ROWS = 0.5  # a label column has at most half as many lines as the values beside it ...
_MIN_LABELS_BESIDE = 0.8  # ... and nearly every label sits on the row of a value
_MIN_START_SHARE = 0.1  # of the pieces: a gutter candidate has this many pieces starting right of it
_GUTTER_CANDIDATES = 8  # most common line starts tried as a gutter: keeps the search linear
_WORD_GAP = 0.5  # of the line height: a wider gap where PDFium put no space still is one
_PIECE_GAP = 1.0  # of the line height: a wider gap between two text objects starts a new piece
SEPARATORS = frozenset(["", " ", "\t", "\r", "\n", "\u00a0", "\u3000"])  # not \x1c-\x1f: glyphs of broken fonts
_MAX_UPWARD_JUMPS = 0  # a stream in reading order never climbs back up within a column


_Kind = Literal["columns", "labels"]


@dataclass(slots=True)
class Glyph:
    """Characters of one text object in a row of the stream, with their loose box (None for spaces and
    line ends PDFium generated between objects)."""

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
        box = glyph.box
        if box is None:
            if "\n" in glyph.char or "\r" in glyph.char:
                current = None
            space = space or bool(glyph.char)
            continue
        if current is not None and _continues(current, glyph.owner, box):
            old = current.box
            if space or glyph.char[:1] in SEPARATORS or box[0] - old[2] > _WORD_GAP * (old[3] - old[1]):
                current.chars.append(" ")
            current.chars.append(glyph.char)
            current.box = (min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]), max(old[3], box[3]))
            current.owner = glyph.owner
        else:
            current = Piece([glyph.char], box, glyph.owner, order=len(found))
            found.append(current)
        space = False
    return found


def _continues(piece: Piece, owner: int, box: Box) -> bool:
    """Whether a glyph carries on `piece`'s line: same row, not behind it, and near it or in its object."""
    left, bottom, right, top = piece.box
    if not bottom <= (box[1] + box[3]) / 2 <= top:
        return False
    height = max(top - bottom, box[3] - box[1], 1.0)
    gap = box[0] - right
    if gap < -0.5 * height:
        return owner == piece.owner and box[0] >= left
    # A text object is never cut: its own gaps (a TeX \hfill kern) stay inside the piece.
    return owner == piece.owner or gap <= _PIECE_GAP * height


def reading_order(found: Sequence[Piece], page_width: float) -> str:
    """The page's text: columns one after another, lines top to bottom where the stream is out of order."""
    lines: list[str] = []
    for group, by_rows in _column_groups(list(found), page_width, depth=3):
        lines.extend(_row_lines(group) if by_rows or not _in_order(group) else _stream_lines(group))
    return "\n".join(lines)


def _column_groups(found: list[Piece], page_width: float, depth: int) -> list[tuple[list[Piece], bool]]:
    """The pieces as groups read one after another: above a column band, its left, its right, below;
    a band of labels beside their values (a form-like table) is one group read row by row."""
    split = _column_band(found, page_width) if depth > 0 and found else None
    if split is None:
        return [(found, False)] if found else []
    gutter, top, bottom, kind = split
    above = [p for p in found if p.centre > top]
    below = [p for p in found if p.centre < bottom]
    inside = [p for p in found if bottom <= p.centre <= top]
    groups = _column_groups(above, page_width, depth - 1)
    if kind == "labels":
        groups.append((inside, True))
    else:
        left = [p for p in inside if p.box[2] <= gutter + 1]
        right = [p for p in inside if p.box[2] > gutter + 1]
        groups += [(g, False) for g in (left, right) if g]
    return groups + _column_groups(below, page_width, depth - 1)


def column_gutter(boxes: Sequence[Box], page_width: float) -> float | None:
    """The x of a gutter with text columns on both sides at the same heights, or None for one column."""
    split = _column_band([Piece([], box, 0) for box in boxes], page_width)
    return None if split is None else split[0]


def _column_band(found: Sequence[Piece], page_width: float) -> tuple[float, float, float, _Kind] | None:
    """The best (gutter x, band top, band bottom, kind) where two real columns stand beside each other."""
    starts = Counter(round(p.box[0] / 4) for p in found if 0.2 * page_width < p.box[0] < 0.8 * page_width)
    by_height = sorted(found, key=lambda p: -p.centre)
    best: tuple[int, tuple[float, float, float, _Kind]] | None = None
    # A column's lines start at its left edge: a candidate start is shared by a tenth of the pieces.
    least = max(_MIN_COLUMN_LINES, _MIN_START_SHARE * len(found))
    for key, count in starts.most_common(_GUTTER_CANDIDATES):
        if count < least:
            break
        gutter = min(p.box[0] for p in found if round(p.box[0] / 4) == key) - 1
        band = _widest_band(by_height, gutter, page_width)
        if band is not None and (best is None or band[0] > best[0]):
            best = (band[0], (gutter, band[1], band[2], band[3]))
    return None if best is None else best[1]


def _widest_band(
    by_height: Sequence[Piece], gutter: float, page_width: float
) -> tuple[int, float, float, _Kind] | None:
    """Among the runs of lines no piece crosses `gutter`, the one with most lines holding two columns."""
    best: tuple[int, float, float, _Kind] | None = None
    run: list[Piece] = []
    for piece in [*by_height, None]:
        crossing = piece is None or (piece.box[0] < gutter - 1 and piece.box[2] > gutter + 1)
        if not crossing:
            assert piece is not None
            run.append(piece)
            continue
        kind = _two_columns(run, gutter, page_width) if len(run) >= 2 * _MIN_COLUMN_LINES else None
        if kind is not None and (best is None or len(run) > best[0]):
            best = (len(run), max(p.box[3] for p in run), min(p.box[1] for p in run), kind)
        run = []
    return best


def _two_columns(run: Sequence[Piece], gutter: float, page_width: float) -> _Kind | None:
    """Whether both sides hold real columns (lines enough, wide lines, each a fair share of the text),
    and whether the left one is labels: few lines, nearly each beside a line of the right one."""
    left = _rows([p for p in run if p.box[2] <= gutter + 1])
    right = _rows([p for p in run if p.box[0] >= gutter - 1])
    if len(left) < _MIN_COLUMN_LINES or len(right) < _MIN_COLUMN_LINES:
        return None
    centres = sorted(row[0].centre for row in right)
    beside = sum(1 for row in left if _any_within(centres, row[0].box[1], row[0].box[3]))
    if len(left) <= _MAX_LABEL_ROWS * len(right) and beside >= _MIN_LABELS_BESIDE * len(left):
        return "labels"
    left_pieces, right_pieces = [p for row in left for p in row], [p for row in right for p in row]
    if min(_upper_width(left_pieces), _upper_width(right_pieces)) < _MIN_COLUMN_WIDTH * page_width:
        return None
    left_ink, right_ink = _ink(left_pieces), _ink(right_pieces)
    return "columns" if min(left_ink, right_ink) >= _MIN_COLUMN_SHARE * (left_ink + right_ink) else None


def _any_within(sorted_values: Sequence[float], low: float, high: float) -> bool:
    index = bisect_left(sorted_values, low)
    return index < len(sorted_values) and sorted_values[index] <= high


def is_interleaved(boxes: Sequence[Box], gutter: float) -> bool:
    """True when text in stream order hops between the columns line by line (so it must be re-read)."""
    sides = [s[2] <= gutter + 1 for s in boxes if s[2] <= gutter + 1 or s[0] >= gutter - 1]
    switches = sum(1 for a, b in pairwise(sides) if a != b)
    return switches > _MAX_COLUMN_SWITCHES


def _in_order(group: Sequence[Piece]) -> bool:
    """Whether the stream reads the group down the page: it never climbs back up to a line above in the
    same column (a jump up to text beside it is the next column of a layout read column by column)."""
    ordered = sorted(group, key=lambda p: p.order)
    jumps = sum(
        1
        for a, b in pairwise(ordered)
        if b.box[1] > a.box[3] + 0.5 * a.height and min(a.box[2], b.box[2]) > max(a.box[0], b.box[0])
    )
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
