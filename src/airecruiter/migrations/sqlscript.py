"""Run a multi-statement SQL script in a migration (asyncpg prepares statements one at a time)."""

from __future__ import annotations

import re

from alembic import op

# Spans in which a semicolon does not end a statement (comments, string literals, quoted names,
# dollar-quoted bodies tagged or not), matched leftmost first, and the semicolon itself.
_TOKEN = re.compile(
    r"""
      --[^\n]*
    | /\*.*?\*/
    | '(?:[^']|'')*'
    | "(?:[^"]|"")*"
    | (\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$).*?\1
    | ;
""",
    re.DOTALL | re.VERBOSE,
)
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)


def split_statements(script: str) -> list[str]:
    """Split on semicolons outside comments, quotes and dollar-quoted bodies; drop empty pieces."""
    pieces: list[str] = []
    start = 0
    for token in _TOKEN.finditer(script):
        if token.group() == ";":
            pieces.append(script[start : token.start()])
            start = token.end()
    pieces.append(script[start:])
    return [p.strip() for p in pieces if _COMMENT.sub("", p).strip()]


def run_script(script: str) -> None:
    """Execute each statement of `script` in the migration's transaction."""
    for statement in split_statements(script):
        op.execute(statement)
