"""Hand-written statements that share a module's column list."""

from __future__ import annotations

from sqlalchemy import TextClause, text


def with_columns(statement: str, columns: str) -> TextClause:
    """`text()` of a literal statement with a module's constant column list in place of `{columns}`."""
    return text(statement.replace("{columns}", columns))
