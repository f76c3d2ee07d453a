"""JSONB in and out of hand-written SQL: parameters are JSON text, results may arrive as text.

Repositories turn what comes out into typed records at once (`domain.records`, `domain.artifacts`,
`domain.activity_details`: each with `from_json`/`to_json`), so no `dict` read from a column
travels further than the repository that read it.
"""

from __future__ import annotations

import json
from typing import Any


def to_json(value: Any) -> str:
    """A parameter for `CAST(:x AS jsonb)`; dates and other values become strings."""
    return json.dumps(value, default=str, ensure_ascii=False)


def from_json(value: Any) -> Any:
    """A jsonb column's value as Python data (asyncpg hands jsonb over as text unless told otherwise)."""
    if value is None or isinstance(value, dict | list):
        return value
    return json.loads(value)
