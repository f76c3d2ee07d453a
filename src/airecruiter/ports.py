"""Ports: the protocols the core needs from the outside world; adapters implement them.

The Workday, LLM, Mailer and Storage ports join here with their issues.
"""

from __future__ import annotations

from typing import Protocol


class ConnectivityProbe(Protocol):
    """A cheap check that an external system answers (e.g. Workday for the health JSON)."""

    async def connected(self) -> bool:
        """True when the system answered a lightweight request just now."""
        ...
