"""The bias-audit figures of NYC LL144 (6 RCNY §5-301), computed exactly from de-identified outcome rows.

Pure: the rows come from the `outcomes` table or an applicant-level CSV. Rates and impact ratios are
`Fraction`s; `percent` and `ratio_text` round them for display only. Unknown and declined categories
count towards the medians but get no impact ratio; categories under 2 % of the assessed are reported
apart (count and rate) and do not set the highest rate; nothing is silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from statistics import median

from airecruiter.domain.demographics import DECLINED, RACE_ETHNICITY_CATEGORIES, SEX_CATEGORIES, UNKNOWN
from airecruiter.domain.fisher_exact import fisher_exact_two_sided

SELECTED_RECOMMENDATIONS = frozenset({"hire", "strong_hire"})
FOUR_FIFTHS = Fraction(4, 5)
SMALL_SHARE = Fraction(2, 100)
GROUPINGS = ("sex", "race_ethnicity", "intersection")


@dataclass(frozen=True)
class AuditRow:
    """One application as the audit sees it: no identity, only categories, scores and decisions."""

    application_id: int
    requisition_id: int
    sex: str
    race_ethnicity: str
    resume_risk: float | None  # None: the AI never scored the résumé
    overall_score: float | None  # None: no evaluated interview
    ai_selected: bool | None  # None: no evaluation
    workday_decision: str | None = None  # advanced / rejected
    console_decision: str | None = None  # advance / reject / hold
    interview_state: str = "none"  # none / unfinished / completed
    exclusion: str | None = None  # refused_resume / human_review


@dataclass(frozen=True)
class CategoryFigures:
    """One category's line of a table."""

    category: str
    applicants: int
    favourable: int
    rate: Fraction | None
    impact_ratio: Fraction | None
    below_four_fifths: bool
    p_value: float | None  # Fisher's exact test against the highest-rate category


@dataclass(frozen=True)
class GroupingTable:
    """One grouping (sex, race/ethnicity or their intersection) of one measure."""

    grouping: str
    rows: tuple[CategoryFigures, ...]
    small: tuple[CategoryFigures, ...]  # under 2 % of the assessed: count and rate, no ratio
    unknown: int  # applicants of this measure in an unknown or declined category


@dataclass(frozen=True)
class MeasureTable:
    """One measure (AI selection, a score, a human decision) by every grouping."""

    key: str
    title: str
    population: int
    favourable: int  # across every category, unknown included
    median: float | None
    groupings: tuple[GroupingTable, ...]


@dataclass(frozen=True)
class Exclusions:
    """Applications left out of the figures, with why."""

    refused_resumes: int
    unfinished_interviews: int
    person_requests: int


@dataclass(frozen=True)
class BiasAudit:
    """Everything the summary of results shows."""

    assessed: int
    unknown_sex: int
    unknown_race_ethnicity: int
    exclusions: Exclusions
    ai_tables: tuple[MeasureTable, ...]
    human_tables: tuple[MeasureTable, ...]


def percent(rate: Fraction | None) -> str:
    """A rate as a percentage to one decimal ("54.3 %"), or an em dash when there is none."""
    if rate is None:
        return "—"
    return f"{_round(rate * 100, '0.1')} %"


def ratio_text(ratio: Fraction | None) -> str:
    """An impact ratio to two decimals, or an em dash when there is none."""
    return "—" if ratio is None else str(_round(ratio, "0.01"))


def _round(value: Fraction, step: str) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(step), rounding=ROUND_HALF_UP)


def _known(value: str) -> bool:
    return value not in (UNKNOWN, DECLINED)


def _category(row: AuditRow, grouping: str) -> str | None:
    """The row's category in a grouping, or None when it is unknown or declined."""
    if grouping == "sex":
        return row.sex if _known(row.sex) else None
    if grouping == "race_ethnicity":
        return row.race_ethnicity if _known(row.race_ethnicity) else None
    if _known(row.sex) and _known(row.race_ethnicity):
        return f"{row.race_ethnicity} · {row.sex}"
    return None


def _order(grouping: str) -> list[str]:
    if grouping == "sex":
        return list(SEX_CATEGORIES)
    if grouping == "race_ethnicity":
        return list(RACE_ETHNICITY_CATEGORIES)
    return [f"{race} · {sex}" for race in RACE_ETHNICITY_CATEGORIES for sex in SEX_CATEGORIES]


