"""Ports: the protocols the core needs from the outside world; adapters implement them.

One module per external system (llm, storage, mail, documents, and Workday with its issue), each
with the boundary value types its protocol speaks. Processors import these, never adapters.
"""

from __future__ import annotations

from typing import Protocol


class ConnectivityProbe(Protocol):
    """A cheap check that an external system answers (e.g. Workday for the health JSON)."""

    async def connected(self) -> bool:
        """True when the system answered a lightweight request just now."""
        ...
