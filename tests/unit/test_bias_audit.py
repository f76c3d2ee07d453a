"""The bias-audit arithmetic: the DCWP worked example of 6 RCNY §5-301 and hand-computed cases."""

from __future__ import annotations

from fractions import Fraction

import pytest

from airecruiter.domain.bias_audit import AuditRow, GroupingTable, MeasureTable, compute, percent, ratio_text
from airecruiter.domain.fisher_exact import fisher_exact_two_sided


def _row(n: int, sex: str = "unknown", race: str = "unknown", *, risk: float = 0.5, **kw: object) -> AuditRow:
    fields: dict[str, object] = {"overall_score": None, "ai_selected": None} | kw
    return AuditRow(n, 1, sex, race, risk, **fields)  # type: ignore[arg-type]


def _grouping(table: MeasureTable, grouping: str) -> GroupingTable:
    return next(g for g in table.groupings if g.grouping == grouping)


def _by_category(table: GroupingTable) -> dict[str, tuple[int, str, str]]:
    return {r.category: (r.applicants, percent(r.rate), ratio_text(r.impact_ratio)) for r in table.rows}


def _dcwp_rows() -> list[AuditRow]:
    """168 applicants whose interview scores reproduce the example's counts above the median."""
    sexes = ["Male"] * 50 + ["Female"] * 34 + ["Male"] * 42 + ["Female"] * 42  # first 84 score high
    races = (
        ["Hispanic or Latino"] * 18
        + ["White"] * 15
        + ["Black or African American"] * 16
        + ["Native Hawaiian or Other Pacific Islander"] * 5
        + ["Asian"] * 10
        + ["unknown"] * 20
        + ["Hispanic or Latino"] * 10
        + ["White"] * 25
        + ["Black or African American"] * 16
        + ["Native Hawaiian or Other Pacific Islander"] * 3
        + ["Asian"] * 14
        + ["unknown"] * 16
    )
    return [
        _row(i, sex, race, overall_score=8.0 if i < 84 else 2.0, ai_selected=False, interview_state="completed")
        for i, (sex, race) in enumerate(zip(sexes, races, strict=True))
    ]


def test_dcwp_worked_example_scoring_rates_and_impact_ratios() -> None:
    table = next(t for t in compute(_dcwp_rows()).ai_tables if t.key == "interview_score")
    assert table.median == 5.0
    sex = _by_category(_grouping(table, "sex"))
    assert sex == {"Male": (92, "54.3 %", "1.00"), "Female": (76, "44.7 %", "0.82")}
    race_table = _grouping(table, "race_ethnicity")
    expected = {
        "Hispanic or Latino": (28, Fraction(642, 1000), "1.00"),
        "White": (40, Fraction(375, 1000), "0.58"),
        "Black or African American": (32, Fraction(500, 1000), "0.78"),
        "Native Hawaiian or Other Pacific Islander": (8, Fraction(625, 1000), "0.97"),
        "Asian": (24, Fraction(417, 1000), "0.65"),
    }
    for row in race_table.rows:
        applicants, rate, ratio = expected[row.category]
        assert row.applicants == applicants
        assert row.rate is not None and abs(row.rate - rate) <= Fraction(1, 1000)  # ±0.1 point
        assert ratio_text(row.impact_ratio) == ratio
    assert {r.category for r in race_table.rows} == set(expected)
    assert race_table.unknown == 36
    assert [r.category for r in race_table.rows if r.below_four_fifths] == [
        "White",
        "Black or African American",
        "Asian",
    ]


def test_ties_at_the_median_are_not_favourable() -> None:
    # Scores 1, 5, 5, 5, 9: the median is 5 and the three applicants on it are not above it.
    scores = [("Male", 1.0), ("Male", 5.0), ("Female", 5.0), ("Female", 5.0), ("Male", 9.0)]
    rows = [_row(i, sex, overall_score=s, ai_selected=True) for i, (sex, s) in enumerate(scores)]
    table = next(t for t in compute(rows).ai_tables if t.key == "interview_score")
    assert table.median == 5.0
    sex = {r.category: (r.favourable, r.rate) for r in _grouping(table, "sex").rows}
    assert sex == {"Male": (1, Fraction(1, 3)), "Female": (0, Fraction(0))}
    resume = next(t for t in compute(rows).ai_tables if t.key == "resume_risk")
    assert all(r.favourable == 0 for r in _grouping(resume, "sex").rows)  # every risk ties at 0.5


