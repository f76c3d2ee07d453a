"""Reading order of Word tables: data tables row by row, layout tables cell by cell, sidebars column by column.

Google Docs and Word résumé templates put the whole page into a table. A cell of such a table holds
many paragraphs, each one a line of the résumé; joining them into one line per row loses the
layout. When a column runs down the rows as one merged cell (w:vMerge), the template is a page of
columns, and a reader takes each column from top to bottom before the next.
"""

from __future__ import annotations

from dataclasses import dataclass

FULL_WIDTH = 0.6  # a cell wider than this share of the table spans the columns (a name banner)


@dataclass(frozen=True)
class Cell:
    """One w:tc: its row, its place on the table grid (in grid units) and its text lines."""

    row: int
    left: float
    right: float
    lines: tuple[str, ...]
    merged_down: bool = False  # w:vMerge restart: the cell continues into the rows below


def is_layout(cells: list[Cell]) -> bool:
    """True when some cell holds more than one line: the table lays out a page, it does not tabulate data."""
    return any(len(cell.lines) > 1 for cell in cells)


def row_lines(cells: list[Cell]) -> list[str]:
    """A data table: one line per row, cells joined by ' | '."""
    lines: list[str] = []
    for row in sorted({cell.row for cell in cells}):
        texts = [" ".join(cell.lines) for cell in cells if cell.row == row and cell.lines]
        lines.append(" | ".join(texts))
    return lines


def layout_lines(cells: list[Cell]) -> list[str]:
    """A layout table's lines in reading order."""
    if not any(cell.merged_down for cell in cells):
        return [line for cell in cells for line in cell.lines]
    width = max((cell.right for cell in cells), default=0.0) - min((cell.left for cell in cells), default=0.0)
    lines: list[str] = []
    band: list[Cell] = []
    for cell in cells:
        if not cell.lines:
            continue
        if width > 0 and (cell.right - cell.left) / width > FULL_WIDTH:
            lines += _columns_first(band)
            band = []
            lines += cell.lines
        else:
            band.append(cell)
    return lines + _columns_first(band)


def _columns_first(cells: list[Cell]) -> list[str]:
    """Cells grouped into columns (cells whose spans overlap share one), read column after column."""
    columns: list[list[Cell]] = []
    for cell in sorted(cells, key=lambda c: (c.left, c.row)):
        if columns and cell.left < max(c.right for c in columns[-1]):
            columns[-1].append(cell)
        else:
            columns.append([cell])
    return [line for column in columns for cell in sorted(column, key=lambda c: c.row) for line in cell.lines]
