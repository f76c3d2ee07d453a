"""`airecruiter sandbox …`: run the local Workday tenant, and look inside a running one."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.table import Table

from airecruiter.adapters.secrets_box import encrypt, generate_key
from airecruiter.cli.common import add_plain_row, configure_logging, shown
from airecruiter.sandbox import Chaos, SandboxServer
from airecruiter.sandbox.tenant import CONVENTIONS

sandbox_app = typer.Typer(help="Run and inspect the sandbox Workday tenant.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)
DEFAULT_SANDBOX_PORT = 8100  # the processor's WORKDAY_SANDBOX_PORT default
DEFAULT_URL = f"http://127.0.0.1:{DEFAULT_SANDBOX_PORT}"
URL_OPTION = typer.Option(DEFAULT_URL, "--url", help="The running sandbox (`airecruiter sandbox serve`).")


def default_state_dir() -> Path:
    """<AIRECRUITER_DATA_DIR or ./.airecruiter>/sandbox."""
    return Path(os.environ.get("AIRECRUITER_DATA_DIR") or ".airecruiter") / "sandbox"


@sandbox_app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (keep it on loopback)."),
    port: int = typer.Option(DEFAULT_SANDBOX_PORT, min=0, max=65535, help="Port; 0 picks a free one."),
    scale: int = typer.Option(0, min=0, help="Add a requisition with this many extra candidates (load tests)."),
    shape: str = typer.Option("v4x", help="Get_Candidates response shape: v4x or v31."),
    conventions: str = typer.Option(
        "default",
        help="How the tenant spells reference IDs: default (Open, Review) or upper (OPEN, REVIEW, own categories).",
    ),
    state_dir: Annotated[
        Path | None,
        typer.Option(
            help="Where uploads and stage changes persist (default: <AIRECRUITER_DATA_DIR or ./.airecruiter>/sandbox).",
        ),
    ] = None,
    ephemeral: bool = typer.Option(False, help="Keep nothing on disk."),
) -> None:
    """Serve the sandbox tenant until Ctrl-C; prints the WORKDAY_* settings that point the processor at it."""
    try:
        chaos = Chaos(shape=shape)  # type: ignore[arg-type]
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--shape") from None
    if conventions not in CONVENTIONS:
        raise typer.BadParameter(f"one of {', '.join(CONVENTIONS)}", param_hint="--conventions")
    directory = None if ephemeral else (state_dir or default_state_dir())
    # Logs go to stderr, so stdout carries nothing but the export lines.
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    configure_logging(
        os.environ.get("LOG_FORMAT", "console"), level if level in ("DEBUG", "INFO", "WARNING", "ERROR") else "INFO"
    )
    asyncio.run(
        _serve(
            SandboxServer.seeded(
                host=host, port=port, chaos=chaos, state_dir=directory, scale=scale, conventions=conventions
            )
        )
    )


async def _serve(server: SandboxServer) -> None:
    try:
        await server.start()
    except OSError as error:
        err_console.print(
            f"[red]Cannot listen on {server.host}:{server.port}: {error.strerror or error}. "
            "Pick another port with --port.[/red]",
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if server.host not in ("127.0.0.1", "::1", "localhost"):
        err_console.print(
            f"[yellow]Listening on {server.host}: the /_sandbox/ control API has no authentication; "
            "anyone who can reach this port can change the tenant.[/yellow]",
            soft_wrap=True,
        )
    state = f", state in {server.state_dir.path}" if server.state_dir else ", nothing kept on disk"
    hint = (
        f" A processor with no WORKDAY_* settings finds it by itself (WORKDAY_SANDBOX_PORT={server.port})."
        if server.port == DEFAULT_SANDBOX_PORT
        else ""
    )
    err_console.print(
        f"Sandbox Workday tenant '{server.tenant_id}' at {server.base_url}{state}.{hint} "
        "To point a processor at it explicitly:",
        soft_wrap=True,
    )
    # A configured tenant needs the key that encrypts a rotated refresh token; the secrets are
    # printed encrypted with it, as a production configuration keeps them.
    key = os.environ.get("AIRECRUITER_SECRET_KEY") or generate_key()
    for name, value in server.settings_env().items():
        shown = encrypt(value, key) if name in ("WORKDAY_CLIENT_SECRET", "WORKDAY_REFRESH_TOKEN") else value
        typer.echo(f"export {name}={shlex.quote(shown)}")
    if not os.environ.get("AIRECRUITER_SECRET_KEY"):
        typer.echo(f"export AIRECRUITER_SECRET_KEY={shlex.quote(key)}")
    sys.stdout.flush()  # piped stdout is block-buffered; whoever reads the settings needs them now
    try:
        await stop.wait()
    finally:
        await server.stop()
        err_console.print("Sandbox stopped.")


def _call(method: str, url: str, path: str, **kwargs: Any) -> httpx.Response:
    try:
        # The control API takes changes as JSON only (no web page can send that to it cross-origin).
        headers = {"Content-Type": "application/json"} if method != "GET" else {}
        response = httpx.request(method, url.rstrip("/") + path, timeout=30, headers=headers, **kwargs)
    except httpx.HTTPError as error:
        err_console.print(
            f"[red]No sandbox answers at {url} ({error}). "
            "Start one with `airecruiter sandbox serve`, or pass --url.[/red]",
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    if response.status_code >= 400:
        try:
            message = response.json().get("error", response.text)
        except ValueError:
            message = response.text
        err_console.print(f"[red]{shown(message)}[/red]", soft_wrap=True)
        raise typer.Exit(1)
    return response


@sandbox_app.command()
def advance(
    application_id: str = typer.Argument(..., help="Job_Application_ID, e.g. JA-000101."),
    stage: str = typer.Argument(..., help="Recruiting_Stage_ID: Review, Screen, Interview, Offer, …"),
    disposition: str | None = typer.Option(None, help="Recruiting_Disposition_ID, e.g. Experience/Skills."),
    url: str = URL_OPTION,
) -> None:
    """Move an application to another stage (Status_Timestamp becomes now)."""
    body = _call(
        "POST", url, f"/_sandbox/applications/{application_id}/stage", json={"stage": stage, "disposition": disposition}
    ).json()
    suffix = f" ({body['disposition']})" if body["disposition"] else ""
    console.print(
        f"{shown(body['application_id'])} of {shown(body['candidate_name'])} is now in {shown(body['stage'])}"
        f"{shown(suffix)}."
    )


@sandbox_app.command()
def attachments(
    candidate: str | None = typer.Option(None, "--candidate", help="Only this Candidate_ID."),
    uploads: bool = typer.Option(False, "--uploads", help="Only files uploaded by a client (reports)."),
    url: str = URL_OPTION,
) -> None:
    """List attachments: résumés and the files clients uploaded."""
    params = {k: v for k, v in {"candidate": candidate, "origin": "upload" if uploads else None}.items() if v}
    rows = _call("GET", url, "/_sandbox/attachments", params=params).json()["attachments"]
    if not rows:
        console.print("No attachments match.")
        return
    table = Table(title="Attachments")
    for column in ("wid", "filename", "category", "size", "created", "candidate", "application", "origin"):
        table.add_column(column, overflow="fold")
    for row in rows:
        add_plain_row(
            table,
            row["wid"],
            row["filename"],
            row["category"] or "-",
            "-" if row["size"] is None else f"{row['size']:,}",
            row["created_at"][:19].replace("T", " "),
            row["candidate_id"],
            row["application_id"] or "-",
            row["origin"],
        )
    console.print(table)


@sandbox_app.command()
def download(
    wid: str = typer.Argument(..., help="The attachment's WID (see `airecruiter sandbox attachments`)."),
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default: its filename).")] = None,
    url: str = URL_OPTION,
) -> None:
    """Save one attachment's file."""
    meta = _call("GET", url, f"/_sandbox/attachments/{wid}").json()
    content = _call("GET", url, f"/_sandbox/attachments/{wid}/content").content
    target = out or Path(Path(meta["filename"]).name)
    target.write_bytes(content)
    console.print(f"Saved {shown(meta['filename'])} ({len(content):,} bytes) to {shown(target)}.")


