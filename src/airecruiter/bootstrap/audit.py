"""The bias audit's renderer, for the entry points that export the draft summary (CLI, console)."""

from __future__ import annotations

from airecruiter.adapters.documents.audit_summary import TypstAuditSummaryRenderer
from airecruiter.ports.audit_summary import AuditSummaryRenderer


def audit_summary_renderer() -> AuditSummaryRenderer:
    """A renderer of the draft summary of results (Typst, embedded fonts)."""
    return TypstAuditSummaryRenderer()
