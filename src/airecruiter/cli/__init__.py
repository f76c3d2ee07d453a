"""The `airecruiter` command."""

from __future__ import annotations

import typer

from airecruiter.cli import demo, serve
from airecruiter.cli.admin_commands import db_app, secrets_app
from airecruiter.cli.queue_commands import queue_app
from airecruiter.cli.sandbox_commands import sandbox_app
from airecruiter.cli.user_commands import users_app
from airecruiter.cli.workday_commands import workday_app

app = typer.Typer(
    help="AIRecruiter: AI candidate processing for Workday.", no_args_is_help=True, pretty_exceptions_enable=False
)
serve.register(app)
demo.register(app)
app.add_typer(db_app, name="db")
app.add_typer(queue_app, name="queue")
app.add_typer(secrets_app, name="secrets")
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(users_app, name="users")
app.add_typer(workday_app, name="workday")


def main() -> None:
    """Entry point of the console script."""
    app()