@sandbox_app.command()
def applications(
    requisition: str | None = typer.Option(None, "--requisition", help="Only this Job_Requisition_ID."),
    url: str = URL_OPTION,
) -> None:
    """List applications with their stage."""
    params = {"requisition": requisition} if requisition else {}
    rows = _call("GET", url, "/_sandbox/applications", params=params).json()["applications"]
    table = Table(title="Applications")
    for column in ("application", "candidate", "name", "requisition", "stage", "disposition", "status changed"):
        table.add_column(column, overflow="fold")
    for row in rows[:500]:
        add_plain_row(
            table,
            row["application_id"],
            row["candidate_id"],
            row["candidate_name"],
            row["requisition_id"],
            row["stage"],
            row["disposition"] or "-",
            row["status_timestamp"][:19].replace("T", " "),
        )
    console.print(table)
    if len(rows) > 500:
        console.print(f"… and {len(rows) - 500:,} more; narrow with --requisition.")


@sandbox_app.command("chaos")
def chaos_command(
    settings: Annotated[list[str] | None, typer.Argument(help="SWITCH=VALUE pairs, e.g. throttle_every=3.")] = None,
    reset: bool = typer.Option(False, "--reset", help="Back to the well-behaved defaults."),
    url: str = URL_OPTION,
) -> None:
    """Show or change the fault-injection switches of a running sandbox."""
    if reset:
        _call("DELETE", url, "/_sandbox/chaos")
    changes: dict[str, Any] = {}
    for setting in settings or []:
        name, sep, raw = setting.partition("=")
        if not sep:
            raise typer.BadParameter(f"{setting!r} is not SWITCH=VALUE")
        try:
            changes[name.strip()] = json.loads(raw)
        except ValueError:
            changes[name.strip()] = raw
    current = _call("PATCH", url, "/_sandbox/chaos", json=changes).json()
    for name, value in current.items():
        console.print(f"{name} = {shown(json.dumps(value))}")
