"""Handles, domains and e-mail local parts made from the candidate's name: `afantino951`,
`andrew-fantino`, `DeedyDash007`, `fb.co/dd`.

A word is such a handle when it ends in digits and contains a part of the name of three letters or
more, or is the name's initials (`dd367`), or when it joins two parts of the name with a dot, dash
or underscore. A plain word that merely contains a name part ("pandas" for a candidate called Das)
stays; a plain handle after a profile label ("GitHub: deedydas") goes with the label's value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

Span = tuple[int, int]
_TOKEN = re.compile(r"(?<![\w.@/-])\w[\w.-]*\w")
_SEPARATED = re.compile(r"[^\W\d_][._-][^\W\d_]")


@dataclass(frozen=True)
class NameHandles:
    """What a handle made from one candidate's name may contain (folded, lower case)."""

    parts: tuple[str, ...]  # name parts of three letters or more
    initials: str

    @classmethod
    def build(cls, folded_parts: list[str]) -> NameHandles | None:
        """The handle rules for a name given as folded parts, or None when it has no usable part."""
        parts = tuple(sorted({p for p in folded_parts if len(p) >= 3 and p.isalpha()}, key=len, reverse=True))
        initials = "".join(p[0] for p in folded_parts if p and p[0].isalpha())
        if not parts:
            return None
        return cls(parts=parts, initials=initials if len(initials) >= 2 else "")

    def is_handle(self, word: str) -> bool:
        """True when `word` (folded) is made from the name: `afantino951`, `andrew-fantino`, `dd367`."""
        squashed = re.sub(r"[._-]", "", word)
        letters = squashed.rstrip("0123456789")
        if letters == squashed:  # no digits: two parts of the name joined by a separator
            return bool(_SEPARATED.search(word)) and sum(part in squashed for part in self.parts) >= 2
        return letters == self.initials or any(part in letters for part in self.parts)

    def spans(self, folded: str, original: str) -> Iterator[Span]:
        """Every handle in `folded` (the folded text of `original`)."""
        for m in _TOKEN.finditer(folded):
            start, end = m.span()
            if self.is_handle(m.group()):
                yield start, end

    def is_profile_path(self, path: str) -> bool:
        """True when a link's path names the candidate: `fb.co/dd`, `site.com/afantino951`."""
        last = path.rstrip("/").rsplit("/", 1)[-1]
        return bool(last) and (last == self.initials or self.is_handle(last))
