"""The one way this code base writes SQL.

Every statement is a module-level constant named for what it does, holding the whole statement
as literal SQL: `SELECT_USER_BY_NAME = text("SELECT … WHERE username = :username")`. Values
always travel as bound parameters (`:name`), never in the text.

A statement that varies — a sort order the console offers, the filters a page has set, how many
capped job types a claim covers — is put together by `compose()` from constant fragments of its
module, picked through a whitelist: a dict of fragments keyed by a choice the caller validated.
No value, and nothing a user typed, ever reaches `compose()`.
"""

from __future__ import annotations

from sqlalchemy import TextClause, text


def compose(*fragments: str) -> TextClause:
    """One statement from constant SQL fragments, in order, one per line (empty fragments drop out)."""
    return text("\n".join(fragment for fragment in fragments if fragment))


def where(*conditions: str) -> str:
    """A WHERE clause of constant conditions joined by AND; empty when there are none."""
    return "WHERE " + "\n   AND ".join(conditions) if conditions else ""
