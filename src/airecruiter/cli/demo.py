"""`airecruiter demo`: the whole pipeline on embedded defaults, with nothing configured.

Embedded PostgreSQL, the sandbox Workday tenant, the offline scorer (Claude when
ANTHROPIC_API_KEY is set), local storage and an outbox of .eml files. The real service syncs the
sandbox's requisitions, analyses every résumé and sends invitations; a candidate simulator takes
the interviews through the real HTTP endpoints; evaluations, reports and uploads follow. Running
it again changes nothing that is already done.
"""

from __future__ import annotations

import asyncio
import re
import socket
import time
from pathlib import Path

import httpx
import typer
from rich.live import Live
from rich.table import Table

from airecruiter.bootstrap import Application, build
from airecruiter.cli.common import add_plain_row, console, run_command, settings_or_exit, shown
from airecruiter.cli.demo_audit import show_demo_audit
from airecruiter.cli.demo_erasure import show_erasure
from airecruiter.cli.demo_optout import choose_a_person
from airecruiter.config import Settings
from airecruiter.db.prompts import seed_default_prompts
from airecruiter.db.read_models import pipeline_progress
from airecruiter.db.read_models.pipeline_progress import CandidateResult, DeadItem, Progress
from airecruiter.db.requisitions import send_interviews_automatically_everywhere
from airecruiter.db.users import user_by_username
from airecruiter.queue.jobs import Priority
from airecruiter.sandbox.candidate_simulator import CandidateSimulator, find_invitations
from airecruiter.service import Pieces, install_stop_signals, run_service
from airecruiter.services.passwords import new_password
from airecruiter.services.users import create_account, reset_password, unlock

STATUSES = (
    "new",
    "analyzed",
    "interview_pending",
    "interview_complete",
    "report_pending",
    "complete",
    "human_review",
)
DEADLINE_SECONDS = 600.0
DEMO_ADMIN = "admin"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _snapshot(runtime: Application) -> Progress:
    async with runtime.engine.begin() as conn:
        await send_interviews_automatically_everywhere(conn)
        return await pipeline_progress.progress(conn)


def _progress_table(counts: Progress, answered: int, elapsed: float) -> Table:
    table = Table(title=f"Pipeline progress ({elapsed:.0f} s)", title_justify="left")
    for status in STATUSES:
        table.add_column(status.replace("_", " "), justify="right")
    table.add_column("dead letter", justify="right")
    table.add_column("interviews taken", justify="right")
    table.add_row(*(str(counts.by_status.get(s, 0)) for s in STATUSES), str(counts.dead_items), str(answered))
    return table


def _settled(counts: Progress) -> bool:
    total = sum(counts.by_status.get(s, 0) for s in STATUSES)
    return total > 0 and counts.live_items == 0 and counts.waiting_on_candidates == 0


async def _take_interviews(runtime: Application, outbox: Path, taken: set[str]) -> None:
    """Answer every invitation that arrived since the last look, as the candidates would."""
    frontend = runtime.settings.FRONTEND_URL
    fresh = [i for i in find_invitations(outbox, frontend) if i.token not in taken]
    if not fresh:
        return
    if not any(s == "human_review" for s in await _statuses(runtime)):
        chosen = await choose_a_person(f"http://127.0.0.1:{runtime.settings.WEB_PORT}", frontend, fresh)
        if chosen is not None:  # one candidate would rather be assessed by a person
            taken.add(chosen.token)
            fresh = [i for i in fresh if i.token != chosen.token]
    summary = await CandidateSimulator(f"http://127.0.0.1:{runtime.settings.WEB_PORT}", pause=0.05).take_all(fresh)
    taken.update(i.token for i in fresh)
    for outcome in summary.outcomes:
        if outcome.result == "failed":
            console.print(f"[yellow]An interview could not be taken: {shown(outcome.detail)}[/yellow]")


async def _statuses(runtime: Application) -> list[str]:
    async with runtime.engine.connect() as conn:
        return list((await pipeline_progress.progress(conn)).by_status)


async def _follow(runtime: Application, outbox: Path) -> bool:
    """Show progress while the pipeline runs and the simulator answers; True when everything settled."""
    started = time.monotonic()
    taken: set[str] = set()
    settled_since: float | None = None
    counts = await _snapshot(runtime)
    with Live(_progress_table(counts, 0, 0), console=console, refresh_per_second=4) as live:
        while time.monotonic() - started < DEADLINE_SECONDS:
            await _take_interviews(runtime, outbox, taken)
            counts = await _snapshot(runtime)
            live.update(_progress_table(counts, len(taken), time.monotonic() - started))
            if _settled(counts):
                # Settled twice in a row, a scheduler pass apart: nothing is about to be enqueued.
                settled_since = settled_since or time.monotonic()
                if time.monotonic() - settled_since > runtime.settings.SCHEDULER_INTERVAL + 1:
                    return True
            else:
                settled_since = None
            await asyncio.sleep(0.5)
    return False


async def _results(runtime: Application) -> tuple[list[CandidateResult], list[DeadItem]]:
    async with runtime.engine.connect() as conn:
        return await pipeline_progress.candidate_results(conn), await pipeline_progress.dead_items(conn)


