"""`airecruiter db …` and `airecruiter secrets …`."""

from __future__ import annotations

import os

import typer

from airecruiter.adapters.secrets_box import encrypt, generate_key
from airecruiter.bootstrap import Application
from airecruiter.cli.common import console, err_console, settings_or_exit, with_runtime
from airecruiter.db.migrate import current_revision, upgrade

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
secrets_app = typer.Typer(help="Secrets at rest.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration to the database (DATABASE_URL, or the embedded one)."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> str | None:
        await upgrade(runtime.database_url, runtime.engine)
        return await current_revision(runtime.engine)

    revision = with_runtime(settings, action, migrate=False)
    console.print(f"Database is at revision [bold]{revision}[/bold].")


@db_app.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> str | None:
        return await current_revision(runtime.engine)

    revision = with_runtime(settings, action)
    console.print(revision or "The database has no schema yet; run `airecruiter db upgrade`.")


@secrets_app.command("generate-key")
def secrets_generate_key() -> None:
    """Print a new AIRECRUITER_SECRET_KEY."""
    console.print(generate_key(), soft_wrap=True)


@secrets_app.command("encrypt")
def secrets_encrypt(
    value: str = typer.Option(..., prompt=True, hide_input=True, help="The secret to encrypt."),
) -> None:
    """Encrypt a secret (e.g. WORKDAY_CLIENT_SECRET) as enc:… with AIRECRUITER_SECRET_KEY."""
    key = os.environ.get("AIRECRUITER_SECRET_KEY")
    if not key:
        err_console.print("[red]Set AIRECRUITER_SECRET_KEY first (airecruiter secrets generate-key).[/red]")
        raise typer.Exit(2)
    console.print(encrypt(value, key), soft_wrap=True)
