"""The one SQL idiom: constant statements, whitelisted variants, and the asyncpg placeholder rewriter."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from airecruiter.db.read_models import applications, requisitions
from airecruiter.db.sql import compose, where
from airecruiter.queue import statements

SRC = Path(__file__).resolve().parents[2] / "src" / "airecruiter"


@pytest.mark.parametrize(
    ("sql", "rewritten", "names"),
    [
        ("SELECT :a, :b", "SELECT $1, $2", ["a", "b"]),
        ("WHERE x = :a OR y = :a AND z = :b", "WHERE x = $1 OR y = $1 AND z = $2", ["a", "b"]),
        ("WHERE id = :id AND id = ANY(:ids)", "WHERE id = $1 AND id = ANY($2)", ["id", "ids"]),
        ("WHERE id = ANY(:ids) AND id = :id", "WHERE id = ANY($1) AND id = $2", ["ids", "id"]),
        ("SELECT CAST(:a AS int), x::text, :b::bigint", "SELECT CAST($1 AS int), x::text, $2::bigint", ["a", "b"]),
        ("SELECT 'Cancelled: by :actor', :actor", "SELECT 'Cancelled: by :actor', $1", ["actor"]),
        ("SELECT 'an operator''s :note', :y", "SELECT 'an operator''s :note', $1", ["y"]),
        ('SELECT ":odd" FROM t WHERE a = :a', 'SELECT ":odd" FROM t WHERE a = $1', ["a"]),
        ("-- keyed by :worker\nSELECT :worker", "-- keyed by :worker\nSELECT $1", ["worker"]),
        ("SELECT '12:30'::time, a[1:2]", "SELECT '12:30'::time, a[1:2]", []),
        ("SELECT :type_0, :type_1, :type_10", "SELECT $1, $2, $3", ["type_0", "type_1", "type_10"]),
    ],
)
def test_positional_numbers_each_parameter_once_and_leaves_other_colons_alone(
    sql: str, rewritten: str, names: list[str]
) -> None:
    assert statements.positional(text(sql)) == (rewritten, names)


def test_the_driver_claim_binds_the_same_parameters_as_the_sqlalchemy_one() -> None:
    assert statements.CLAIM_PARAMS == ["worker", "lease", "job_types", "limit"]
    assert not re.search(r"(?<![:\w]):[A-Za-z_]", statements.CLAIM_POSITIONAL)
    assert set(statements.CLAIM_PARAMS) == set(statements.CLAIM.compile().params)


def test_a_capped_claim_numbers_each_branch_and_names_every_parameter() -> None:
    claim = statements.claim_capped(2, True)
    assert set(claim.compile().params) == {
        "worker",
        "lease",
        "limit",
        "free_types",
        "type_0",
        "cap_0",
        "type_1",
        "cap_1",
    }
    assert claim.text.count("UNION ALL") == 2
    assert "capped_0" in claim.text and "capped_1" in claim.text and "_N" not in claim.text


def test_compose_joins_constant_fragments_and_where_joins_conditions() -> None:
    assert compose("SELECT 1", "", "FROM t").text == "SELECT 1\nFROM t"
    assert where() == ""
    assert where("a = :a", "b = :b") == "WHERE a = :a\n   AND b = :b"


def test_every_sort_the_lists_offer_is_a_prebuilt_order_and_anything_else_falls_back() -> None:
    assert set(applications.ORDER_BY) == {key for name in ("updated", "candidate", "risk", "overall", "status")
                                          for key in (name, f"-{name}")}  # fmt: skip
    assert applications.normal_sort("-risk") == "-risk"
    assert applications.normal_sort("id; DROP TABLE applications") == applications.DEFAULT_SORT
    assert applications.normal_sort("--risk") == applications.DEFAULT_SORT
    assert set(requisitions._SELECT_PAGE_BY_SORT) == {
        key for name in requisitions.SORT_COLUMNS for key in (name, f"-{name}")
    }


def test_no_module_builds_sql_from_formatted_strings() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "sandbox" not in path.parts and re.search(r"noqa: S608|with_columns|\{columns\}", path.read_text())
    ]
    assert offenders == []


def test_migrations_import_no_live_application_code() -> None:
    """An old revision must do the same thing forever: it may use alembic, SQLAlchemy and its own helpers only."""
    allowed = ("__future__", "alembic", "sqlalchemy", "airecruiter.migrations")
    imported = {
        (path.name, name)
        for path in (SRC / "migrations" / "versions").glob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in ([node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names])
    }
    assert {(file, name) for file, name in imported if not name.startswith(allowed)} == set()


def _imports_sqlalchemy_text(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy" and any(a.name == "text" for a in node.names)
        for node in ast.walk(tree)
    )


def _is_text_call(node: ast.AST) -> bool:
    """`text(…)` (imported from sqlalchemy) or `sa.text(…)` / `sqlalchemy.text(…)`."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "text") or (
        isinstance(func, ast.Attribute) and func.attr == "text" and isinstance(func.value, ast.Name)
        and func.value.id in {"sa", "sqlalchemy"}
    )  # fmt: skip


def _built_from_a_format(node: ast.AST) -> bool:
    """An f-string, `str.format(…)` or `"…" % …`: a value spliced into SQL text."""
    return (
        isinstance(node, ast.JoinedStr)
        or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant))
        or (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format")
    )


def _sql_idiom_offences(source: str, where_: str) -> list[str]:
    tree = ast.parse(source)
    offences = []
    module_level = {
        id(node.value) for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
    }
    compose_body = {
        id(n) for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "compose" for n in ast.walk(f)
    }
    checks_text = _imports_sqlalchemy_text(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if checks_text and _is_text_call(node) and id(node) not in module_level | compose_body:
            offences.append(f"{where_}:{node.lineno}: text() outside a module-level constant")
        named = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        sql_call = _is_text_call(node) or named in {"execute", "scalar", "scalars", "exec_driver_sql", "compose"}
        if sql_call and any(_built_from_a_format(arg) for arg in node.args):
            offences.append(f"{where_}:{node.lineno}: {named}() of a formatted string")
    return sorted(offences, key=lambda offence: int(offence.split(":")[1]))


def test_every_statement_is_a_module_level_constant_and_none_is_formatted() -> None:
    """Outside the sandbox, `text()` is only ever a module-level constant (or `compose()`'s own
    body), and nothing passed to `text()`, `execute()` or `compose()` splices a value in."""
    offences = [
        offence
        for path in sorted(SRC.rglob("*.py"))
        if "sandbox" not in path.relative_to(SRC).parts
        for offence in _sql_idiom_offences(path.read_text(), str(path.relative_to(SRC)))
    ]
    assert offences == []


def test_the_idiom_check_sees_an_inline_statement_and_a_formatted_one() -> None:
    source = (
        "from sqlalchemy import text\n"
        "GOOD = text('SELECT 1')\n"
        "async def f(conn, table):\n"
        "    await conn.execute(text('SELECT 2'))\n"
        "    await conn.execute(f'SELECT * FROM {table}')\n"
        "    await conn.scalar('SELECT %s' % table)\n"
        "    await conn.execute(GOOD)\n"
    )
    assert _sql_idiom_offences(source, "probe.py") == [
        "probe.py:4: text() outside a module-level constant",
        "probe.py:5: execute() of a formatted string",
        "probe.py:6: scalar() of a formatted string",
    ]
