"""Exceptions logged by the standard library's loggers (uvicorn logs every exception that escapes the
web app) are shown as our safe report: class and stack, the message redacted, never the raw text."""

from __future__ import annotations

import logging
import sys

from airecruiter.cli.common import SafeFormatter


def _formatted(error: Exception) -> str:
    try:
        raise error
    except Exception:
        record = logging.LogRecord(
            "uvicorn.error", logging.ERROR, __file__, 1, "Exception in ASGI application", None, sys.exc_info()
        )
    return SafeFormatter("%(name)s: %(message)s").format(record)


def test_an_exception_logged_by_uvicorn_keeps_its_stack_but_not_the_candidates_data() -> None:
    text = _formatted(ValueError("no résumé for 'Jane Doe' <jane.doe@example.com>"))
    assert text.startswith("uvicorn.error: Exception in ASGI application")
    assert "Traceback (most recent call last):" in text and "_formatted" in text
    assert "ValueError" in text
    assert "Jane Doe" not in text and "jane.doe@example.com" not in text


def test_a_line_without_an_exception_is_unchanged() -> None:
    record = logging.LogRecord("asyncio", logging.WARNING, __file__, 1, "slow callback %s", ("x",), None)
    assert SafeFormatter("%(name)s: %(message)s").format(record) == "asyncio: slow callback x"
