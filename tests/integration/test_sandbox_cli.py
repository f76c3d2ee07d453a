"""`airecruiter sandbox serve` prints the settings that reach it; the client commands talk to it."""

from __future__ import annotations

import os
import queue
import shlex
import signal
import subprocess
import sys
import threading
import warnings
from pathlib import Path
from typing import IO

import httpx
import pytest

from airecruiter.adapters.secrets_box import reveal
from airecruiter.config import load_settings
from tests.integration.processes import ROOT

pytestmark = pytest.mark.slow


def _read_lines(stream: IO[str], lines: queue.Queue[str]) -> None:
    """Every line of `stream` into `lines`; the stream is closed at its end (by this thread, which reads it)."""
    with stream:
        for line in iter(stream.readline, ""):
            lines.put(line)


def _exports(proc: subprocess.Popen[str], within: float = 30) -> dict[str, str]:
    """The `export NAME=value` lines serve prints, read on a thread so a silent process cannot hang the test."""
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True).start()
    found: dict[str, str] = {}
    last = "WORKDAY_REFRESH_TOKEN" if os.environ.get("AIRECRUITER_SECRET_KEY") else "AIRECRUITER_SECRET_KEY"
    while last not in found:
        line = lines.get(timeout=within)
        assert line.startswith("export "), f"stdout carries only export lines, got {line!r}"
        name, _, value = line.removeprefix("export ").strip().partition("=")
        found[name] = value
    return found


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "airecruiter", "sandbox", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serve_then_inspect_and_change_it(tmp_path: Path) -> None:
    env = {**os.environ, "AIRECRUITER_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "airecruiter", "sandbox", "serve", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        settings = _exports(proc)
        url = settings["WORKDAY_TENANT_URL"]
        # What serve printed is a complete configuration for a processor, secrets encrypted.
        printed = {k: shlex.split(v)[0] for k, v in settings.items()}
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no "plain value" warning
            configured = load_settings(**printed)
        assert configured.workday_configured
        assert configured.AIRECRUITER_SECRET_KEY is not None
        key = configured.AIRECRUITER_SECRET_KEY.get_secret_value()
        secret = reveal(printed["WORKDAY_CLIENT_SECRET"], key, name="WORKDAY_CLIENT_SECRET")
        refresh = reveal(printed["WORKDAY_REFRESH_TOKEN"], key, name="WORKDAY_REFRESH_TOKEN")
        assert printed["WORKDAY_REFRESH_TOKEN"].startswith("enc:") and refresh not in settings["WORKDAY_REFRESH_TOKEN"]
        token = httpx.post(
            f"{url}/ccx/oauth2/{settings['WORKDAY_TENANT_ID']}/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh,
                "client_id": settings["WORKDAY_CLIENT_ID"],
                "client_secret": secret,
            },
        )
        assert token.status_code == 200 and token.json()["token_type"] == "Bearer"

        advanced = _cli("advance", "JA-000101", "Screen", "--url", url)
        assert advanced.returncode == 0 and "Ana Silva is now in Screen" in advanced.stdout
        listed = _cli("applications", "--requisition", "R-00101", "--url", url)
        assert listed.returncode == 0 and "JA-000101" in listed.stdout and "Screen" in listed.stdout
        wid = httpx.get(f"{url}/_sandbox/attachments", params={"candidate": "C000110"}).json()["attachments"][0]["wid"]
        out = tmp_path / "resume.docx"
        saved = _cli("download", wid, "--out", str(out), "--url", url)
        assert saved.returncode == 0 and out.read_bytes().startswith(b"PK")
        bad = _cli("advance", "JA-000101", "Hired", "--url", url)
        assert bad.returncode == 1 and "no recruiting stage 'Hired'" in bad.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=20)
        assert proc.stderr is not None
        proc.stderr.close()
        assert code == 0
    assert (tmp_path / "sandbox" / "journal.jsonl").read_text().count('"event": "stage"') == 1


def test_client_commands_without_a_sandbox() -> None:
    result = _cli("applications", "--url", "http://127.0.0.1:9")
    assert result.returncode == 1 and "No sandbox answers" in result.stderr
