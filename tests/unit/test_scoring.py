"""The overall interview score: the documented weighting, its rounding, and what it refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from airecruiter.domain.scoring import SCORE_WEIGHTS, overall_score
from airecruiter.errors import ValidationError
from airecruiter.ports.llm import InterviewEvaluationContent

NAMES = ("technical", "communication", "reliability", "accountability", "professionalism", "growth_potential")


def scores(
    technical: int,
    communication: int,
    reliability: int,
    accountability: int,
    professionalism: int,
    growth_potential: int,
) -> dict[str, int]:
    return dict(
        zip(
            NAMES,
            (technical, communication, reliability, accountability, professionalism, growth_potential),
            strict=True,
        )
    )


@pytest.mark.parametrize(
    ("given", "overall"),
    [
        (scores(0, 0, 0, 0, 0, 0), 0.0),
        (scores(10, 10, 10, 10, 10, 10), 10.0),
        (scores(7, 7, 7, 7, 7, 7), 7.0),  # equal scores: the overall is that score
        (scores(10, 0, 0, 0, 0, 0), 2.5),  # technical alone is a quarter
        (scores(0, 10, 0, 0, 0, 0), 2.0),
        (scores(0, 0, 10, 0, 0, 0), 1.5),
        (scores(0, 0, 0, 10, 0, 0), 1.5),
        (scores(0, 0, 0, 0, 10, 0), 1.5),
        (scores(0, 0, 0, 0, 0, 10), 1.0),
        (scores(9, 6, 7, 8, 8, 5), 7.4),  # 2.25 + 1.2 + 1.05 + 1.2 + 1.2 + 0.5
        (scores(3, 4, 5, 6, 7, 8), 5.1),  # 0.75 + 0.8 + 0.75 + 0.9 + 1.05 + 0.8 = 5.05, half up
        (scores(1, 0, 0, 0, 0, 0), 0.3),  # 0.25 rounds half up, not to even
        (scores(0, 0, 1, 0, 0, 0), 0.2),  # 0.15 rounds half up
        (scores(0, 0, 3, 0, 0, 0), 0.5),  # 0.45 → 0.5
        (scores(8, 7, 6, 5, 4, 3), 6.0),  # 2.0 + 1.4 + 0.9 + 0.75 + 0.6 + 0.3 = 5.95, half up
    ],
)
def test_the_overall_score_is_the_documented_weighted_mean(given: dict[str, int], overall: float) -> None:
    exact = sum(SCORE_WEIGHTS[name] * given[name] for name in NAMES)

    assert overall_score(given) == overall
    assert abs(Decimal(str(overall)) - exact) <= Decimal("0.05")


def test_the_weights_cover_the_six_scores_of_an_evaluation_favour_technical_and_sum_to_one() -> None:
    assert set(SCORE_WEIGHTS) == set(NAMES) and set(NAMES) <= set(InterviewEvaluationContent.model_fields)
    assert sum(SCORE_WEIGHTS.values()) == 1
    assert max(SCORE_WEIGHTS, key=lambda name: SCORE_WEIGHTS[name]) == "technical"


def test_raising_any_one_score_never_lowers_the_overall() -> None:
    base = scores(5, 5, 5, 5, 5, 5)
    for name in NAMES:
        assert overall_score(base | {name: 6}) >= overall_score(base)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({n: 5 for n in NAMES if n != "technical"}, "missing technical"),
        ({n: 5 for n in NAMES[:4]}, "missing professionalism, growth_potential"),
        (scores(5, 5, 5, 5, 5, 5) | {"charisma": 9}, "unknown charisma"),
        ({}, "missing technical, communication"),
    ],
)
def test_missing_or_extra_scores_are_refused_by_name(given: dict[str, int], message: str) -> None:
    with pytest.raises(ValidationError, match=message) as refused:
        overall_score(given)

    assert "needs exactly the six interview scores" in str(refused.value)


@pytest.mark.parametrize(("value", "shown"), [(11, "11"), (-1, "-1"), (7.5, "7.5"), (True, "True"), ("8", "'8'")])
def test_a_score_outside_whole_numbers_0_to_10_is_refused(value: object, shown: str) -> None:
    given: dict[str, object] = {**scores(5, 5, 5, 5, 5, 5), "reliability": value}

    with pytest.raises(ValidationError) as refused:
        overall_score(given)  # type: ignore[arg-type]

    assert str(refused.value) == f"The reliability score must be a whole number from 0 to 10; got {shown}."


@pytest.mark.parametrize("edge", [0, 10])
def test_the_ends_of_the_scale_are_accepted(edge: int) -> None:
    assert overall_score(scores(edge, edge, edge, edge, edge, edge)) == float(edge)
