"""The redaction port: a résumé's or an answer's personal data and protected attributes replaced
before a model reads it.

Redaction is CPU work over text a candidate wrote, so an implementation runs it away from the
event loop and under a hard time limit. Errors: `ParseError` (permanent) when the text could not
be redacted — it ran out of time, or kept exposing new personal details — so that nothing
unredacted is ever passed on.
"""

from __future__ import annotations

from typing import Protocol

from airecruiter.domain.redaction import Redaction


class TextRedactor(Protocol):
    """Redacts a candidate's personal data out of a text."""

    async def redact(
        self, text: str, *, candidate_name: str, email: str | None = None, blind_education: bool = True
    ) -> Redaction:
        """`text` with the candidate's personal data and protected attributes replaced (`domain.redaction.redact`)."""
        ...
