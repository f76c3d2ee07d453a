"""The draft summary of results for the independent auditor: the renderer that typesets it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class AuditSummaryRenderer(Protocol):
    """Turns the JSON view of a bias audit (services.bias_audit_exports.audit_view) into a PDF."""

    def render(self, view: Mapping[str, Any]) -> bytes:
        """The PDF bytes of the summary (CPU work: call it off the event loop)."""
        ...
