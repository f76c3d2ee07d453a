"""`airecruiter audit …`: the bias audit of a date range, printed or exported as JSON, CSV or PDF."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from airecruiter.bootstrap import Application
from airecruiter.bootstrap.audit import audit_summary_renderer
from airecruiter.cli.common import add_plain_row, console, err_console, run_command, settings_or_exit, with_runtime
from airecruiter.cli.demographics_commands import import_demographics
from airecruiter.services import bias_audit
from airecruiter.services.bias_audit import AuditReport
from airecruiter.services.bias_audit_exports import audit_csv_export, audit_pdf, audit_view

audit_app = typer.Typer(help="The bias audit (NYC LL144): figures, exports, demographics.", no_args_is_help=True)
audit_app.command("import-demographics")(import_demographics)
ACTOR = "cli"
FORMATS = ("table", "json", "csv", "pdf")


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date as YYYY-MM-DD", param_hint=option) from None


def measure_tables(view: dict[str, Any]) -> list[Table]:
    """One rich table per measure and grouping, as the console and the PDF show them."""
    tables = []
    for measure in [*view["ai_tables"], *view["human_tables"]]:
        for grouping in measure["groupings"]:
            table = Table(title=f"{measure['title']} · {grouping['label']}", title_justify="left")
            for column in ("category", "applicants", "rate", "impact ratio", "flag", "Fisher p"):
                table.add_column(column, justify="left" if column in ("category", "flag") else "right")
            for row in grouping["rows"]:
                flag = "under 0.80" if row["below_four_fifths"] else ""
                add_plain_row(
                    table,
                    row["category"],
                    row["applicants"],
                    row["rate_shown"],
                    row["impact_ratio_shown"],
                    flag,
                    row["fisher_p_shown"],
                )
            for row in grouping["small"]:
                add_plain_row(
                    table, f"{row['category']} (under 2 %)", row["applicants"], row["rate_shown"], "—", "", "—"
                )
            add_plain_row(table, "unknown or declined", grouping["unknown"], "", "", "", "")
            tables.append(table)
    return tables


def print_audit(view: dict[str, Any]) -> None:
    """The audit in a terminal: the scope and counts, then every table."""
    scope = "all requisitions" if view["requisition_id"] is None else f"requisition {view['requisition_id']}"
    ex = view["exclusions"]
    console.print(
        f"Bias audit {view['start']} to {view['end']} ({scope}): {view['assessed']} assessed; unknown sex "
        f"{view['unknown']['sex']}, unknown race/ethnicity {view['unknown']['race_ethnicity']}; excluded: "
        f"{ex['refused_resumes']} refused résumés, {ex['unfinished_interviews']} unfinished interviews, "
        f"{ex['person_requests']} asked for a person"
    )
    for measure in [*view["ai_tables"], *view["human_tables"]]:
        console.print(
            f"{measure['title']}: {measure['favourable']} of {measure['population']} ({measure['rate_shown']})"
        )
    for table in measure_tables(view):
        console.print(table)


async def write_export(report: AuditReport, fmt: str, output: Path | None, distribution: date | None) -> None:
    """Print the audit or write it in `fmt` to `output` (standard output for JSON and CSV without one)."""
    if fmt == "table":
        print_audit(audit_view(report, distribution_date=distribution))
        return
    if fmt == "pdf":
        data = await audit_pdf(report, audit_summary_renderer(), distribution_date=distribution)
        target = output or Path(f"bias-audit-{report.start}-{report.end}.pdf")
        await asyncio.to_thread(target.write_bytes, data)
        console.print(f"Draft summary of results written to {target}")
        return
    text = (
        json.dumps(audit_view(report, distribution_date=distribution), indent=2, ensure_ascii=False)
        if fmt == "json"
        else audit_csv_export(report)
    )
    if output is None:
        typer.echo(text, nl=False)
    else:
        await asyncio.to_thread(output.write_text, text, encoding="utf-8")
        err_console.print(f"Written to {output}")


@audit_app.command("bias")
def bias(
    start: str = typer.Option(..., "--from", help="First day scored, YYYY-MM-DD."),
    end: str = typer.Option(..., "--to", help="Last day scored, YYYY-MM-DD (inclusive)."),
    requisition: int | None = typer.Option(None, "--requisition", help="Only this requisition (its id)."),
    fmt: str = typer.Option("table", "--format", help="table (terminal), json, csv or pdf."),
    output: str | None = typer.Option(None, "--output", help="Write here (default: standard output; PDF: a file)."),
    source: str | None = typer.Option(
        None, "--input", help="An applicant-level CSV instead of the database (rows applied in the range)."
    ),
    distribution: str | None = typer.Option(None, "--distribution-date", help="The PDF's distribution date."),
) -> None:
    """The bias audit of the applications scored in a date range: selection and scoring rates, impact ratios."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    first, last = _day(start, "--from"), _day(end, "--to")
    distributed = _day(distribution, "--distribution-date") if distribution else None
    target = Path(output) if output else None
    if source is not None:
        try:
            content = Path(source).read_text(encoding="utf-8-sig")
        except OSError as error:
            raise typer.BadParameter(f"cannot read {source}: {error.strerror}", param_hint="--input") from None
        run_command(_from_file(content, first, last, requisition, fmt, target, distributed))
        return

    async def action(runtime: Application) -> None:
        report = await bias_audit.audit_range(runtime.engine, start=first, end=last, requisition_id=requisition)
        await bias_audit.record_audit_viewed(runtime.engine, report=report, actor=ACTOR, fmt=fmt)
        await write_export(report, fmt, target, distributed)

    with_runtime(settings_or_exit(), action, pipeline=False)


async def _from_file(
    content: str, first: date, last: date, requisition: int | None, fmt: str, output: Path | None, when: date | None
) -> None:
    report = bias_audit.audit_csv(content, start=first, end=last, requisition_id=requisition)
    await write_export(report, fmt, output, when)
