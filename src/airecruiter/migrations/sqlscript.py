"""Run a multi-statement SQL script in a migration (asyncpg prepares statements one at a time)."""

from __future__ import annotations

from alembic import op


def split_statements(script: str) -> list[str]:
    """Split on semicolons outside dollar-quoted bodies and string literals; drop empty pieces."""
    statements: list[str] = []
    current: list[str] = []
    in_dollar = in_quote = False
    i = 0
    while i < len(script):
        char = script[i]
        if not in_quote and script.startswith("$$", i):
            in_dollar = not in_dollar
            current.append("$$")
            i += 2
            continue
        if not in_dollar and char == "'":
            in_quote = not in_quote
        if char == ";" and not in_dollar and not in_quote:
            statements.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    statements.append("".join(current))
    return [s.strip() for s in statements if s.strip() and not _only_comments(s)]


def _only_comments(statement: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in statement.splitlines())


def run_script(script: str) -> None:
    """Execute each statement of `script` in the migration's transaction."""
    for statement in split_statements(script):
        op.execute(statement)
