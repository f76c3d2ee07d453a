"""The `airecruiter` console script: SIGTERM is a clean exit from the first instruction on.

Importing the command and its dependencies takes seconds; a SIGTERM meanwhile (an orchestrator
scaling down, a deploy rolling on) used to kill the process with status 143. Until the command
takes signals over, a SIGTERM now exits with status 0 and a log line.
"""

from __future__ import annotations

import gc
import json
import signal
import sys
import time
from types import FrameType


def stop_during_startup(signum: int, _frame: FrameType | None) -> None:
    """Signal handler for the start-up: say so on stderr (as a JSON log line) and exit 0."""
    line = {
        "event": "service_stopped_during_startup",
        "signal": signal.Signals(signum).name,
        "level": "info",
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    sys.stderr.write(json.dumps(line) + "\n")
    sys.stderr.flush()
    raise SystemExit(0)


def main() -> None:
    """Install the start-up SIGTERM handler, then import and run the command."""
    signal.signal(signal.SIGTERM, stop_during_startup)
    # Importing allocates much and frees almost nothing: the collector's passes over it would cost a
    # quarter of the import time. What the imports built lives to the end: frozen, never walked again.
    gc.disable()
    from airecruiter.cli import main as cli_main

    gc.freeze()
    gc.enable()

    # Other commands keep the default (terminate); the serving commands install theirs.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    cli_main()
