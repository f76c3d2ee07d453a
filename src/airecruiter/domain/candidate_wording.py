"""What a candidate reads never carries a redaction placeholder.

Questions and interviewer messages are written by a model that read redacted text, so they may
say "your time at [AFFINITY ORGANISATION]". Such a phrase is reworded ("that organisation") where
a neutral wording exists; a suggested question whose placeholder has none ("[NAME]", "[EMAIL]") is
dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Neutral wordings of the placeholders a question may sensibly refer to.
REWORDING: dict[str, str] = {
    "[INSTITUTION]": "your school",
    "[AFFINITY ORGANISATION]": "that organisation",
    "[RELIGIOUS ORGANISATION]": "that organisation",
    "[YEAR]": "that year",
    "[AGE]": "that time",
    "[DATE OF BIRTH]": "that time",
    "[PERSONAL DETAIL]": "that",
    "[ADDRESS]": "your area",
    "[PROFILE LINK]": "your profile",
}
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z ]{1,30}\]")
_ADDRESSED = re.compile(r"[ \t]*,?[ \t]*\[NAME\]")  # "Thanks, [NAME]." → "Thanks."


def has_placeholder(text: str) -> bool:
    """True when `text` contains something that looks like a redaction placeholder."""
    return _PLACEHOLDER.search(text) is not None


def reworded(text: str) -> str | None:
    """`text` with each placeholder replaced by its neutral wording, or None when one has none."""
    missing = [m.group() for m in _PLACEHOLDER.finditer(text) if m.group() not in REWORDING]
    if missing:
        return None
    return _PLACEHOLDER.sub(lambda m: REWORDING[m.group()], text)


def candidate_questions(questions: Iterable[str]) -> list[str]:
    """The suggested questions reworded without placeholders; those that cannot be are dropped."""
    return [q for q in (reworded(question) for question in questions) if q is not None and q.strip()]


def candidate_message(text: str) -> str:
    """An interviewer's message as the candidate may read it: every placeholder reworded or removed."""
    return _PLACEHOLDER.sub(lambda m: REWORDING.get(m.group(), "that"), _ADDRESSED.sub("", text))
