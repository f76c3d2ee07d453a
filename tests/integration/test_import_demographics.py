"""An auditor imports self-identification from a CSV: all rows or none, errors by line, counts in the log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.errors import ValidationError
from airecruiter.services.demographics import import_demographics
from tests.conftest import make_requisitions
from tests.integration.processes import ROOT


async def make_applications(db: AsyncEngine, count: int) -> list[int]:
    """`count` applications to one requisition (Workday ids JA-1, JA-2, …); their ids."""
    [requisition] = await make_requisitions(db, 1)
    async with db.begin() as conn:
        found = await conn.execute(
            text(
                "INSERT INTO applications (requisition_id, external_application_id, external_candidate_id,"
                " candidate_name, candidate_email, status)"
                " SELECT :r, 'JA-' || g, 'C-' || g, 'Person ' || g, 'p' || g || '@example.test', 'new'"
                " FROM generate_series(1, :n) AS g RETURNING id"
            ),
            {"r": requisition, "n": count},
        )
        return [int(r[0]) for r in found]


async def table(db: AsyncEngine, statement: str) -> list[tuple[object, ...]]:
    async with db.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(statement))]


async def test_an_import_by_our_ids_stores_rows_refreshes_outcomes_and_logs_counts(db: AsyncEngine) -> None:
    first, second = await make_applications(db, 2)
    csv = f"application_id,sex,race_ethnicity\r\n{first},female,Asian\r\n{second},Declined,unknown\r\n\r\n"
    result = await import_demographics(db, "\ufeff" + csv, actor="audrey")
    assert (result.rows, result.created, result.replaced) == (2, 2, 0)
    assert await table(db, "SELECT application_id, sex, race_ethnicity, source FROM demographics ORDER BY 1") == [
        (first, "Female", "Asian", "import"),
        (second, "declined", "unknown", "import"),
    ]
    assert await table(db, "SELECT application_id, sex, race_ethnicity FROM outcomes ORDER BY 1") == [
        (first, "Female", "Asian"),
        (second, "declined", "unknown"),
    ]
    [(actor, details)] = await table(db, "SELECT actor, details FROM activities WHERE action = 'demographics_imported'")
    assert actor == "audrey"
    assert details == {"rows": 2, "added": 2, "replaced": 0, "id_column": "application_id"}  # no value


async def test_an_import_by_workday_ids_replaces_earlier_rows(db: AsyncEngine) -> None:
    first, _ = await make_applications(db, 2)
    await import_demographics(db, "workday_application_id,sex,race_ethnicity\nJA-1,Male,White\n", actor="a")
    result = await import_demographics(
        db, "workday_application_id,race_ethnicity,sex\nJA-1,Two or More Races,Male\nJA-2,White,Female\n", actor="a"
    )
    assert (result.created, result.replaced) == (1, 1)
    assert (first, "Male", "Two or More Races") in await table(
        db, "SELECT application_id, sex, race_ethnicity FROM demographics"
    )


async def test_a_bad_file_imports_nothing_and_names_every_bad_line(db: AsyncEngine) -> None:
    first, second = await make_applications(db, 2)
    csv = (
        "application_id,sex,race_ethnicity\n"
        f"{first},Female,Asian\n"  # a good row: it must not be stored either
        f"{second},Woman,Asian\n"
        "JA-2,Male,Martian\n"
        f"{first},Male,White\n"
        f"{second},Male\n"
    )
    with pytest.raises(ValidationError) as caught:
        await import_demographics(db, csv, actor="a")
    message = caught.value.message
    assert "line 3: sex is not one of" in message
    assert "line 4: application_id is not a number" in message and "line 4: race_ethnicity" in message
    assert "line 5: the same application as line 2" in message
    assert "line 6: 2 cells where the header has 3" in message
    assert "Woman" not in message and "Martian" not in message  # lines and columns, never values
    assert await table(db, "SELECT * FROM demographics") == []
    assert await table(db, "SELECT * FROM activities WHERE action = 'demographics_imported'") == []


async def test_an_application_we_do_not_hold_stops_the_whole_file(db: AsyncEngine) -> None:
    await make_applications(db, 1)
    csv = "workday_application_id,sex,race_ethnicity\nJA-1,Female,White\nJA-404,Male,White\n"
    with pytest.raises(ValidationError, match="line 3: no application has this workday_application_id"):
        await import_demographics(db, csv, actor="a")
    assert await table(db, "SELECT * FROM demographics") == []


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("sex,race_ethnicity", "exactly one of the columns application_id, workday_application_id"),
        ("application_id,workday_application_id,sex,race_ethnicity", "exactly one of the columns"),
        ("application_id,sex", "no column race_ethnicity"),
    ],
)
async def test_a_header_without_the_needed_columns_is_refused(db: AsyncEngine, header: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=f"line 1: the header .*{problem}"):
        await import_demographics(db, header + "\n1,Male,White\n", actor="a")


async def test_the_command_imports_a_file_and_reports_counts(
    db: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    [first] = await make_applications(db, 1)
    good = tmp_path / "self_id.csv"
    good.write_text(f"application_id,sex,race_ethnicity\n{first},Female,Black or African American\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("application_id,sex,race_ethnicity\n999999,Female,White\n", encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": database_url, "COLUMNS": "200", "LOG_LEVEL": "WARNING"}

    def cli(path: Path) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "airecruiter", "demographics", "import-demographics", str(path)]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    done = cli(good)
    assert done.returncode == 0, done.stderr
    assert "Imported self-identification for 1 applications (1 new, 0 replaced)." in done.stdout
    refused = cli(bad)
    assert refused.returncode == 1 and "line 2: no application has this application_id" in refused.stderr
    assert await table(db, "SELECT application_id, race_ethnicity FROM demographics") == [
        (first, "Black or African American")
    ]
