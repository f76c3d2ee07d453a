"""CSV cells a spreadsheet cannot run: text that starts like a formula is kept as text."""

from __future__ import annotations

# What Excel, LibreOffice and Google Sheets read as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralised(value: object) -> str:
    """The cell's text, with a leading apostrophe when a spreadsheet would otherwise evaluate it."""
    shown = "" if value is None else str(value)
    return "'" + shown if shown.startswith(FORMULA_STARTS) else shown
