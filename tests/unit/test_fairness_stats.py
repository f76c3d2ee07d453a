"""The fairness check's statistics against values worked out by hand."""

from __future__ import annotations

import pytest

from airecruiter.domain.fairness_stats import (
    DifferenceStats,
    Thresholds,
    families_from_json,
    families_json,
    family_results,
    identity_rate,
    verdict,
    wilcoxon_p,
)


@pytest.mark.parametrize(
    ("differences", "expected"),
    [
        # n = 3, all positive: W+ = 6 is reached by 1 of 8 sign assignments; two-sided 2/8.
        ([1.0, 2.0, 3.0], 0.25),
        # ranks 1..5, W+ = 13; W+ >= 13 iff W- <= 2: the subsets {}, {1}, {2} of 32; two-sided 6/32.
        ([1.0, -2.0, 3.0, 4.0, 5.0], 0.1875),
        # three tied magnitudes share rank 2: W+ = 4 sits in the middle of its distribution.
        ([1.0, 1.0, -1.0], 1.0),
        # zeros are dropped: the same as [0.5, 1.0, 1.5].
        ([0.0, 0.5, 0.0, 1.0, 1.5], 0.25),
        ([], 1.0),
        ([0.0, 0.0], 1.0),
    ],
)
def test_wilcoxon_p_matches_hand_counts(differences: list[float], expected: float) -> None:
    assert wilcoxon_p(differences) == pytest.approx(expected)


def test_wilcoxon_p_is_small_for_a_consistent_shift_of_eight_pairs() -> None:
    # all eight positive: 1 assignment of 256 on each side, so p = 2/256
    assert wilcoxon_p([0.1 * k for k in range(1, 9)]) == pytest.approx(2 / 256)


def test_wilcoxon_normal_approximation_for_many_pairs_agrees_in_size() -> None:
    shifted = [float(k % 7 + 1) for k in range(60)]
    assert wilcoxon_p(shifted) < 1e-6
    balanced = [float(k % 7 + 1) * (1 if k % 2 else -1) for k in range(60)]
    assert wilcoxon_p(balanced) > 0.5


def test_difference_stats_by_hand() -> None:
    stats = DifferenceStats.of([0.1, -0.3])
    assert stats.n == 2
    assert stats.mean_abs == pytest.approx(0.2)
    assert stats.max_abs == pytest.approx(0.3)
    assert stats.mean_signed == pytest.approx(-0.1)
    assert stats.p_value == pytest.approx(1.0)


def _outcomes() -> list[tuple[str, bool, str, float | None]]:
    return [
        ("age", True, "resume", None),
        ("age", False, "resume", 0.1),
        ("age", False, "interview", -1.0),
        ("religion", True, "resume", None),
        ("religion", True, "interview", None),
    ]


def test_identity_rate_and_verdict_name_each_failure() -> None:
    families = family_results(_outcomes())
    assert identity_rate(families) == pytest.approx(3 / 5)
    reasons = verdict(families, Thresholds(), scores_meaningful=True)
    assert reasons == [
        "identical model input for 60.0% of pairs, below 95%",
        "age: mean résumé risk difference 0.100 > 0.05",
        "age: mean interview overall difference 1.000 > 0.3",
    ]


def test_offline_verdict_counts_identity_only() -> None:
    families = family_results(_outcomes())
    lenient = Thresholds(min_identity=0.6)
    assert verdict(families, lenient, scores_meaningful=False) == []
    assert verdict(families, lenient, scores_meaningful=True) != []


def test_families_round_trip_through_json() -> None:
    families = family_results(_outcomes())
    assert families_from_json(families_json(families)) == families
