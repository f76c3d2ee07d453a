"""A person's decision on an application: its kinds, reason codes, note limit, and how it meets the AI's advice.

The AI recommends (strong_hire, hire, maybe, no_hire); a person decides (advance, reject, hold).
They agree when an advance meets hire/strong_hire or a reject meets no_hire; a hold, or a
`maybe`, is neither agreement nor overrule and is counted apart.
"""

from __future__ import annotations

import re
from enum import StrEnum

from airecruiter.domain.text_hygiene import clean_characters
from airecruiter.errors import ValidationError


class Decision(StrEnum):
    """What a person decided."""

    ADVANCE = "advance"
    REJECT = "reject"
    HOLD = "hold"


class Agreement(StrEnum):
    """How a decision stands to the AI's recommendation."""

    AGREES = "agrees"
    OVERRULED_UP = "overruled_up"  # the AI said no_hire, the person advanced
    OVERRULED_DOWN = "overruled_down"  # the AI said hire or strong_hire, the person rejected
    APART = "apart"  # a hold, or the AI said maybe: counted apart


DECISION_LABELS = {Decision.ADVANCE: "Advance", Decision.REJECT: "Reject", Decision.HOLD: "Hold"}
DEFAULT_REASON_CODES = (
    "meets_requirements",
    "exceeds_requirements",
    "missing_required_skill",
    "insufficient_experience",
    "interview_performance",
    "needs_more_information",
    "position_filled",
    "candidate_withdrew",
    "other",
)
NOTE_MAX_CHARS = 4000
REASON_CODE_MAX_CHARS = 64
_REASON_CODE = re.compile(rf"[a-z][a-z0-9_]{{0,{REASON_CODE_MAX_CHARS - 1}}}")
_POSITIVE = frozenset({"hire", "strong_hire"})


def reason_codes(raw: str) -> tuple[str, ...]:
    """DECISION_REASON_CODES as a tuple: comma-separated lower_snake_case codes, at least one, no repeats."""
    codes = tuple(part.strip() for part in raw.split(",") if part.strip())
    if not codes:
        raise ValueError("DECISION_REASON_CODES: list at least one reason code, comma-separated")
    if bad := [c for c in codes if not _REASON_CODE.fullmatch(c)]:
        raise ValueError(f"DECISION_REASON_CODES: {bad[0]!r} is not a code (lower_snake_case, up to 64 characters)")
    if len(set(codes)) != len(codes):
        raise ValueError("DECISION_REASON_CODES: a reason code is listed twice")
    return codes


def reason_label(code: str) -> str:
    """A reason code as words: `missing_required_skill` → `Missing required skill`."""
    return code.replace("_", " ").capitalize()


def checked_decision(
    decision: str, reason_code: str, note: str | None, allowed: tuple[str, ...]
) -> tuple[Decision, str, str | None]:
    """The decision, reason code and note as stored, or a ValidationError saying what to change."""
    try:
        kind = Decision((decision or "").strip())
    except ValueError:
        raise ValidationError("Choose a decision: advance, reject or hold.") from None
    code = (reason_code or "").strip()
    if code not in allowed:
        raise ValidationError(f"Choose a reason from the list ({', '.join(allowed)}).")
    # Controls (a NUL byte cannot even be stored), bidi overrides and invisible characters go.
    text = clean_characters(note or "").strip()
    if len(text) > NOTE_MAX_CHARS:
        raise ValidationError(
            f"The note is {len(text)} characters long; shorten it to {NOTE_MAX_CHARS} characters or fewer."
        )
    return kind, code, text or None


def agreement(decision: str, recommendation: str | None) -> Agreement | None:
    """How the decision stands to the AI's recommendation; None when the AI made none."""
    if recommendation is None:
        return None
    if decision == Decision.HOLD or recommendation not in _POSITIVE | {"no_hire"}:
        return Agreement.APART
    positive = recommendation in _POSITIVE
    if decision == Decision.ADVANCE:
        return Agreement.AGREES if positive else Agreement.OVERRULED_UP
    return Agreement.OVERRULED_DOWN if positive else Agreement.AGREES
