"""The bias audit over the outcome records, and `airecruiter audit bias` as an auditor runs it."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.services import bias_audit
from airecruiter.services.bias_audit_exports import audit_csv_export, audit_view, neutralise
from tests.integration.processes import ROOT

_INSERT = text("""
    INSERT INTO outcomes (application_id, requisition_id, applied_month, scored_on, resume_risk, analysis_model,
                          analysis_prompt_version, overall_score, ai_recommendation, evaluation_model,
                          evaluation_prompt_version, interview_state, exclusion, workday_decision, sex, race_ethnicity)
    VALUES (:id, :req, date_trunc('month', CAST(:day AS date)), :scored, :risk,
            CASE WHEN CAST(:risk AS float) IS NOT NULL THEN 'offline' END, 3, :overall, :rec,
            CASE WHEN CAST(:overall AS float) IS NOT NULL THEN 'claude-x' END, 5,
            :state, :exclusion, :workday, :sex, :race)
""")


async def _outcomes(db: AsyncEngine) -> None:
    rows = []
    for i in range(20):
        female = i % 2 == 1
        rows.append(
            {
                "id": 9000 + i,
                "req": 71,
                "day": date(2026, 3, 10),
                "scored": date(2026, 3, 10),
                "risk": 0.1 * (i % 10),
                "overall": 5.0 + (i % 5),
                "rec": "hire" if (not female or i % 4 == 1) else "no_hire",
                "state": "completed",
                "exclusion": None,
                "workday": "advanced" if i % 3 == 0 else "rejected",
                "sex": "Female" if female else "Male",
                "race": "Asian" if i < 10 else "White",
            }
        )
    base = {"req": 71, "day": date(2026, 3, 10), "overall": None, "rec": None, "workday": None, "sex": "unknown"}
    rows.append(base | {"id": 9100, "scored": None, "risk": None, "state": "none", "exclusion": "refused_resume"})
    rows.append(base | {"id": 9101, "scored": date(2026, 3, 11), "risk": 0.4, "state": "unfinished", "exclusion": None})
    rows.append(
        base | {"id": 9102, "scored": date(2026, 3, 12), "risk": 0.2, "state": "none", "exclusion": "human_review"}
    )
    rows.append(base | {"id": 9103, "scored": date(2026, 5, 1), "risk": 0.2, "state": "none", "exclusion": None})
    rows.append(
        base | {"id": 9104, "req": 72, "scored": date(2026, 3, 1), "risk": 0.2, "state": "none", "exclusion": None}
    )
    async with db.begin() as conn:
        for row in rows:
            await conn.execute(_INSERT, {"race": "unknown", **row})


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "COLUMNS": "200", "LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "airecruiter", "audit", "bias", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )


async def test_the_audit_of_a_range_counts_assessed_exclusions_and_models(db: AsyncEngine) -> None:
    await _outcomes(db)
    report = await bias_audit.audit_range(db, start=date(2026, 3, 1), end=date(2026, 3, 31), requisition_id=71)
    audit = report.audit
    assert audit.assessed == 21  # 20 evaluated + 1 unfinished; not May's, not requisition 72's
    assert (audit.exclusions.refused_resumes, audit.exclusions.unfinished_interviews) == (1, 1)
    assert audit.exclusions.person_requests == 1
    assert audit.unknown_sex == 1
    overall = audit_view(report)["ai_tables"][0]
    assert (overall["favourable"], overall["population"], overall["rate_shown"]) == (15, 20, "75.0 %")
    selection = audit_view(report)["ai_tables"][0]["groupings"][0]
    assert [(r["category"], r["rate_shown"], r["impact_ratio_shown"]) for r in selection["rows"]] == [
        ("Male", "100.0 %", "1.00"),
        ("Female", "50.0 %", "0.50"),
    ]
    assert {(m.step, m.model, m.prompt_version, m.applications) for m in report.models} == {
        ("résumé analysis", "offline", 3, 22),  # the person request was scored before it
        ("interview evaluation", "claude-x", 5, 20),
    }
    every = await bias_audit.audit_range(db, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert every.audit.assessed == 22


async def test_viewing_the_audit_logs_the_range_and_no_figure_of_a_category(db: AsyncEngine) -> None:
    await _outcomes(db)
    report = await bias_audit.audit_range(db, start=date(2026, 3, 1), end=date(2026, 3, 31), requisition_id=71)
    await bias_audit.record_audit_viewed(db, report=report, actor="aud", fmt="csv")
    async with db.connect() as conn:
        row = (await conn.execute(text("SELECT actor, action, details::text AS d FROM activities"))).one()
    assert (row.actor, row.action) == ("aud", "bias_audit_viewed")
    details = json.loads(row.d)
    assert details == {
        "start": "2026-03-01",
        "end": "2026-03-31",
        "requisition_id": 71,
        "format": "csv",
        "assessed": 21,
    }
    for word in ("Male", "Female", "Asian", "White"):
        assert word not in row.d


async def test_cli_exports_json_csv_and_a_pdf(db: AsyncEngine, database_url: str, tmp_path: Path) -> None:
    await _outcomes(db)
    shown = _cli(database_url, "--from", "2026-03-01", "--to", "2026-03-31", "--requisition", "71", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["assessed"] == 21
    exported = _cli(database_url, "--from", "2026-03-01", "--to", "2026-03-31", "--format", "csv")
    lines = list(csv.DictReader(io.StringIO(exported.stdout)))
    male = next(r for r in lines if r["measure"] == "ai_selection" and r["category"] == "Male")
    assert (male["applicants"], male["rate_percent"], male["impact_ratio"]) == ("10", "100.0", "1.00")
    pdf = tmp_path / "summary.pdf"
    made = _cli(database_url, "--from", "2026-03-01", "--to", "2026-03-31", "--format", "pdf", "--output", str(pdf))
    assert made.returncode == 0, made.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    async with db.connect() as conn:
        formats = (await conn.execute(text("SELECT details->>'format' FROM activities ORDER BY id"))).scalars().all()
    assert formats == ["json", "csv", "pdf"]


def test_cli_names_each_bad_row_of_an_applicant_csv(database_url: str, tmp_path: Path) -> None:
    source = tmp_path / "applicants.csv"
    source.write_text(
        "application_id,requisition_id,applied_on,sex,race_ethnicity,ai_selected,resume_risk,overall_score,human_decision\n"
        "1,7,2026-03-01,Male,White,true,0.2,7.5,advanced\n"
        "2,7,2026-13-01,Female,Asian,false,0.6,4.0,rejected\n"
        "3,7,2026-03-03,=HYPERLINK(),White,true,0.3,8,\n"
        "4,7,2026-03-03,Female,White,perhaps,0.3,8,\n",
        encoding="utf-8",
    )
    result = _cli(database_url, "--from", "2026-01-01", "--to", "2026-12-31", "--input", str(source), "--format", "csv")
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert "3 row(s) of the CSV cannot be used" in message
    assert "row 3: applied_on must be a date" in message
    assert "row 4: sex must be one of" in message and "row 5: ai_selected must be true, false or empty" in message


def test_csv_exports_neutralise_spreadsheet_formulas() -> None:
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(cell) == "'" + cell
    assert neutralise("White") == "White" and neutralise(0.5) == "0.5"
    report = bias_audit.audit_csv(
        "application_id,requisition_id,applied_on,sex,race_ethnicity,ai_selected,resume_risk,overall_score,human_decision\n"
        "1,7,2026-03-01,Male,White,true,0.2,7.5,advanced\n",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    assert "\nai_selection,sex,Male,main,1,1,100.0,1.00,no,1.000000\n" in audit_csv_export(report)
