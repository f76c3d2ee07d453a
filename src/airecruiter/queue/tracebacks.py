"""Failures you can debug from the log: an exception's class, its stack and a redacted message.

An exception's message can quote what the job was working on: a candidate's name in quotes, an
email address, a phone number, a link to a profile. So what the job history stores and the log
shows of a failure is only:

- the exception's class;
- its stack, one frame per call: the file (relative to its package), the line number, the function
  and that line of source code, with any e-mail address, link or phone number in it replaced.
  Code, never data: no local variables, no arguments;
- its message with e-mail addresses, links, phone numbers and quoted strings replaced
  (`redact_message`), so `KeyError('jane.doe@example.com')` is kept as `KeyError: '…'`;
- the same for each exception in its chain (`raise … from exc`, or one raised while handling
  another), the oldest first, as Python prints it.

A name written in a message without quotes cannot be told from other words without knowing the
name; messages we write ourselves quote the values they name, and the rest is the job's own care.
"""

from __future__ import annotations

import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from structlog.typing import EventDict, WrappedLogger

MAX_FRAMES = 40  # per exception, the innermost ones: a deep recursion stays readable
MAX_CHAIN = 5  # exceptions in one chain
MAX_TEXT = 16_000  # characters of a stored traceback
MAX_MESSAGE = 4_000  # as much as `last_error` keeps

_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"\b(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[^\s<>\"'“”‘’]+")
# A run of digits, spaces, dots, dashes and brackets holding 9 to 15 digits, not a date.
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d ().-]{7,22}\d(?!\w)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A quoted string: the opening quote not after a letter, the closing one not before one, so
# apostrophes ("Workday's", "didn't") are left alone.
_QUOTED = re.compile(r"""(?<!\w)(?:'[^'\n]{1,500}'|"[^"\n]{1,500}"|“[^”\n]{1,500}”|‘[^’\n]{1,500}’)(?!\w)""")

EMAIL_PLACEHOLDER = "[email]"
URL_PLACEHOLDER = "[link]"
PHONE_PLACEHOLDER = "[phone]"


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(char.isdigit() for char in text)
    if not 9 <= digits <= 15 or _DATE.search(text):
        return text
    return PHONE_PLACEHOLDER


# A quoted reference ID ('OPEN', 'JA-000115', 'REQ_42'): no lower-case letter, no space. It is what
# an operator needs to read a Workday fault, and no way to write a person's name.
_REFERENCE_ID = re.compile(r"[A-Z0-9][A-Z0-9_.:/-]{1,39}")


def _quoted(match: re.Match[str]) -> str:
    text = match.group(0)
    if _REFERENCE_ID.fullmatch(text[1:-1]):
        return text
    return f"{text[0]}…{text[-1]}"


def redact_contacts(text: str) -> str:
    """`text` with e-mail addresses, links and phone numbers replaced (for lines of source code)."""
    return _PHONE.sub(_phone, _URL.sub(URL_PLACEHOLDER, _EMAIL.sub(EMAIL_PLACEHOLDER, text)))


def redact_message(message: str) -> str:
    """`message` with e-mail addresses, links, phone numbers and quoted strings replaced."""
    text = _EMAIL.sub(EMAIL_PLACEHOLDER, message[: MAX_MESSAGE * 2])
    text = _PHONE.sub(_phone, _QUOTED.sub(_quoted, _URL.sub(URL_PLACEHOLDER, text)))
    return text.strip()[:MAX_MESSAGE]


def safe_describe(error: BaseException) -> str:
    """`ClassName: redacted message`: what `last_error`, the job history and the log keep."""
    text = redact_message(str(error)) or redact_message(repr(error))
    return f"{type(error).__name__}: {text}"


@dataclass(frozen=True)
class Frame:
    """One call on the stack: where it was, never what it held."""

    file: str
    line: int
    function: str
    code: str

    def to_dict(self) -> dict[str, Any]:
        """The frame as a JSON object."""
        return {"file": self.file, "line": self.line, "function": self.function, "code": self.code}


