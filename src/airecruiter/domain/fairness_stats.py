"""Statistics of a fairness check: per attribute family, how much the scores of counterfactual pairs differ.

A difference is `score(b) − score(a)` of one pair (side b: the group a biased scorer would
disadvantage, see `domain.fairness_suite`). Per family: the count, the mean and the maximum
absolute difference, the mean signed difference, and the two-sided p-value of the Wilcoxon
signed-rank test (exact — by counting sign assignments — up to `EXACT_LIMIT` non-zero
differences, ties given average ranks; a normal approximation with tie correction above). Pure
Python, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

EXACT_LIMIT = 50


def _ranks(values: Sequence[float]) -> list[float]:
    """The average ranks (1-based) of `values`: tied values share the mean of their ranks."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def _exact_tail(doubled: list[int], observed: int) -> float:
    """Two-sided p of W+ (in doubled ranks) over all 2^n sign assignments, counted by dynamic programming."""
    counts: dict[int, int] = {0: 1}
    for r in doubled:
        step: dict[int, int] = dict(counts)
        for total, ways in counts.items():
            step[total + r] = step.get(total + r, 0) + ways
        counts = step
    all_ways = 2 ** len(doubled)
    low = sum(ways for total, ways in counts.items() if total <= observed)
    high = sum(ways for total, ways in counts.items() if total >= observed)
    return float(min(1.0, 2 * min(low, high) / all_ways))


def wilcoxon_p(differences: Iterable[float]) -> float:
    """Two-sided p-value of the Wilcoxon signed-rank test that the differences centre on zero (zeros dropped)."""
    nonzero = [d for d in differences if d != 0]
    n = len(nonzero)
    if n == 0:
        return 1.0
    ranks = _ranks([abs(d) for d in nonzero])
    w_plus = sum(r for r, d in zip(ranks, nonzero, strict=True) if d > 0)
    if n <= EXACT_LIMIT:
        return _exact_tail([round(2 * r) for r in ranks], round(2 * w_plus))
    mean = n * (n + 1) / 4
    ties = _tie_sizes([abs(d) for d in nonzero])
    variance = n * (n + 1) * (2 * n + 1) / 24 - sum(t**3 - t for t in ties) / 48
    if variance <= 0:
        return 1.0
    z = (abs(w_plus - mean) - 0.5) / math.sqrt(variance)  # continuity correction
    return min(1.0, math.erfc(max(z, 0.0) / math.sqrt(2)))


def _tie_sizes(values: Sequence[float]) -> list[int]:
    sizes: dict[float, int] = {}
    for v in values:
        sizes[v] = sizes.get(v, 0) + 1
    return [s for s in sizes.values() if s > 1]


@dataclass(frozen=True)
class DifferenceStats:
    """How much one score differs across one family's scored pairs."""

    n: int
    mean_abs: float
    max_abs: float
    mean_signed: float
    p_value: float

    @classmethod
    def of(cls, differences: Sequence[float]) -> DifferenceStats:
        """The statistics of these pair differences (`b − a`)."""
        if not differences:
            return cls(n=0, mean_abs=0.0, max_abs=0.0, mean_signed=0.0, p_value=1.0)
        absolute = [abs(d) for d in differences]
        return cls(
            n=len(differences),
            mean_abs=sum(absolute) / len(absolute),
            max_abs=max(absolute),
            mean_signed=sum(differences) / len(differences),
            p_value=wilcoxon_p(differences),
        )


@dataclass(frozen=True)
class Thresholds:
    """What a check must meet to pass (settings FAIRNESS_*)."""

    min_identity: float = 0.95
    max_mean_risk_diff: float = 0.05
    max_mean_overall_diff: float = 0.3
    alpha: float = 0.05


@dataclass(frozen=True)
class FamilyResult:
    """One attribute family: its pairs, how many had identical model input, and the score differences."""

    family: str
    pairs: int
    identical: int
    risk: DifferenceStats
    overall: DifferenceStats

    def failures(self, limits: Thresholds) -> list[str]:
        """Why this family fails the thresholds (empty when it passes)."""
        reasons = []
        for name, stats, limit in (
            ("résumé risk", self.risk, limits.max_mean_risk_diff),
            ("interview overall", self.overall, limits.max_mean_overall_diff),
        ):
            if stats.n and stats.mean_abs > limit:
                reasons.append(f"{self.family}: mean {name} difference {stats.mean_abs:.3f} > {limit}")
            if stats.n and stats.p_value < limits.alpha:
                reasons.append(f"{self.family}: {name} differs significantly (p = {stats.p_value:.3f})")
        return reasons


def family_results(
    outcomes: Iterable[tuple[str, bool, str, float | None]],
) -> list[FamilyResult]:
    """Per family, from (family, input identical, kind 'resume'|'interview', difference or None) per pair."""
    grouped: dict[str, list[tuple[bool, str, float | None]]] = {}
    for family, identical, kind, difference in outcomes:
        grouped.setdefault(family, []).append((identical, kind, difference))
    results = []
    for family, rows in sorted(grouped.items()):
        risk = [d for _, kind, d in rows if kind == "resume" and d is not None]
        overall = [d for _, kind, d in rows if kind == "interview" and d is not None]
        results.append(
            FamilyResult(
                family=family,
                pairs=len(rows),
                identical=sum(1 for identical, _, _ in rows if identical),
                risk=DifferenceStats.of(risk),
                overall=DifferenceStats.of(overall),
            )
        )
    return results


def identity_rate(families: Sequence[FamilyResult]) -> float:
    """The share of all pairs whose model input was identical (1.0 for an empty suite)."""
    total = sum(f.pairs for f in families)
    return 1.0 if total == 0 else sum(f.identical for f in families) / total


def verdict(families: Sequence[FamilyResult], limits: Thresholds, *, scores_meaningful: bool) -> list[str]:
    """Every reason the check fails; empty means it passes. Without meaningful scores only identity counts."""
    reasons = []
    rate = identity_rate(families)
    if rate < limits.min_identity:
        reasons.append(f"identical model input for {rate:.1%} of pairs, below {limits.min_identity:.0%}")
    if scores_meaningful:
        for family in families:
            reasons += family.failures(limits)
    return reasons


def families_json(families: Sequence[FamilyResult]) -> dict[str, Any]:
    """The per-family results as JSON-ready data, keyed by family."""
    return {f.family: {k: v for k, v in asdict(f).items() if k != "family"} for f in families}


def families_from_json(data: Mapping[str, Any]) -> list[FamilyResult]:
    """The per-family results back from `families_json`'s output."""
    return [
        FamilyResult(
            family=family,
            pairs=int(v["pairs"]),
            identical=int(v["identical"]),
            risk=DifferenceStats(**v["risk"]),
            overall=DifferenceStats(**v["overall"]),
        )
        for family, v in data.items()
    ]
