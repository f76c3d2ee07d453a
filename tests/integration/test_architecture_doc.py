"""docs/architecture.md's action table names every user-visible action, and every service it names exists.

An action is a route that changes something (any method but GET/HEAD) or a CLI command. A new
route or command that is not in the table fails here, and so does a row whose route, command or
service is gone: the table cannot drift from the code.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import typer
from sqlalchemy.ext.asyncio import AsyncEngine

from airecruiter.cli import app as cli_app
from tests.integration.admin_fixtures import app_with

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"
_CODE = re.compile(r"`([^`]+)`")


def _rows() -> list[list[str]]:
    """The action table's rows as cells (action, service, routes, CLI), group headings left out."""
    section = DOC.read_text(encoding="utf-8").split("## User-visible actions", 1)[1]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith(("| ---", "| action ")):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not cells[0].startswith("**"):
            rows.append(cells)
    return rows


def _documented(column: int) -> set[str]:
    return {code for row in _rows() for code in _CODE.findall(row[column])}


def _commands(command: Any, path: list[str]) -> list[str]:
    """Every leaf command under `command`, as typed at a shell."""
    if not hasattr(command, "list_commands"):
        return [" ".join(path)]
    context = command.context_class(command)
    found: list[str] = []
    for name in command.list_commands(context):
        found += _commands(command.get_command(context, name), [*path, name])
    return found


def _routes(routes: list[Any]) -> list[Any]:
    """Every endpoint route, inside included routers too (FastAPI keeps an included router whole)."""
    found: list[Any] = []
    for route in routes:
        if getattr(route, "methods", None):
            found.append(route)
        inner = getattr(route, "original_router", None)
        if inner is not None:
            found += _routes(inner.routes)
    return found


def _resolve(dotted: str) -> object:
    """`a.b.C.d` under airecruiter: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module("airecruiter." + ".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            target = getattr(target, name)
        return target
    raise AssertionError(f"{dotted} names no module of airecruiter")


def test_the_table_has_rows_in_every_group() -> None:
    rows = _rows()
    assert len(rows) >= 30
    assert all(len(row) == 4 for row in rows), [row for row in rows if len(row) != 4]
    assert all(_CODE.findall(row[1]) for row in rows), "every action names where it lives"


async def test_every_route_that_changes_something_is_in_the_table(db: AsyncEngine, database_url: str) -> None:
    app = app_with(db, database_url)
    actions = {
        f"{method} {route.path}"
        for route in _routes(app.routes)
        for method in route.methods
        if method not in {"GET", "HEAD"}
    }
    assert "POST /admin/queue/retry" in actions
    documented = _documented(2)
    assert sorted(actions - documented) == [], "routes missing from docs/architecture.md"
    assert sorted(documented - actions) == [], "rows of docs/architecture.md naming routes that do not exist"


def test_every_cli_command_is_in_the_table() -> None:
    commands = {"airecruiter " + name for name in _commands(typer.main.get_command(cli_app), [])}
    assert "airecruiter queue retry" in commands
    documented = _documented(3)
    assert sorted(commands - documented) == [], "CLI commands missing from docs/architecture.md"
    assert sorted(documented - commands) == [], "rows of docs/architecture.md naming commands that do not exist"


def test_every_service_the_table_names_exists() -> None:
    for row in _rows():
        for dotted in _CODE.findall(row[1]):
            _resolve(dotted)  # raises when the module or one of the attributes is gone


def test_a_service_that_is_gone_is_noticed() -> None:
    try:
        _resolve("services.applications.no_such_action")
    except AttributeError:
        return
    raise AssertionError("a row naming a missing service would pass")
