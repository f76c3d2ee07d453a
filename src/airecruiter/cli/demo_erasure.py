"""The demo's last act: one candidate's data erased on request, and where its receipt is.

The first run erases a candidate whose applications went the whole way (so the receipt lists the
report Workday keeps); later runs show that receipt again, so a second run changes nothing.
"""

from __future__ import annotations

from airecruiter.bootstrap import Application
from airecruiter.bootstrap.lifecycle import deletion_stores
from airecruiter.cli.candidate_commands import receipts_dir, save_receipt
from airecruiter.cli.common import console, shown
from airecruiter.db.retention import a_completed_candidate, latest_receipt_id
from airecruiter.services.erasure import erase_candidate

DEMO_REASON = "Demo: the candidate asked for their data to be erased (GDPR Art. 17)"


async def show_erasure(runtime: Application) -> None:
    """Erase one completed candidate (first run only) and print where the receipt's JSON and PDF are."""
    async with runtime.engine.connect() as conn:
        receipt_id = await latest_receipt_id(conn)
        candidate = None if receipt_id is not None else await a_completed_candidate(conn)
    if receipt_id is None and candidate is None:
        console.print("Erasure: no candidate went the whole way, so none was erased.")
        return
    if candidate is not None:
        stores = deletion_stores(runtime.settings, runtime.adapters.storage)
        outcome = await erase_candidate(
            runtime.engine, stores, external_candidate_id=candidate, reason=DEMO_REASON, actor="demo"
        )
        receipt_id = outcome.receipt_id
        console.print(
            f"Erased Workday candidate {shown(candidate)} on request: every application, file, transcript and "
            "email; the de-identified outcome record and a tombstone stay.",
            soft_wrap=True,
        )
    assert receipt_id is not None
    json_path, pdf_path = await save_receipt(runtime, receipt_id, receipts_dir(runtime.settings))
    console.print(f"Erasure receipt {receipt_id}: {json_path} and {pdf_path}", markup=False, soft_wrap=True)