def grouping_table(
    grouping: str, population: Sequence[tuple[AuditRow, bool]], assessed: Sequence[AuditRow]
) -> GroupingTable:
    """The figures of one grouping: `population` pairs each row of the measure with its outcome."""
    size: dict[str, int] = {}
    for row in assessed:
        cat = _category(row, grouping)
        if cat is not None:
            size[cat] = size.get(cat, 0) + 1
    counts: dict[str, list[int]] = {cat: [0, 0] for cat in size}
    unknown = 0
    for row, favourable in population:
        cat = _category(row, grouping)
        if cat is None:
            unknown += 1
            continue
        counts[cat][0] += 1
        counts[cat][1] += int(favourable)
    present = [cat for cat in _order(grouping) if cat in size]
    small_cats = {cat for cat in present if Fraction(size[cat], len(assessed)) < SMALL_SHARE}
    rates = {cat: Fraction(c[1], c[0]) if c[0] else None for cat, c in counts.items()}
    main = [cat for cat in present if cat not in small_cats]
    top = max(main, key=lambda cat: (rates[cat] or Fraction(0), -main.index(cat)), default=None)
    top_rate = rates[top] if top is not None else None
    rows = tuple(_figures(cat, counts, rates, top, top_rate) for cat in main)
    small = tuple(
        CategoryFigures(cat, counts[cat][0], counts[cat][1], rates[cat], None, False, None)
        for cat in present
        if cat in small_cats
    )
    return GroupingTable(grouping, rows, small, unknown)


def _figures(
    cat: str,
    counts: dict[str, list[int]],
    rates: dict[str, Fraction | None],
    top: str | None,
    top_rate: Fraction | None,
) -> CategoryFigures:
    applicants, favourable = counts[cat]
    rate = rates[cat]
    if rate is None or top is None or not top_rate:
        return CategoryFigures(cat, applicants, favourable, rate, None, False, None)
    ratio = rate / top_rate
    top_n, top_fav = counts[top]
    p_value = fisher_exact_two_sided(favourable, applicants - favourable, top_fav, top_n - top_fav)
    return CategoryFigures(cat, applicants, favourable, rate, ratio, ratio < FOUR_FIFTHS, p_value)


def measure_table(
    key: str,
    title: str,
    population: Sequence[tuple[AuditRow, bool]],
    assessed: Sequence[AuditRow],
    mid: float | None = None,
) -> MeasureTable:
    """One measure by sex, by race/ethnicity and by their intersection."""
    groupings = tuple(grouping_table(g, population, assessed) for g in GROUPINGS)
    favourable = sum(1 for _, outcome in population if outcome)
    return MeasureTable(key, title, len(population), favourable, mid, groupings)


def _scoring(
    key: str, title: str, rows: Sequence[AuditRow], score: Callable[[AuditRow], float | None], higher_is_better: bool
) -> tuple[str, str, list[tuple[AuditRow, bool]], float | None]:
    scored = [(row, value) for row in rows if (value := score(row)) is not None]
    if not scored:
        return key, title, [], None
    mid = float(median(value for _, value in scored))
    population = [(row, value > mid if higher_is_better else value < mid) for row, value in scored]
    return key, title, population, mid


def _scored(row: AuditRow) -> bool:
    return row.resume_risk is not None or row.overall_score is not None or row.ai_selected is not None


def compute(rows: Iterable[AuditRow]) -> BiasAudit:
    """The whole audit: the AI's selection and scoring rates, the human decisions, exclusions."""
    every = list(rows)
    person = [r for r in every if r.exclusion == "human_review"]
    refused = [r for r in every if r.exclusion == "refused_resume"]
    assessed = [r for r in every if r.exclusion is None and _scored(r)]
    unfinished = [r for r in assessed if r.interview_state == "unfinished"]
    evaluated = [r for r in assessed if r.ai_selected is not None]
    ai_selection = [(r, bool(r.ai_selected)) for r in evaluated]
    interview = _scoring(
        "interview_score", "Interview overall score (above the median)", evaluated, lambda r: r.overall_score, True
    )
    resume = _scoring("resume_risk", "Résumé risk score (below the median)", assessed, lambda r: r.resume_risk, False)
    ai_tables = (
        measure_table("ai_selection", "AI recommendation: selected (hire or strong hire)", ai_selection, assessed),
        *(measure_table(k, t, pop, assessed, mid) for k, t, pop, mid in (interview, resume)),
    )
    workday = [
        (r, r.workday_decision == "advanced") for r in assessed if r.workday_decision in ("advanced", "rejected")
    ]
    console = [(r, r.console_decision == "advance") for r in assessed if r.console_decision in ("advance", "reject")]
    human_tables = (
        measure_table("human_workday", "Human decision in Workday: advanced", workday, assessed),
        measure_table("human_console", "Human decision in the console: advance", console, assessed),
    )
    return BiasAudit(
        assessed=len(assessed),
        unknown_sex=sum(1 for r in assessed if not _known(r.sex)),
        unknown_race_ethnicity=sum(1 for r in assessed if not _known(r.race_ethnicity)),
        exclusions=Exclusions(len(refused), len(unfinished), len(person)),
        ai_tables=ai_tables,
        human_tables=human_tables,
    )
