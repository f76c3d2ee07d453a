"""The `airecruiter` command.

Each command's module imports the whole application (the database, the web framework, the SDKs),
which takes seconds. The top-level group therefore knows its commands by name and one-line help
only, and imports a command's module when that command runs (or its own `--help` is asked for):
`airecruiter --help` imports none of them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:  # the click that Typer builds on (it carries its own copy)
    from typer._click import Command, Context, HelpFormatter


@dataclass(frozen=True)
class LazyCommand:
    """A command (or group of commands) of a module that is imported only when the command is used."""

    module: str
    attribute: str  # a Typer sub-app, or `register` (a function adding its commands to an app)
    help: str  # as the command's own help says it, for the top-level listing

    def load(self, name: str) -> Command:
        """Import the module and build the command named `name` from it, as Typer would."""
        source = getattr(importlib.import_module(self.module), self.attribute)
        holder = typer.Typer()
        if isinstance(source, typer.Typer):
            holder.add_typer(source, name=name)
        else:
            source(holder)
        return typer.main.get_group(holder).commands[name]


# In the order `airecruiter --help` lists them.
COMMANDS: dict[str, LazyCommand] = {
    "run": LazyCommand(
        "airecruiter.cli.serve", "register", "Run scheduler, worker, web server and heartbeat in one process."
    ),
    "worker": LazyCommand(
        "airecruiter.cli.serve", "register", "Run only a worker (start as many as you like, on any machine)."
    ),
    "scheduler": LazyCommand(
        "airecruiter.cli.serve", "register", "Run only the scheduler (one leads at a time; others wait as stand-bys)."
    ),
    "web": LazyCommand("airecruiter.cli.serve", "register", "Run only the web server (health, metrics)."),
    "demo": LazyCommand(
        "airecruiter.cli.demo",
        "register",
        "Run the whole pipeline on embedded defaults: sandbox Workday, offline scorer, outbox.",
    ),
    "db": LazyCommand("airecruiter.cli.admin_commands", "db_app", "Database schema."),
    "queue": LazyCommand("airecruiter.cli.queue_commands", "queue_app", "Inspect and operate the job queue."),
    "secrets": LazyCommand("airecruiter.cli.admin_commands", "secrets_app", "Secrets at rest."),
    "sandbox": LazyCommand(
        "airecruiter.cli.sandbox_commands", "sandbox_app", "Run and inspect the sandbox Workday tenant."
    ),
    "users": LazyCommand("airecruiter.cli.user_commands", "users_app", "Admin console users."),
    "candidates": LazyCommand(
        "airecruiter.cli.candidate_commands",
        "candidates_app",
        "Candidates' data: erasure with receipts, legal holds, access exports.",
    ),
    "demographics": LazyCommand(
        "airecruiter.cli.demographics_commands",
        "demographics_app",
        "Voluntary self-identification for the bias audit.",
    ),
    "workday": LazyCommand(
        "airecruiter.cli.workday_commands",
        "workday_app",
        "The Workday tenant: check the connection and its conventions.",
    ),
}


class _Listed(TyperCommand):
    """How the top-level help lists a command whose module is not imported: its name and help."""

    def __init__(self, name: str, help_text: str) -> None:
        super().__init__(name=name, help=help_text)


class LazyGroup(TyperGroup):
    """The top-level group: lists `COMMANDS` from the table, imports one only to run it or show its help."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        return [*self.commands, *(name for name in COMMANDS if name not in self.commands)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            lazy = COMMANDS[cmd_name]
            if self._listing:
                return _Listed(cmd_name, lazy.help)
            self.commands[cmd_name] = lazy.load(cmd_name)
        return self.commands.get(cmd_name)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    cls=LazyGroup,
    help="AIRecruiter: AI candidate processing for Workday.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _top_level() -> None:
    # A callback makes Typer build a group (whose commands LazyGroup supplies) even with none registered.
    return None


def main() -> None:
    """Entry point of the console script."""
    app()
