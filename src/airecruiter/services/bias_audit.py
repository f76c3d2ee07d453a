"""The bias audit as a use case: compute it for a range (from the outcomes or an applicant-level CSV),
and record who viewed or exported it. The activity entry names the range and format, never a figure
of a category."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.db.activities import record_activity
from airecruiter.db.read_models.bias_audit import ModelInUse, models_in_use, outcome_rows
from airecruiter.domain.audit_activity import BiasAuditViewed
from airecruiter.domain.bias_audit import AuditRow, BiasAudit, compute
from airecruiter.domain.demographics import RACE_ETHNICITY_VALUES, SEX_VALUES, UNKNOWN
from airecruiter.errors import PermanentError

INPUT_COLUMNS = (
    "application_id",
    "requisition_id",
    "applied_on",
    "sex",
    "race_ethnicity",
    "ai_selected",
    "resume_risk",
    "overall_score",
    "human_decision",
)
MAX_REPORTED_ERRORS = 20
_TRUE, _FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n"}


class AuditInputError(PermanentError):
    """An applicant-level CSV the audit cannot use; the message names each bad row."""


@dataclass(frozen=True)
class AuditReport:
    """An audit with what it covers: the range, the requisition, where the rows came from, the models."""

    start: date
    end: date
    requisition_id: int | None
    source: str  # "outcomes" or "csv"
    audit: BiasAudit
    models: list[ModelInUse] = field(default_factory=list)


async def audit_range(engine: AsyncEngine, *, start: date, end: date, requisition_id: int | None = None) -> AuditReport:
    """The audit of the applications the AI scored from `start` to `end`, optionally of one requisition."""
    if end < start:
        raise AuditInputError(f"The range ends ({end}) before it starts ({start}).")
    rows = await outcome_rows(engine, start=start, end=end, requisition_id=requisition_id)
    models = await models_in_use(engine, start=start, end=end, requisition_id=requisition_id)
    return AuditReport(start, end, requisition_id, "outcomes", compute(rows), models)


async def record_audit_viewed(engine: AsyncEngine, *, report: AuditReport, actor: str, fmt: str) -> None:
    """Log that `actor` viewed or exported the audit (the range, the format, the count assessed)."""
    details = BiasAuditViewed(
        start=report.start.isoformat(),
        end=report.end.isoformat(),
        requisition_id=report.requisition_id,
        format=fmt,
        assessed=report.audit.assessed,
    )
    async with engine.begin() as conn:
        await record_activity(conn, actor=actor, details=details, requisition_id=report.requisition_id)


def audit_csv(content: str, *, start: date, end: date, requisition_id: int | None = None) -> AuditReport:
    """The audit of an applicant-level CSV (historical or test data), its rows applied in the range."""
    reader = csv.DictReader(io.StringIO(content))
    missing = [c for c in INPUT_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise AuditInputError(f"The CSV lacks the column(s) {', '.join(missing)} (row 1 is the header).")
    rows: list[AuditRow] = []
    errors: list[str] = []
    for number, record in enumerate(reader, start=2):
        try:
            applied_on, row = _input_row(record)
        except ValueError as error:
            errors.append(f"row {number}: {error}")
            continue
        if start <= applied_on <= end and requisition_id in (None, row.requisition_id):
            rows.append(row)
    if errors:
        more = len(errors) - MAX_REPORTED_ERRORS
        shown = "\n".join(errors[:MAX_REPORTED_ERRORS]) + (f"\n… and {more} more bad rows" if more > 0 else "")
        raise AuditInputError(f"{len(errors)} row(s) of the CSV cannot be used:\n{shown}")
    return AuditReport(start, end, requisition_id, "csv", compute(rows))


def _input_row(record: dict[str, str | None]) -> tuple[date, AuditRow]:
    value = {k: (v or "").strip() for k, v in record.items() if k is not None}
    sex = value["sex"] or UNKNOWN
    race = value["race_ethnicity"] or UNKNOWN
    if sex not in SEX_VALUES:
        raise ValueError(f"sex must be one of {', '.join(SEX_VALUES)} or empty")
    if race not in RACE_ETHNICITY_VALUES:
        raise ValueError(f"race_ethnicity must be one of {', '.join(RACE_ETHNICITY_VALUES)} or empty")
    decision = value["human_decision"] or None
    if decision not in (None, "advanced", "rejected"):
        raise ValueError("human_decision must be advanced, rejected or empty")
    overall = _number(value["overall_score"], "overall_score", 10.0)
    row = AuditRow(
        application_id=_integer(value["application_id"], "application_id"),
        requisition_id=_integer(value["requisition_id"], "requisition_id"),
        sex=sex,
        race_ethnicity=race,
        resume_risk=_number(value["resume_risk"], "resume_risk", 1.0),
        overall_score=overall,
        ai_selected=_flag(value["ai_selected"]),
        workday_decision=decision,
        interview_state="completed" if overall is not None else "none",
    )
    try:
        applied_on = date.fromisoformat(value["applied_on"])
    except ValueError:
        raise ValueError("applied_on must be a date as YYYY-MM-DD") from None
    return applied_on, row


def _integer(text: str, name: str) -> int:
    if not text.isdigit():
        raise ValueError(f"{name} must be a whole number")
    return int(text)


def _number(text: str, name: str, highest: float) -> float | None:
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{name} must be a number from 0 to {highest:g} or empty") from None
    if not 0 <= number <= highest:
        raise ValueError(f"{name} must be a number from 0 to {highest:g} or empty")
    return number


def _flag(text: str) -> bool | None:
    if not text:
        return None
    if text.lower() in _TRUE | _FALSE:
        return text.lower() in _TRUE
    raise ValueError("ai_selected must be true, false or empty")
