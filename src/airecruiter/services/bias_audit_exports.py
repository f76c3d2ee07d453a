"""The bias audit's exports: one JSON view (the page, the JSON file and the PDF all read it), a flat CSV
with spreadsheet formulas neutralised, and the draft summary of results as PDF."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date
from fractions import Fraction
from typing import Any

from airecruiter.domain.bias_audit import CategoryFigures, GroupingTable, MeasureTable, percent, ratio_text
from airecruiter.ports.audit_summary import AuditSummaryRenderer
from airecruiter.services.bias_audit import AuditReport

GROUPING_LABELS = {"sex": "Sex", "race_ethnicity": "Race/ethnicity", "intersection": "Race/ethnicity × sex"}
CSV_COLUMNS = (
    "measure",
    "grouping",
    "category",
    "reported",
    "applicants",
    "favourable",
    "rate_percent",
    "impact_ratio",
    "below_four_fifths",
    "fisher_p",
)
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _figures(row: CategoryFigures) -> dict[str, Any]:
    return {
        "category": row.category,
        "applicants": row.applicants,
        "favourable": row.favourable,
        "rate": None if row.rate is None else float(row.rate),
        "rate_exact": None if row.rate is None else f"{row.favourable}/{row.applicants}",
        "rate_shown": percent(row.rate),
        "impact_ratio": None if row.impact_ratio is None else float(row.impact_ratio),
        "impact_ratio_shown": ratio_text(row.impact_ratio),
        "below_four_fifths": row.below_four_fifths,
        "fisher_p": row.p_value,
        "fisher_p_shown": "—" if row.p_value is None else f"{row.p_value:.3f}",
    }


def _grouping(table: GroupingTable) -> dict[str, Any]:
    return {
        "grouping": table.grouping,
        "label": GROUPING_LABELS[table.grouping],
        "unknown": table.unknown,
        "rows": [_figures(r) for r in table.rows],
        "small": [_figures(r) for r in table.small],
    }


def _measure(table: MeasureTable) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": table.title,
        "population": table.population,
        "favourable": table.favourable,
        "rate_shown": percent(Fraction(table.favourable, table.population) if table.population else None),
        "median": table.median,
        "groupings": [_grouping(g) for g in table.groupings],
    }


def side_by_side(workday: dict[str, Any], console: dict[str, Any]) -> list[dict[str, Any]]:
    """The human decision per grouping as one table: Workday's figures, then the console's as a second column."""
    merged = []
    for left, right in zip(workday["groupings"], console["groupings"], strict=True):
        by_left = {r["category"]: r for r in [*left["rows"], *left["small"]]}
        by_right = {r["category"]: r for r in [*right["rows"], *right["small"]]}
        categories = [*by_left, *(c for c in by_right if c not in by_left)]
        merged.append(
            {
                "label": left["label"],
                "rows": [{"category": c, "workday": by_left.get(c), "console": by_right.get(c)} for c in categories],
                "unknown": {"workday": left["unknown"], "console": right["unknown"]},
            }
        )
    return merged


def audit_view(report: AuditReport, *, distribution_date: date | None = None) -> dict[str, Any]:
    """Everything the audit shows, as JSON-able values (exact rates as "favourable/applicants")."""
    audit = report.audit
    human = [_measure(t) for t in audit.human_tables]
    return {
        "title": "Bias audit: draft summary of results",
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "requisition_id": report.requisition_id,
        "source": report.source,
        "distribution_date": distribution_date.isoformat() if distribution_date else None,
        "assessed": audit.assessed,
        "unknown": {"sex": audit.unknown_sex, "race_ethnicity": audit.unknown_race_ethnicity},
        "exclusions": {
            "refused_resumes": audit.exclusions.refused_resumes,
            "unfinished_interviews": audit.exclusions.unfinished_interviews,
            "person_requests": audit.exclusions.person_requests,
        },
        "ai_tables": [_measure(t) for t in audit.ai_tables],
        "human_tables": human,
        "human_side_by_side": side_by_side(*human),
        "models": [
            {"step": m.step, "model": m.model, "prompt_version": m.prompt_version, "applications": m.applications}
            for m in report.models
        ],
    }


def neutralise(cell: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading =, +, -, @, tab or CR would start a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def audit_csv_export(report: AuditReport) -> str:
    """One line per measure, grouping and category (the unknown count as its own line)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    view = audit_view(report)
    for table in [*view["ai_tables"], *view["human_tables"]]:
        for grouping in table["groupings"]:
            for reported in ("rows", "small"):
                for row in grouping[reported]:
                    writer.writerow(
                        neutralise(cell)
                        for cell in (
                            table["key"],
                            grouping["grouping"],
                            row["category"],
                            "main" if reported == "rows" else "under 2 %",
                            row["applicants"],
                            row["favourable"],
                            row["rate_shown"].removesuffix(" %") if row["rate"] is not None else "",
                            row["impact_ratio_shown"] if row["impact_ratio"] is not None else "",
                            "yes" if row["below_four_fifths"] else "no",
                            "" if row["fisher_p"] is None else f"{row['fisher_p']:.6f}",
                        )
                    )
            unknown = (table["key"], grouping["grouping"], "unknown or declined", "unknown", grouping["unknown"])
            writer.writerow([*(neutralise(c) for c in unknown), "", "", "", "", ""])
    return out.getvalue()


async def audit_pdf(
    report: AuditReport, renderer: AuditSummaryRenderer, *, distribution_date: date | None = None
) -> bytes:
    """The draft summary of results for the independent auditor, typeset off the event loop."""
    view = audit_view(report, distribution_date=distribution_date)
    return await asyncio.to_thread(renderer.render, view)
