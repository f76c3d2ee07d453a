"""Fisher's exact test on a 2×2 table, two-sided, in exact integer arithmetic (no SciPy)."""

from __future__ import annotations

from fractions import Fraction
from math import comb


def fisher_exact_two_sided(a: int, b: int, c: int, d: int) -> float:
    """The two-sided p-value of the table [[a, b], [c, d]] (rows: groups; columns: selected, not).

    Sums the hypergeometric probabilities of every table with the same margins that is no more
    likely than the observed one, as R's fisher.test and SciPy do. The probabilities share one
    denominator, so they are compared as exact integers: no floating-point tolerance is needed.
    """
    if min(a, b, c, d) < 0:
        raise ValueError("a 2×2 table holds counts, which cannot be negative")
    row1, row2, col1 = a + b, c + d, a + c
    n = row1 + row2
    if n == 0:
        return 1.0
    low, high = max(0, col1 - row2), min(row1, col1)
    weights = {x: comb(row1, x) * comb(row2, col1 - x) for x in range(low, high + 1)}
    observed = weights[a]
    extreme = sum(w for w in weights.values() if w <= observed)
    return float(min(Fraction(extreme, comb(n, col1)), Fraction(1)))