@dataclass(frozen=True)
class ErrorReport:
    """One exception as it is stored and logged, with the exception that led to it."""

    error_class: str
    message: str  # redacted
    frames: tuple[Frame, ...]
    omitted_frames: int = 0
    cause: ErrorReport | None = None
    direct_cause: bool = True  # `raise … from cause`, or else raised while handling it

    @property
    def summary(self) -> str:
        """`ClassName: redacted message`."""
        return f"{self.error_class}: {self.message}" if self.message else self.error_class

    def chain(self) -> list[ErrorReport]:
        """This exception and its causes, the oldest first."""
        found: list[ErrorReport] = []
        report: ErrorReport | None = self
        while report is not None:
            found.append(report)
            report = report.cause
        return found[::-1]

    def to_text(self) -> str:
        """The report in Python's own traceback layout, at most MAX_TEXT characters."""
        parts: list[str] = []
        for report in self.chain():
            if parts:  # how this exception came from the one printed before it
                parts.append(_LINK[report.direct_cause])
            parts.append(_one_text(report))
        text = "\n".join(parts)
        if len(text) > MAX_TEXT:  # keep the end: the last exception is the one that mattered
            text = "…\n" + text[-(MAX_TEXT - 2) :]
        return text

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON object (the `exception` field of a log line)."""
        found: dict[str, Any] = {
            "type": self.error_class,
            "message": self.message,
            "frames": [frame.to_dict() for frame in self.frames],
        }
        if self.omitted_frames:
            found["omitted_frames"] = self.omitted_frames
        if self.cause is not None:
            found["cause" if self.direct_cause else "context"] = self.cause.to_dict()
        return found


_LINK = {
    True: "\nThe above exception was the direct cause of the following exception:\n",
    False: "\nDuring handling of the above exception, another exception occurred:\n",
}


def _one_text(report: ErrorReport) -> str:
    lines = ["Traceback (most recent call last):"] if report.frames else []
    if report.omitted_frames:
        lines.append(f"  [{report.omitted_frames} outer frames left out]")
    for frame in report.frames:
        lines.append(f'  File "{frame.file}", line {frame.line}, in {frame.function}')
        if frame.code:
            lines.append(f"    {frame.code}")
    lines.append(report.summary)
    return "\n".join(lines)


def report(error: BaseException) -> ErrorReport:
    """The safe report of `error` and of up to MAX_CHAIN exceptions in its chain."""
    chain: list[tuple[BaseException, bool]] = []  # (exception, raised `from` the one after it)
    current: BaseException | None = error
    while current is not None and len(chain) < MAX_CHAIN and all(current is not e for e, _ in chain):
        predecessor, direct = _predecessor(current)
        chain.append((current, direct))
        current = predecessor
    built: ErrorReport | None = None
    for exc, direct in reversed(chain):
        built = _report_one(exc, built, direct)
    assert built is not None
    return built


def _predecessor(error: BaseException) -> tuple[BaseException | None, bool]:
    if error.__cause__ is not None:
        return error.__cause__, True
    if error.__context__ is not None and not error.__suppress_context__:
        return error.__context__, False
    return None, True


def _report_one(error: BaseException, cause: ErrorReport | None, direct: bool) -> ErrorReport:
    stack = traceback.extract_tb(error.__traceback__)
    omitted = max(len(stack) - MAX_FRAMES, 0)
    frames = tuple(
        Frame(short_path(f.filename), f.lineno or 0, f.name, redact_contacts((f.line or "").strip()[:300]))
        for f in stack[omitted:]
    )
    return ErrorReport(
        error_class=type(error).__name__,
        message=redact_message(str(error)),
        frames=frames,
        omitted_frames=omitted,
        cause=cause,
        direct_cause=direct,
    )


def short_path(filename: str) -> str:
    """A source file's path relative to the import root it lives under (`airecruiter/queue/worker.py`)."""
    path = PurePath(filename)
    best: PurePath | None = None
    for entry in sys.path:
        if not entry:
            continue
        root = PurePath(entry)
        if path.is_relative_to(root) and (best is None or len(root.parts) > len(best.parts)):
            best = root
    if best is not None:
        return path.relative_to(best).as_posix()
    return PurePath(*path.parts[-3:]).as_posix()


class SafeExceptions:
    """A structlog processor: a log call's `exc_info` becomes an `exception` field with its report.

    Structured (a JSON object) for JSON logs, Python's layout for a terminal. It replaces the
    renderers' own exception formatting, which would print the raw message (and, in a terminal,
    local variables).
    """

    def __init__(self, *, structured: bool) -> None:
        self.structured = structured

    def __call__(self, _logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        """Replace `exc_info` (an exception, a `sys.exc_info()` tuple or True) by the `exception` field."""
        error = _exception_of(event_dict.pop("exc_info", None))
        if error is not None:
            failure = report(error)
            event_dict["exception"] = failure.to_dict() if self.structured else failure.to_text()
        return event_dict


def _exception_of(exc_info: object) -> BaseException | None:
    if exc_info is True:
        exc_info = sys.exc_info()
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        exc_info = exc_info[1]
    return exc_info if isinstance(exc_info, BaseException) else None
