"""`airecruiter candidates …`: erasure on request with its receipt, and legal holds."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import Any

import typer

from airecruiter.bootstrap import Application
from airecruiter.bootstrap.lifecycle import deletion_stores, erasure_receipt_pdf
from airecruiter.cli.candidate_export_command import export
from airecruiter.cli.common import add_plain_row, console, err_console, settings_or_exit, shown, with_runtime
from airecruiter.config import Settings
from airecruiter.db.legal_holds import LegalHold
from airecruiter.services.erasure import (
    ErasureOutcome,
    erase_candidate,
    erasure_receipt,
    hold_application_or_requisition,
    legal_holds_in_force,
    release_and_resume,
)

candidates_app = typer.Typer(
    help="Candidates' data: erasure with receipts, legal holds, access exports.", no_args_is_help=True
)
candidates_app.command("export")(export)
ACTOR = "cli"


def receipts_dir(settings: Settings) -> Path:
    """Where the commands write receipts (JSON and PDF): the data dir's `receipts` folder."""
    return settings.AIRECRUITER_DATA_DIR / "receipts"


async def save_receipt(runtime: Application, receipt_id: int, directory: Path) -> tuple[Path, Path]:
    """Write receipt `receipt_id` as JSON and PDF into `directory`; the two paths."""
    receipt = dataclasses.asdict(await erasure_receipt(runtime.engine, receipt_id))
    pdf = await erasure_receipt_pdf(receipt)
    return await asyncio.to_thread(_write_receipt, directory, receipt, pdf)


def _write_receipt(directory: Path, receipt: dict[str, Any], pdf: bytes) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"erasure-receipt-{receipt['id']}.json"
    pdf_path = json_path.with_suffix(".pdf")
    json_path.write_text(json.dumps(receipt, indent=2, default=str, ensure_ascii=False) + "\n", encoding="utf-8")
    pdf_path.write_bytes(pdf)
    return json_path, pdf_path


def _print_outcome(outcome: ErasureOutcome, paths: tuple[Path, Path] | None) -> None:
    if outcome.status == "on_hold":
        err_console.print(f"Erasure refused: a legal hold applies (request {outcome.request_id} recorded as on_hold).")
        for hold in outcome.holds:
            err_console.print(f"  hold {hold.id}: {shown(hold.reason)}", soft_wrap=True)
        err_console.print("It runs when the hold is lifted (airecruiter candidates release HOLD_ID).")
        return
    contents: dict[str, Any] = outcome.contents
    console.print(f"Erased {contents['applications']} application(s); receipt {outcome.receipt_id}.")
    uploaded = contents.get("uploaded_to_workday", [])
    if uploaded:
        console.print("Workday keeps what we uploaded (remove it there if it must go):")
        for item in uploaded:
            console.print(f"  document {shown(item['workday_document_id'])}: {shown(item['filename'])}", soft_wrap=True)
    if paths is not None:
        console.print(f"Receipt: {paths[0]} and {paths[1]}", markup=False, soft_wrap=True)


@candidates_app.command("erase")
def erase(
    candidate: str = typer.Option(..., "--candidate", metavar="WORKDAY_ID", help="The Workday candidate id."),
    reason: str = typer.Option(..., "--reason", help="Why (the receipt records it; no personal data please)."),
) -> None:
    """Erase every application of a candidate (refused, and recorded, under a legal hold)."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> tuple[ErasureOutcome, tuple[Path, Path] | None]:
        stores = deletion_stores(runtime.settings, runtime.adapters.storage)
        outcome = await erase_candidate(
            runtime.engine, stores, external_candidate_id=candidate, reason=reason, actor=ACTOR
        )
        if outcome.receipt_id is None:
            return outcome, None
        return outcome, await save_receipt(runtime, outcome.receipt_id, receipts_dir(runtime.settings))

    outcome, paths = with_runtime(settings, action, pipeline=False)
    _print_outcome(outcome, paths)
    if outcome.status == "on_hold":
        raise typer.Exit(3)


@candidates_app.command("receipt")
def receipt(
    receipt_id: int = typer.Argument(..., help="The receipt's number (erase prints it)."),
    out: str | None = typer.Option(None, "--out", help="Folder for the JSON and PDF (default: the data dir)."),
) -> None:
    """Write an erasure receipt as JSON and PDF again, and print the JSON."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> tuple[Path, Path]:
        return await save_receipt(runtime, receipt_id, Path(out) if out else receipts_dir(runtime.settings))

    json_path, pdf_path = with_runtime(settings, action, pipeline=False)
    console.print(json_path.read_text(encoding="utf-8"), markup=False, highlight=False, soft_wrap=True)
    console.print(f"Receipt: {json_path} and {pdf_path}", markup=False, soft_wrap=True)


@candidates_app.command("hold")
def hold(
    reason: str = typer.Option(..., "--reason", help="Why the data must be kept (litigation, audit…)."),
    application: int | None = typer.Option(
        None, "--application", help="The application's id (as the console shows it)."
    ),
    requisition: int | None = typer.Option(
        None, "--requisition", help="The requisition's id: holds all its applications."
    ),
) -> None:
    """Place a legal hold: no retention and no erasure while it lasts."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> int:
        return await hold_application_or_requisition(
            runtime.engine, reason=reason, actor=ACTOR, application_id=application, requisition_id=requisition
        )

    hold_id = with_runtime(settings, action, pipeline=False)
    console.print(f"Legal hold {hold_id} placed.")


@candidates_app.command("release")
def release(hold_id: int = typer.Argument(..., help="The hold's number (see `candidates holds`).")) -> None:
    """Lift a legal hold; erasure requests it was holding back run now."""
    settings = settings_or_exit()

    async def action(runtime: Application) -> list[tuple[ErasureOutcome, tuple[Path, Path] | None]]:
        stores = deletion_stores(runtime.settings, runtime.adapters.storage)
        resumed = await release_and_resume(runtime.engine, stores, hold_id=hold_id, actor=ACTOR)
        return [
            (o, await save_receipt(runtime, o.receipt_id, receipts_dir(runtime.settings)) if o.receipt_id else None)
            for o in resumed
        ]

    resumed = with_runtime(settings, action, pipeline=False)
    console.print(f"Legal hold {hold_id} released; {len(resumed)} waiting erasure(s) ran.")
    for outcome, paths in resumed:
        _print_outcome(outcome, paths)


@candidates_app.command("holds")
def holds() -> None:
    """List the legal holds in force."""
    from rich.table import Table

    settings = settings_or_exit()

    async def action(runtime: Application) -> list[LegalHold]:
        return await legal_holds_in_force(runtime.engine)

    found = with_runtime(settings, action, pipeline=False)
    table = Table("hold", "application", "requisition", "reason", "placed by", "placed at")
    for h in found:
        add_plain_row(table, h.id, h.application_id or "", h.requisition_id or "", h.reason, h.placed_by, h.placed_at)
    console.print(table if found else "No legal hold is in force.")
