"""An auditor's CSV of self-identification: strict reading, every problem named by its line.

Columns (a header line, names without case): either `application_id` (our application id, a
number, as the console shows it) or `workday_application_id` (Workday's Job_Application_ID) —
exactly one of the two — then `sex` and `race_ethnicity`, each an EEO-1 category of
`domain.demographics`, "declined" or "unknown" (without case). Error messages name the line and
the column, never the value: the file holds personal data and an error may end up in a ticket.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import ClassVar

from airecruiter.domain.activity_details import ActivityDetails
from airecruiter.domain.demographics import RACE_ETHNICITY_VALUES, SEX_VALUES

OUR_ID = "application_id"
WORKDAY_ID = "workday_application_id"
MAX_ERRORS_SHOWN = 20
MAX_ROWS = 1_000_000


@dataclass(frozen=True)
class ImportRow:
    """One line of the file: which application, and its categories (canonical spelling)."""

    line: int
    application_ref: str  # our id (digits) or Workday's application id, per `ImportFile.by_workday_id`
    sex: str
    race_ethnicity: str

    def __repr__(self) -> str:
        return f"ImportRow(line={self.line})"


@dataclass(frozen=True)
class ImportFile:
    """The file's rows, and which id column it uses."""

    by_workday_id: bool
    rows: tuple[ImportRow, ...]


@dataclass(frozen=True, slots=True)
class DemographicsImported(ActivityDetails):
    """An auditor imported self-identification: counts only."""

    ACTION: ClassVar[str] = "demographics_imported"
    rows: int
    added: int
    replaced: int
    id_column: str


class ImportProblems(ValueError):
    """The file cannot be imported; `problems` lists each as 'line N: …'."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:MAX_ERRORS_SHOWN]
        more = len(problems) - len(shown)
        tail = f"\n… and {more} more" if more else ""
        super().__init__("Nothing was imported:\n" + "\n".join(shown) + tail)
        self.problems = problems


def _canonical(value: str, allowed: tuple[str, ...]) -> str | None:
    folded = value.strip().casefold()
    return next((a for a in allowed if a.casefold() == folded), None)


def _header(fields: list[str] | None) -> tuple[dict[str, int], list[str]]:
    names = [f.strip().lstrip("\ufeff").casefold() for f in fields or []]
    problems: list[str] = []
    id_columns = [c for c in (OUR_ID, WORKDAY_ID) if c in names]
    if len(id_columns) != 1:
        problems.append(f"line 1: the header needs exactly one of the columns {OUR_ID}, {WORKDAY_ID}")
    for column in ("sex", "race_ethnicity"):
        if column not in names:
            problems.append(f"line 1: the header has no column {column}")
    if len(set(names)) != len(names):
        problems.append("line 1: a column name appears twice")
    return {name: i for i, name in enumerate(names)}, problems


def _row(line: int, cells: list[str], columns: dict[str, int], id_column: str) -> tuple[ImportRow | None, list[str]]:
    if len(cells) != len(columns):
        return None, [f"line {line}: {len(cells)} cells where the header has {len(columns)}"]
    problems = []
    ref = cells[columns[id_column]].strip()
    if not ref:
        problems.append(f"line {line}: {id_column} is empty")
    elif id_column == OUR_ID and not (ref.isascii() and ref.isdigit()):
        problems.append(f"line {line}: {id_column} is not a number (use {WORKDAY_ID} for Workday's ids)")
    sex = _canonical(cells[columns["sex"]], SEX_VALUES)
    if sex is None:
        problems.append(f"line {line}: sex is not one of {', '.join(SEX_VALUES)}")
    race = _canonical(cells[columns["race_ethnicity"]], RACE_ETHNICITY_VALUES)
    if race is None:
        problems.append(f"line {line}: race_ethnicity is not one of {', '.join(RACE_ETHNICITY_VALUES)}")
    if problems or sex is None or race is None:
        return None, problems
    return ImportRow(line, str(int(ref)) if id_column == OUR_ID else ref, sex, race), []


def read_import(data: str) -> ImportFile:
    """The file's rows; ImportProblems listing every bad line (nothing is imported then)."""
    reader = csv.reader(io.StringIO(data.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        lines = list(reader)
    except csv.Error as exc:
        raise ImportProblems([f"line {reader.line_num}: not valid CSV ({exc})"]) from None
    columns, problems = _header(lines[0] if lines else None)
    if problems:
        raise ImportProblems(problems)
    id_column = OUR_ID if OUR_ID in columns else WORKDAY_ID
    rows: list[ImportRow] = []
    first_line: dict[str, int] = {}
    for line, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank line (a trailing newline in a spreadsheet export)
        row, found = _row(line, cells, columns, id_column)
        problems.extend(found)
        if row is None:
            continue
        key = row.application_ref.casefold()
        if key in first_line:
            problems.append(f"line {line}: the same application as line {first_line[key]}")
        first_line.setdefault(key, line)
        rows.append(row)
    if not rows and not problems:
        problems.append("the file has no rows after its header")
    if len(rows) > MAX_ROWS:
        problems.append(f"the file has more than {MAX_ROWS} rows; split it")
    if problems:
        raise ImportProblems(problems)
    return ImportFile(by_workday_id=id_column == WORKDAY_ID, rows=tuple(rows))
