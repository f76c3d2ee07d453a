"""Splitting a migration script into the statements asyncpg can prepare one at a time."""

from __future__ import annotations

import importlib

import pytest

from airecruiter.migrations.sqlscript import split_statements

FUNCTION = """
CREATE FUNCTION activities_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the activity log is append-only: % is not allowed', TG_OP;
END $$;
CREATE TRIGGER t BEFORE UPDATE ON activities FOR EACH ROW EXECUTE FUNCTION activities_append_only();
"""


def test_plain_statements_are_split_and_stripped() -> None:
    script = "CREATE TABLE a (x int);\n\n  CREATE TABLE b (y int) ;\n"
    assert split_statements(script) == ["CREATE TABLE a (x int)", "CREATE TABLE b (y int)"]


def test_last_statement_needs_no_semicolon() -> None:
    assert split_statements("SELECT 1; SELECT 2") == ["SELECT 1", "SELECT 2"]


@pytest.mark.parametrize("script", ["", "   \n", ";;", " ; \n ; "])
def test_empty_script_has_no_statements(script: str) -> None:
    assert split_statements(script) == []


def test_dollar_quoted_body_keeps_its_semicolons() -> None:
    statements = split_statements(FUNCTION)
    assert len(statements) == 2
    assert statements[0].startswith("CREATE FUNCTION") and statements[0].endswith("END $$")
    assert "TG_OP;" in statements[0]
    assert statements[1].startswith("CREATE TRIGGER")


def test_tagged_dollar_quote_keeps_its_semicolons() -> None:
    script = (
        "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\n"
        "BEGIN PERFORM 1; RETURN $$x$$ = 'y'; END $body$;\nSELECT f()"
    )
    statements = split_statements(script)
    assert len(statements) == 2
    assert statements[0].endswith("END $body$")
    assert statements[1] == "SELECT f()"


@pytest.mark.parametrize(
    ("script", "first"),
    [
        ("INSERT INTO t VALUES ('a;b'); SELECT 1", "INSERT INTO t VALUES ('a;b')"),
        ("INSERT INTO t VALUES ('it''s; fine'); SELECT 1", "INSERT INTO t VALUES ('it''s; fine')"),
        ("SELECT '$$;'; SELECT 1", "SELECT '$$;'"),
        ("SELECT '--;'; SELECT 1", "SELECT '--;'"),
        ('SELECT 1 AS "odd;name"; SELECT 1', 'SELECT 1 AS "odd;name"'),
        ("SELECT 'a' || ''; SELECT 1", "SELECT 'a' || ''"),
        ("CHECK (x ~ '^[0-9a-f]{64}$'); SELECT 1", "CHECK (x ~ '^[0-9a-f]{64}$')"),
    ],
)
def test_quoted_semicolons_do_not_split(script: str, first: str) -> None:
    assert split_statements(script) == [first, "SELECT 1"]


def test_comment_only_pieces_are_dropped() -> None:
    script = "-- header\n-- more header\n;\nCREATE TABLE a (x int);\n-- trailing note\n"
    assert split_statements(script) == ["CREATE TABLE a (x int)"]


def test_a_comment_before_a_statement_stays_with_it() -> None:
    script = "-- Claim order index.\nCREATE INDEX i ON t (x);"
    assert split_statements(script) == ["-- Claim order index.\nCREATE INDEX i ON t (x)"]


@pytest.mark.parametrize(
    "comment",
    [
        "-- the worker's lease\n",
        "-- one; two\n",
        "-- it's a 'quoted' $$ thing; really\n",
        "/* the worker's lease; and a $$ */\n",
        "/* multi\n   line; comment */ ",
    ],
)
def test_quotes_and_semicolons_in_comments_are_ignored(comment: str) -> None:
    script = f"CREATE TABLE a (x int);\n{comment}CREATE TABLE b (y int);\nCREATE TABLE c (z int);"
    statements = split_statements(script)
    assert len(statements) == 3
    assert statements[0] == "CREATE TABLE a (x int)"
    assert statements[1] == (comment + "CREATE TABLE b (y int)").strip()
    assert statements[2] == "CREATE TABLE c (z int)"


def test_a_comment_at_the_end_of_a_line_does_not_hide_the_next_line() -> None:
    script = "CREATE TABLE a (x int); -- first\nCREATE TABLE b (y int); -- second"
    assert split_statements(script) == ["CREATE TABLE a (x int)", "-- first\nCREATE TABLE b (y int)"]


@pytest.mark.parametrize(
    ("module", "creates"),
    [
        ("0001_pipeline_tables", 16),
        ("0002_activity_log", 7),
        ("0003_queue", 11),
    ],
)
def test_the_shipped_migrations_split_into_their_statements(module: str, creates: int) -> None:
    script = importlib.import_module(f"airecruiter.migrations.versions.{module}").UPGRADE
    statements = split_statements(script)
    assert len(statements) == creates
    assert all("CREATE" in s for s in statements)
    assert all(s.count("(") == s.count(")") for s in statements)
