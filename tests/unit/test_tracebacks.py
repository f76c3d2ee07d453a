"""What is kept of a failure: the class, the stack (code, never data) and a redacted message."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import structlog

from airecruiter.cli.common import log_processors
from airecruiter.queue.tracebacks import (
    MAX_FRAMES,
    MAX_TEXT,
    SafeExceptions,
    redact_message,
    report,
    safe_describe,
    short_path,
)


@pytest.mark.parametrize(
    ("message", "kept"),
    [
        ("no résumé for jane.doe@example.com", "no résumé for [email]"),
        ("call +44 20 7946 0958 or (555) 123-4567", "call [phone] or [phone]"),
        ("profile https://linkedin.com/in/jane-doe?x=1 gone", "profile [link] gone"),
        ("candidate 'Jane Doe' has no email", "candidate '…' has no email"),
        ('candidate "Jane Doe" and “Jane” and ‘Doe’', 'candidate "…" and “…” and ‘…’'),
        ("'resume'", "'…'"),
        ("'OPEN' is not a valid ID value", "'OPEN' is not a valid ID value"),
        ("no requisition 'JA-000115' or 'REQ_42'", "no requisition 'JA-000115' or 'REQ_42'"),
        ("candidate 'JANE DOE' and 'Jane'", "candidate '…' and '…'"),
        # Left alone: apostrophes, dates, status codes, ids and counts an operator needs.
        ("Workday's token endpoint didn't answer", "Workday's token endpoint didn't answer"),
        ("429 Too Many Requests", "429 Too Many Requests"),
        (
            "ran longer than its 300 s limit on 2025-03-01 12:00:05",
            "ran longer than its 300 s limit on 2025-03-01 12:00:05",
        ),
        ("application 123456 of requisition 42", "application 123456 of requisition 42"),
        ("x" * 9000, "x" * 4000),
    ],
)
def test_redact_message_removes_what_can_name_a_person(message: str, kept: str) -> None:
    assert redact_message(message) == kept


def test_safe_describe_keeps_the_class_and_the_redacted_message() -> None:
    assert safe_describe(KeyError("jane@example.com")) == "KeyError: '…'"
    assert safe_describe(RuntimeError()) == "RuntimeError: RuntimeError()"
    assert safe_describe(ValueError("  padded  ")) == "ValueError: padded"


def _inner(secret: str) -> None:
    raise KeyError(secret)


def _outer() -> None:
    candidate_email = "jane.doe@example.com"  # a local variable: never part of a report
    try:
        _inner(candidate_email)
    except KeyError as exc:
        raise RuntimeError(f"lookup failed for {candidate_email}") from exc


def _caught(action: Callable[[], object]) -> Exception:
    try:
        action()
    except Exception as error:  # the test inspects whatever was raised
        return error
    raise AssertionError("nothing was raised")


def test_a_report_keeps_frames_and_the_cause_but_no_data() -> None:
    failure = report(_caught(_outer))
    assert failure.summary == "RuntimeError: lookup failed for [email]"
    assert [f.function for f in failure.frames][-1] == "_outer"
    assert failure.cause is not None and failure.direct_cause
    assert failure.cause.summary == "KeyError: '…'"
    assert [f.function for f in failure.cause.frames][-2:] == ["_outer", "_inner"]
    frame = failure.cause.frames[-1]
    assert frame.file == "tests/unit/test_tracebacks.py" and frame.code == "raise KeyError(secret)"
    text = failure.to_text()
    assert text.index("KeyError") < text.index("The above exception was the direct cause") < text.index("RuntimeError")
    assert 'File "tests/unit/test_tracebacks.py", line' in text and "in _inner" in text
    everything = text + json.dumps(failure.to_dict())
    assert "jane" not in everything and "example.com" not in everything


def test_an_exception_raised_while_handling_another_is_reported_as_such() -> None:
    def handling() -> None:
        try:
            raise ValueError("first")
        except ValueError:
            raise TypeError("second")  # noqa: B904 - the implicit context is what is tested

    failure = report(_caught(handling))
    assert failure.cause is not None and not failure.direct_cause
    assert "During handling of the above exception, another exception occurred:" in failure.to_text()
    assert failure.to_dict()["context"]["type"] == "ValueError"


def test_a_deep_stack_keeps_the_innermost_frames_and_says_how_many_were_left_out() -> None:
    def recurse(depth: int) -> None:
        if depth == 0:
            raise RuntimeError("bottom")
        recurse(depth - 1)

    failure = report(_caught(lambda: recurse(100)))
    assert len(failure.frames) == MAX_FRAMES and failure.omitted_frames > 60
    assert failure.frames[-1].code == 'raise RuntimeError("bottom")'
    assert "outer frames left out" in failure.to_text() and len(failure.to_text()) <= MAX_TEXT


def test_a_cause_cycle_ends() -> None:
    first, second = ValueError("a"), ValueError("b")
    first.__cause__, second.__cause__ = second, first
    assert len(report(first).chain()) == 2


def test_short_path_is_relative_to_the_import_root() -> None:
    assert short_path(structlog.__file__) == "structlog/__init__.py"
    assert short_path("/nowhere/deep/inside/module.py") == "deep/inside/module.py"


def test_the_log_line_of_a_logged_exception_has_its_report_and_not_its_message() -> None:
    error = _caught(_outer)
    line = json.loads(_render("json", {"event": "job_error", "exc_info": error}))
    assert line["exception"]["type"] == "RuntimeError"
    assert line["exception"]["cause"]["frames"][-1]["function"] == "_inner"
    assert "exc_info" not in line and "jane" not in json.dumps(line)
    console = _render("console", {"event": "job_error", "exc_info": error})
    assert "Traceback (most recent call last):" in console and "jane" not in console


def test_exc_info_true_takes_the_exception_being_handled_and_none_is_ignored() -> None:
    processor = SafeExceptions(structured=True)
    try:
        raise ValueError("boom")
    except ValueError:
        assert processor(None, "error", {"exc_info": True})["exception"]["type"] == "ValueError"
    assert processor(None, "error", {"exc_info": None}) == {}
    assert processor(None, "error", {"exc_info": False}) == {}


def _render(fmt: str, event: dict[str, object]) -> str:
    rendered: object = dict(event)
    for processor in log_processors(fmt):
        rendered = processor(None, "error", rendered)  # type: ignore[arg-type]
    return str(rendered)
