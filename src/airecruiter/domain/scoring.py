"""The overall interview score: a documented, fixed weighting of the six 0–10 scores."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from airecruiter.errors import ValidationError

SCORE_WEIGHTS: Mapping[str, Decimal] = MappingProxyType(
    {
        "technical": Decimal("0.25"),
        "communication": Decimal("0.20"),
        "reliability": Decimal("0.15"),
        "accountability": Decimal("0.15"),
        "professionalism": Decimal("0.15"),
        "growth_potential": Decimal("0.10"),
    }
)
"""How much each interview score counts towards `overall_score`; the weights sum to 1.

Job-relevant competence (technical) counts most, because the interview exists to find out whether
the candidate can do this job; communication next, as every role depends on it and the interview
observes it directly. Reliability, accountability and professionalism count equally: together they
are how someone works with others, and a text interview gives each only indirect evidence.
Growth potential counts least, being the most speculative from a single conversation. The same
weights apply to every candidate of every requisition, so overall scores are comparable, and the
model never computes the overall itself.
"""

MIN_SCORE, MAX_SCORE = 0, 10

assert sum(SCORE_WEIGHTS.values()) == 1


def overall_score(scores: Mapping[str, int]) -> float:
    """The weighted mean of the six scores on the same 0–10 scale, rounded half up to one decimal."""
    missing = [name for name in SCORE_WEIGHTS if name not in scores]
    unknown = sorted(name for name in scores if name not in SCORE_WEIGHTS)
    if missing or unknown:
        problems = [
            f"{what} {', '.join(names)}" for what, names in (("missing", missing), ("unknown", unknown)) if names
        ]
        raise ValidationError(
            f"An overall score needs exactly the six interview scores ({', '.join(SCORE_WEIGHTS)}); "
            f"got {'; '.join(problems)}."
        )
    for name, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_SCORE <= value <= MAX_SCORE:
            raise ValidationError(
                f"The {name} score must be a whole number from {MIN_SCORE} to {MAX_SCORE}; got {value!r}."
            )
    total = sum(weight * scores[name] for name, weight in SCORE_WEIGHTS.items())
    return float(Decimal(total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
