"""Evidence checks: does a quote the model gave really occur in the text it was shown?

A model can misquote or invent a quote. The pipeline keeps every finding, but marks each quote
that cannot be found in the source (the redacted résumé, or the candidate's own interview words)
as unverified, so a recruiter never mistakes an invented quote for evidence.

Matching forgives what copying text usually changes: case, runs of whitespace and line breaks,
typographic quotes and dashes, Unicode compatibility forms, and quotation marks around the whole
quote. An ellipsis ("..." or "…") splits a quote into fragments that must occur in order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_ELLIPSIS = re.compile(r"\.{3,}")
_WRAPPING = "\"' \t\n"


def normalise(text: str) -> str:
    """`text` folded for comparison: compatibility forms, plain quotes and dashes, one space, no case."""
    folded = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return " ".join(folded.split()).casefold()


@dataclass(frozen=True)
class CheckedQuote:
    """A quote and whether it occurs in the source text."""

    quote: str
    verified: bool


class EvidenceSource:
    """The text quotes must come from, folded once so that many quotes can be checked cheaply."""

    def __init__(self, text: str) -> None:
        self._text = normalise(text)

    def contains(self, quote: str) -> bool:
        """True when every fragment of `quote` occurs in the source, in order."""
        # NFKC turns "…" into "...", so the fragments are split after folding.
        fragments = [part.strip(_WRAPPING) for part in _ELLIPSIS.split(normalise(quote).strip(_WRAPPING))]
        fragments = [part for part in fragments if part]
        if not fragments:
            return False
        position = 0
        for fragment in fragments:
            found = self._text.find(fragment, position)
            if found < 0:
                return False
            position = found + len(fragment)
        return True

    def check(self, quotes: Iterable[str]) -> list[CheckedQuote]:
        """Each quote with its verdict, in the order given."""
        return [CheckedQuote(quote, self.contains(quote)) for quote in quotes]
