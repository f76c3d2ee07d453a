"""The résumé text port: the text an LLM may read from an uploaded document, and what was hidden in it.

A reader sniffs the content type from the bytes, extracts the visible text in reading order, and
reports text a human reader of the document would not see (white, tiny, clipped or hidden runs)
instead of passing it on, so a prompt injection hidden in a résumé never reaches the model unseen.
Bad input raises `airecruiter.errors.ParseError` with a sentence a recruiter understands; reading
that runs past its time limit raises `DocumentTimeoutError`, a transient error the job retries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

HiddenReason = Literal[
    "white text",
    "tiny text",
    "clipped/off-page",
    "hidden run",
    "invisible text",
    "invisible characters",
    "covered text",
]
"""Why a piece of text counts as hidden: the first four from the issue, plus PDF text drawn in the
invisible render mode with nothing under it, zero-width/Unicode-tag characters in any format, and
PDF text an opaque shape is painted over."""

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PLAIN_TEXT = "text/plain"
ODT = "application/vnd.oasis.opendocument.text"
RTF = "application/rtf"


@dataclass(frozen=True)
class HiddenText:
    """Text a reader of the document would not see, why it is hidden, and its page (PDF only)."""

    text: str
    reason: HiddenReason
    page: int | None = None  # 1-based


@dataclass(frozen=True)
class ExtractedDocument:
    """The visible text of a document in reading order, with what was hidden and any warnings."""

    text: str
    content_type: str  # PDF, DOCX, ODT, RTF or PLAIN_TEXT: sniffed from the bytes, never from the filename
    pages: int | None  # PDF page count; None for Word and plain text
    hidden: list[HiddenText] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class DocumentReader(Protocol):
    """Extracts résumé text; raises ParseError for encrypted, image-only, corrupt, oversized or unsupported
    files, and DocumentTimeoutError when reading runs past its time limit (our failure: retried)."""

    async def extract(self, data: bytes, *, filename: str) -> ExtractedDocument:
        """The visible text of `data`; `filename` is only used in messages, never to pick a parser."""
        ...