def _print_results(runtime: Application, rows: list[CandidateResult], dead: list[DeadItem]) -> None:
    table = Table(title="Candidates", title_justify="left")
    for name in ("candidate", "requisition", "status", "risk", "overall", "recommendation", "report file"):
        table.add_column(name)
    for row in rows:
        add_plain_row(
            table,
            row.candidate_name,
            f"{row.requisition} {row.title}",
            row.status,
            "-" if row.risk is None else f"{row.risk:.2f}",
            "-" if row.overall is None else f"{row.overall:.1f}",
            row.advice or "-",
            Path(row.report).name if row.report else "-",
        )
    console.print(table)
    for item in dead:
        who = f"{item.external_application_id} ({item.candidate_name})" if item.external_application_id else "—"
        console.print(
            f"[yellow]Dead letter[/yellow]: {item.job_type} of {shown(who)}: {shown(item.last_error)}", soft_wrap=True
        )
    data = runtime.settings.AIRECRUITER_DATA_DIR
    console.print(f"Reports (PDF): {data / 'artifacts' / 'applications'}/*/reports/")
    console.print(f"Invitation emails (.eml): {data / 'outbox'}")
    console.print(
        f"Reports uploaded to the sandbox's Workday: {data / 'sandbox'} — list them with "
        "`airecruiter sandbox serve` and `airecruiter sandbox attachments --uploads`."
    )


async def _admin_password(runtime: Application) -> str:
    """A fresh password for the console's `admin` (created on the first run); shown once."""
    password = new_password()
    async with runtime.engine.connect() as conn:
        exists = await user_by_username(conn, username=DEMO_ADMIN) is not None
    if exists:
        await reset_password(runtime.engine, username=DEMO_ADMIN, password=password, actor="demo")
        # Demo runs in a row each sign in once: never let them lock the demo's own admin out.
        await unlock(runtime.engine, username=DEMO_ADMIN, actor="demo")
    else:
        await create_account(runtime.engine, username=DEMO_ADMIN, password=password, role="admin", actor="demo")
    return password


async def _check_console(base_url: str, password: str) -> int:
    """Sign in to the console as the demo admin and open the dashboard; its HTTP status."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        form = await http.get("/admin/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        await http.post(
            "/admin/login",
            data={"username": DEMO_ADMIN, "password": password, "csrf_token": token.group(1) if token else ""},
        )
        dashboard = await http.get("/admin")
        signed_in = dashboard.status_code == 200 and "Sign out" in dashboard.text
        return dashboard.status_code if signed_in else 401


async def _demo(runtime: Application, keep_serving: bool) -> bool:
    s = runtime.settings
    async with runtime.engine.begin() as conn:
        await seed_default_prompts(conn)  # only fills a prompt type that has no global version at all
    password = await _admin_password(runtime)
    stop = asyncio.Event()
    service = asyncio.create_task(run_service(runtime, Pieces(), stop))
    try:
        console.print(
            f"Workday: {runtime.workday_connection.client.endpoint if runtime.workday_connection else '-'}"
            f" · LLM: {type(runtime.adapters.llm).__name__} · data: {s.AIRECRUITER_DATA_DIR}"
        )
        await runtime.queue.enqueue("sync", priority=Priority.MANUAL, enqueued_by="demo")
        settled = await _follow(runtime, s.AIRECRUITER_DATA_DIR / "outbox")
        rows, dead = await _results(runtime)
        _print_results(runtime, rows, dead)
        url = f"http://127.0.0.1:{s.WEB_PORT}/health/processor"
        async with httpx.AsyncClient(timeout=10) as http:
            health = await http.get(url)
        console.print(f"GET {url} → {health.status_code}")
        console.print_json(data=health.json())
        console_status = await _check_console(s.FRONTEND_URL, password)
        console.print(
            f"Admin console {s.FRONTEND_URL}/admin → {console_status} · user [bold]{DEMO_ADMIN}[/bold], "
            f"one-time password [bold]{password}[/bold] (a new one at every demo run)",
            soft_wrap=True,
        )
        if settled:
            await show_erasure(runtime)
        await show_demo_audit(runtime)
        if not settled:
            console.print(f"[red]The pipeline did not settle within {DEADLINE_SECONDS:.0f} s.[/red]")
        if keep_serving and settled:
            console.print("Serving until Ctrl+C: open the console, or an interview link from the outbox.")
            install_stop_signals(stop)
            await stop.wait()
        return settled and console_status == 200
    finally:
        stop.set()
        await service


def register(app: typer.Typer) -> None:
    """Add `demo` to `app`."""

    @app.command()
    def demo(
        serve: bool = typer.Option(False, "--serve", help="Keep serving afterwards (WEB_PORT, default 8000)."),
    ) -> None:
        """Run the whole pipeline on embedded defaults: sandbox Workday, offline scorer, outbox."""
        port = settings_or_exit().WEB_PORT if serve else _free_port()
        settings = settings_or_exit(
            WEB_PORT=port,
            FRONTEND_URL=f"http://127.0.0.1:{port}",
            SCHEDULER_INTERVAL=2,
            QUEUE_MAX_CONCURRENCY=6,
            LOG_LEVEL="ERROR",
        )
        if not run_command(_built_demo(settings, serve)):
            raise typer.Exit(1)


async def _built_demo(settings: Settings, keep_serving: bool) -> bool:
    """The demo over the whole service, Workday (the sandbox tenant) connected before it starts."""
    # A demonstration sets up what it runs on: a configured but empty database is migrated too.
    application = await build(settings, Pieces().wiring(), migrate=True)
    try:
        return await _demo(application, keep_serving)
    finally:
        await application.aclose()
