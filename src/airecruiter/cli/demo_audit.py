"""The demo's last step: the bias-audit tables of the demo's data, and the draft summary as PDF.

Until demographics are ingested every category is unknown; the tables then show the counts and
exclusions only, which is what an auditor would see too.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from airecruiter.bootstrap import Application
from airecruiter.bootstrap.audit import audit_summary_renderer
from airecruiter.cli.audit_commands import print_audit
from airecruiter.cli.common import console
from airecruiter.services import bias_audit
from airecruiter.services.bias_audit_exports import audit_pdf, audit_view

DEMO_RANGE_DAYS = 365
SUMMARY_NAME = "bias-audit-summary.pdf"


async def show_demo_audit(runtime: Application) -> Path:
    """Print the audit of the last year's applications and write the draft summary; its path."""
    today = datetime.now(UTC).date()
    report = await bias_audit.audit_range(runtime.engine, start=today - timedelta(days=DEMO_RANGE_DAYS), end=today)
    await bias_audit.record_audit_viewed(runtime.engine, report=report, actor="demo", fmt="pdf")
    print_audit(audit_view(report))
    target = runtime.settings.AIRECRUITER_DATA_DIR / "audit" / SUMMARY_NAME
    pdf = await audit_pdf(report, audit_summary_renderer())
    await asyncio.to_thread(_write, target, pdf)
    console.print(f"Bias audit, draft summary of results (PDF): {target}")
    return target


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
