"""Reading an auditor's self-ID CSV: what a spreadsheet export looks like is accepted, the rest named by line."""

from __future__ import annotations

import pytest

from airecruiter.domain.demographics_import import ImportProblems, ImportRow, read_import


def test_a_spreadsheet_export_is_read_with_canonical_categories() -> None:
    data = (
        "\ufeff Sex , Race_Ethnicity ,Application_ID\r\n"
        '"female","two or more races",0042\r\n,,\r\n"MALE",DECLINED,7\r\n'
    )
    parsed = read_import(data)
    assert not parsed.by_workday_id
    assert parsed.rows == (
        ImportRow(2, "42", "Female", "Two or More Races"),
        ImportRow(4, "7", "Male", "declined"),
    )


def test_workday_ids_are_kept_as_written() -> None:
    parsed = read_import("workday_application_id,sex,race_ethnicity\nJA-000101,unknown,Asian\n")
    assert parsed.by_workday_id and parsed.rows[0].application_ref == "JA-000101"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("", "line 1: the header needs exactly one of the columns"),
        ("application_id,sex,race_ethnicity\n", "the file has no rows after its header"),
        ("application_id,sex,sex,race_ethnicity\n1,Male,Male,White\n", "a column name appears twice"),
        ('application_id,sex,race_ethnicity\n1,"Male,White\n', "not valid CSV"),
        ("application_id,sex,race_ethnicity\n,Male,White\n", "line 2: application_id is empty"),
    ],
)
def test_what_cannot_be_read_is_named(data: str, problem: str) -> None:
    with pytest.raises(ImportProblems, match=problem):
        read_import(data)


def test_a_row_never_shows_its_values() -> None:
    row = read_import("application_id,sex,race_ethnicity\n1,Female,Asian\n").rows[0]
    assert "Female" not in repr(row) and "Asian" not in repr(row)