def test_a_category_without_evaluations_shows_no_rate_and_no_ratio() -> None:
    rows = [_row(i, "Male", ai_selected=i % 2 == 0, overall_score=5.0) for i in range(10)]
    rows += [_row(10 + i, "Female") for i in range(10)]  # assessed on the résumé, never interviewed
    selection = compute(rows).ai_tables[0]
    female = next(r for r in _grouping(selection, "sex").rows if r.category == "Female")
    assert (female.applicants, female.rate, female.impact_ratio, female.below_four_fifths) == (0, None, None, False)
    assert percent(female.rate) == "—" and ratio_text(female.impact_ratio) == "—"


def test_all_unknown_gives_counts_but_no_category() -> None:
    rows = [_row(i, ai_selected=True, overall_score=7.0) for i in range(4)]
    audit = compute(rows)
    assert (audit.assessed, audit.unknown_sex, audit.unknown_race_ethnicity) == (4, 4, 4)
    for table in audit.ai_tables:
        for grouping in table.groupings:
            assert grouping.rows == () and grouping.small == ()
            assert grouping.unknown == 4


def test_a_category_under_two_percent_is_reported_apart_and_sets_no_ratio() -> None:
    rows = [_row(i, race="White", ai_selected=i < 30) for i in range(60)]
    rows += [_row(60 + i, race="Asian", ai_selected=i < 20) for i in range(40)]
    rows.append(_row(100, race="Two or More Races", ai_selected=True))  # 1 of 101: under 2 %
    table = _grouping(compute(rows).ai_tables[0], "race_ethnicity")
    assert _by_category(table) == {"White": (60, "50.0 %", "1.00"), "Asian": (40, "50.0 %", "1.00")}
    (small,) = table.small
    assert (small.category, small.applicants, percent(small.rate), small.impact_ratio) == (
        "Two or More Races",
        1,
        "100.0 %",
        None,
    )


def test_exclusions_are_counted_and_left_out() -> None:
    rows = [
        _row(1, "Male", ai_selected=True, interview_state="completed", overall_score=6.0),
        _row(2, "Male", interview_state="unfinished"),
        AuditRow(3, 1, "Female", "unknown", None, None, None, exclusion="refused_resume"),
        _row(4, "Female", exclusion="human_review"),
    ]
    audit = compute(rows)
    assert audit.assessed == 2
    assert (audit.exclusions.refused_resumes, audit.exclusions.unfinished_interviews) == (1, 1)
    assert audit.exclusions.person_requests == 1
    assert _by_category(_grouping(audit.ai_tables[0], "sex")) == {"Male": (1, "100.0 %", "1.00")}


def test_human_decisions_of_workday_and_the_console_are_two_columns() -> None:
    rows = [_row(1, "Male", workday_decision="advanced", console_decision="reject")]
    rows += [_row(2, "Female", workday_decision="rejected", console_decision="advance")]
    rows += [_row(3, "Female", console_decision="hold")]  # not decided yet: in neither
    workday, console = compute(rows).human_tables
    assert _by_category(_grouping(workday, "sex")) == {"Male": (1, "100.0 %", "1.00"), "Female": (1, "0.0 %", "0.00")}
    assert _by_category(_grouping(console, "sex")) == {"Male": (1, "0.0 %", "0.00"), "Female": (1, "100.0 %", "1.00")}


def test_intersections_pair_race_and_sex() -> None:
    rows = [_row(i, "Female", "Asian", ai_selected=True) for i in range(5)]
    rows += [_row(5 + i, "Male", "Asian", ai_selected=i == 0) for i in range(5)]
    inter = _grouping(compute(rows).ai_tables[0], "intersection")
    assert _by_category(inter) == {"Asian · Male": (5, "20.0 %", "0.20"), "Asian · Female": (5, "100.0 %", "1.00")}
    male = next(r for r in inter.rows if r.category == "Asian · Male")
    assert male.p_value == pytest.approx(0.0476190476)  # [[1, 4], [5, 0]]


@pytest.mark.parametrize(
    ("table", "p_value"),
    [
        ((8, 2, 1, 5), 0.034965034965),  # R: fisher.test(matrix(c(8,1,2,5),2))
        ((3, 1, 1, 3), 0.485714285714),  # the lady tasting tea
        ((1, 9, 11, 3), 0.002759456185),
        ((5, 5, 5, 5), 1.0),
        ((0, 0, 0, 0), 1.0),
    ],
)
def test_fisher_exact_two_sided_matches_reference_values(table: tuple[int, int, int, int], p_value: float) -> None:
    assert fisher_exact_two_sided(*table) == pytest.approx(p_value, abs=1e-9)
