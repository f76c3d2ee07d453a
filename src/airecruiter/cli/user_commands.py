"""`airecruiter users …`: console accounts (the first admin is made here)."""

from __future__ import annotations

import typer

from airecruiter.bootstrap import Application
from airecruiter.cli.common import console, settings_or_exit, shown, with_runtime
from airecruiter.db.users import ROLES
from airecruiter.services.passwords import MIN_PASSWORD_LENGTH, new_password
from airecruiter.services.users import change_role, create_account, list_accounts, reset_password, set_account_active

users_app = typer.Typer(help="Admin console users.", no_args_is_help=True)
ACTOR = "cli"


def _password(generate: bool) -> str:
    if generate:
        return new_password()
    value: str = typer.prompt(
        f"Password (at least {MIN_PASSWORD_LENGTH} characters)", hide_input=True, confirmation_prompt=True
    )
    return value


@users_app.command("create")
def users_create(
    username: str = typer.Argument(..., help="Sign-in name: letters, digits and . _ @ -"),
    role: str = typer.Option("admin", help=f"One of: {', '.join(ROLES)}."),
    generate: bool = typer.Option(False, "--generate", help="Make up a password and print it once."),
) -> None:
    """Create a console user (an admin unless --role recruiter)."""
    settings = settings_or_exit()
    password = _password(generate)

    async def action(runtime: Application) -> None:
        await create_account(runtime.engine, username=username, password=password, role=role, actor=ACTOR)

    with_runtime(settings, action, pipeline=False)
    console.print(f"Created {role} [bold]{shown(username)}[/bold]. Sign in at {settings.FRONTEND_URL}/admin")
    if generate:
        console.print(f"Password (shown once): [bold]{password}[/bold]", soft_wrap=True)


@users_app.command("set-password")
def users_set_password(
    username: str = typer.Argument(..., help="The user whose password to replace."),
    generate: bool = typer.Option(False, "--generate", help="Make up a password and print it once."),
) -> None:
    """Give a user a new password; every session of theirs ends (a deactivated user stays deactivated)."""
    settings = settings_or_exit()
    password = _password(generate)

    async def action(runtime: Application) -> None:
        await reset_password(runtime.engine, username=username, password=password, actor=ACTOR)

    with_runtime(settings, action, pipeline=False)
    console.print(f"New password set for [bold]{shown(username)}[/bold].")
    if generate:
        console.print(f"Password (shown once): [bold]{password}[/bold]", soft_wrap=True)


@users_app.command("deactivate")
def users_deactivate(username: str = typer.Argument(..., help="The user who may no longer sign in.")) -> None:
    """Stop a user from signing in and end every session of theirs at once."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> None:
        await set_account_active(runtime.engine, username=username, active=False, actor=ACTOR)

    with_runtime(settings, action, pipeline=False)
    console.print(f"Deactivated [bold]{shown(username)}[/bold]; their sessions have ended.")


@users_app.command("activate")
def users_activate(username: str = typer.Argument(..., help="The deactivated user who may sign in again.")) -> None:
    """Let a deactivated user sign in again (with their existing password)."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> None:
        await set_account_active(runtime.engine, username=username, active=True, actor=ACTOR)

    with_runtime(settings, action, pipeline=False)
    console.print(f"Activated [bold]{shown(username)}[/bold].")


@users_app.command("set-role")
def users_set_role(
    username: str = typer.Argument(..., help="The user whose role to change."),
    role: str = typer.Argument(..., help=f"One of: {', '.join(ROLES)}."),
) -> None:
    """Give a user another role; every session of theirs ends, so the new role starts at the next sign-in."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> None:
        await change_role(runtime.engine, username=username, role=role, actor=ACTOR)

    with_runtime(settings, action, pipeline=False)
    console.print(f"[bold]{shown(username)}[/bold] is now {role}; their sessions have ended.")


@users_app.command("list")
def users_list() -> None:
    """Every console user, role and last sign-in."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> list[tuple[str, str, bool, str]]:
        return [
            (u.username, u.role, u.active, u.last_login_at.isoformat() if u.last_login_at else "never")
            for u in await list_accounts(runtime.engine)
        ]

    for username, role, active, last in with_runtime(settings, action, pipeline=False):
        console.print(f"{shown(username)}\t{role}\t{'active' if active else 'inactive'}\tlast sign-in {last}")
