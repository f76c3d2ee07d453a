"""`airecruiter --help` lists every command without importing the application behind them."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from airecruiter.cli import COMMANDS, app
from tests.integration.processes import ROOT

HEAVY = ("fastapi", "sqlalchemy", "anthropic", "openai", "asyncpg", "aiobotocore", "typst", "airecruiter.bootstrap")


def _airecruiter(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = ["-c", code] if code else ["-m", "airecruiter", *args]
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_every_command_and_group_with_its_help() -> None:
    result = _airecruiter("--help")
    assert result.returncode == 0, result.stderr
    for name in ("run", "worker", "scheduler", "web", "demo", "db", "queue", "secrets", "sandbox", "users", "workday"):
        assert name in COMMANDS
        listed = [line for line in result.stdout.splitlines() if line.strip(" │").startswith(f"{name} ")]
        assert listed, f"{name} is missing from airecruiter --help"
        assert COMMANDS[name].help in listed[0]


def test_importing_the_command_imports_none_of_the_application() -> None:
    loaded = f"[m for m in {HEAVY!r} if m in sys.modules]"
    code = (
        "import sys, airecruiter.cli\n"
        f"on_import = {loaded}\n"
        "airecruiter.cli.app(['--help'], standalone_mode=False)\n"
        f"print('on import:', on_import, 'after help:', {loaded})\n"
    )
    result = _airecruiter(code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "on import: [] after help: []"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_listed_help_is_the_commands_own(name: str) -> None:
    command = COMMANDS[name].load(name)
    assert command.name == name
    assert command.help is not None
    assert command.help.splitlines()[0] == COMMANDS[name].help


def test_the_top_level_help_is_what_the_eagerly_built_command_showed() -> None:
    from airecruiter.cli import (
        admin_commands,
        candidate_commands,
        demo,
        demographics_commands,
        queue_commands,
        sandbox_commands,
        serve,
        user_commands,
        workday_commands,
    )

    eager = typer.Typer(help="AIRecruiter: AI candidate processing for Workday.", no_args_is_help=True)
    serve.register(eager)
    demo.register(eager)
    eager.add_typer(admin_commands.db_app, name="db")
    eager.add_typer(queue_commands.queue_app, name="queue")
    eager.add_typer(admin_commands.secrets_app, name="secrets")
    eager.add_typer(sandbox_commands.sandbox_app, name="sandbox")
    eager.add_typer(user_commands.users_app, name="users")
    eager.add_typer(candidate_commands.candidates_app, name="candidates")
    eager.add_typer(demographics_commands.demographics_app, name="demographics")
    eager.add_typer(workday_commands.workday_app, name="workday")
    runner = CliRunner()
    before = runner.invoke(eager, ["--help"], env={"COLUMNS": "200"}, prog_name="airecruiter")
    now = runner.invoke(app, ["--help"], env={"COLUMNS": "200"}, prog_name="airecruiter")
    assert now.exit_code == before.exit_code == 0
    assert now.output == before.output


def test_a_group_shows_its_own_commands_as_before() -> None:
    from airecruiter.cli.queue_commands import queue_app

    eager = typer.Typer()
    eager.add_typer(queue_app, name="queue")
    expected = typer.main.get_group(eager).commands["queue"]
    assert isinstance(expected, typer.core.TyperGroup)
    result = CliRunner().invoke(app, ["queue", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for sub in expected.list_commands(None):  # type: ignore[arg-type]
        assert sub in result.output


def test_an_unknown_command_is_refused_as_before() -> None:
    result = CliRunner().invoke(app, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command" in result.output
