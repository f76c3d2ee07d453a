"""Reading-order rules of PDF pages on hand-placed pieces (no PDF needed)."""

from __future__ import annotations

from airecruiter.adapters.documents.pdf_layout import Glyph, Piece, pieces, reading_order

PAGE = 595.0


def _piece(text: str, left: float, top: float, width: float, order: int) -> Piece:
    return Piece([text], (left, top - 10, left + width, top), owner=order + 1, order=order)


def test_a_text_object_is_never_cut_by_its_own_gap() -> None:
    """TeX writes 'Title \\hfill Date' as one text object: it stays one piece, so never a gutter."""
    found = pieces([Glyph("Title", (50, 700, 150, 710), 7), Glyph("2020", (450, 700, 480, 710), 7)])
    assert [p.text for p in found] == ["Title 2020"]
    apart = pieces([Glyph("Title", (50, 700, 150, 710), 7), Glyph("2020", (450, 700, 480, 710), 8)])
    assert [p.text for p in apart] == ["Title", "2020"]


def test_labels_beside_their_values_are_read_row_by_row() -> None:
    """wkhtmltopdf writes a label column before its values; each label belongs on its value's row."""
    labels = [_piece(label, 50, 700 - 36 * i, 80, i) for i, label in enumerate(["Name", "Born", "Since", "Until"])]
    values = [_piece(f"value line {i}", 150, 700 - 12 * i, 300, 10 + i) for i in range(12)]
    lines = reading_order([*labels, *values], PAGE).split("\n")
    assert lines[:4] == ["Name value line 0", "value line 1", "value line 2", "Born value line 3"]


def test_two_real_columns_are_read_one_after_the_other() -> None:
    left = [_piece(f"left {i}", 50, 700 - 12 * i, 220, 2 * i) for i in range(8)]
    right = [_piece(f"right {i}", 310, 700 - 12 * i, 220, 2 * i + 1) for i in range(8)]
    text = reading_order([*left, *right], PAGE)
    assert text == "\n".join([*(f"left {i}" for i in range(8)), *(f"right {i}" for i in range(8))])


def test_a_stream_climbing_back_up_its_column_is_read_top_to_bottom() -> None:
    body = [_piece(f"body {i}", 50, 680 - 12 * i, 300, i) for i in range(5)]
    heading = _piece("HEADING", 50, 700, 120, 5)  # written last, drawn first
    assert reading_order([*body, heading], PAGE).split("\n")[0] == "HEADING"
    # A sidebar written after the main column climbs up beside it, not within it: stream order stays.
    sidebar = [_piece(f"side {i}", 420, 700 - 12 * i, 60, 6 + i) for i in range(3)]
    assert reading_order([*body, *sidebar], PAGE).split("\n")[-1] == "side 2"
