"""One cause, one visible problem: failures grouped by identity, and the scheduler's backoff (pure).

A failure's identity is its job type, its error class and its message with the parts that vary
between occurrences (numbers, quoted values, ids) put aside, so six dead syncs refused for the same
reason are one group with a count, and one reason the scheduler waits on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

PERMANENT_BACKOFF_BASE = 60.0  # seconds after the first permanent failure; doubles each time
PERMANENT_BACKOFF_CAP = 3600.0

_QUOTED = re.compile(r"""(["'“‘])[^"'”’]{0,200}(["'”’])""")
_HEX_ID = re.compile(r"\b[0-9a-fA-F]{16,}\b")  # Workday WIDs, hashes
_NUMBER = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class FailureIdentity:
    """What makes two failures the same problem."""

    job_type: str
    error_class: str
    message: str  # normalised


def split_error(last_error: str | None) -> tuple[str, str]:
    """`ClassName: message` (as `tracebacks.safe_describe` writes it) → (class, message)."""
    text = (last_error or "").strip()
    head, sep, rest = text.partition(": ")
    if sep and head.isidentifier():
        return head, rest
    return "Error", text


def normalise(message: str) -> str:
    """The message with its varying parts replaced: quoted values by "…", long hex ids by ID, numbers by N."""
    text = _QUOTED.sub(lambda m: f"{m.group(1)}…{m.group(2)}", message)
    text = _HEX_ID.sub("ID", text)
    text = _NUMBER.sub("N", text)
    return _SPACE.sub(" ", text).strip()[:500]


def identity(job_type: str, last_error: str | None) -> FailureIdentity:
    """The identity of one failure."""
    error_class, message = split_error(last_error)
    return FailureIdentity(job_type, error_class, normalise(message))


@dataclass
class FailureGroup:
    """Dead items that failed for the same reason: how many, when, and one of their errors in full."""

    identity: FailureIdentity
    count: int
    item_ids: list[int]  # newest first
    first_at: datetime
    last_at: datetime
    example: str  # the newest item's error as recorded

    @property
    def sentence(self) -> str:
        """What is wrong, in a sentence an operator can act on."""
        if self.count == 1:
            return f"{self.identity.job_type} failed — {self.example}"
        return f"{self.identity.job_type} failed {self.count} times for the same reason — {self.example}"


def group_failures(items: list[tuple[int, str, str | None, datetime]]) -> list[FailureGroup]:
    """(id, job type, last error, when) rows → groups, the largest and then the latest first."""
    groups: dict[FailureIdentity, FailureGroup] = {}
    for item_id, job_type, last_error, at in sorted(items, key=lambda row: (row[3], row[0]), reverse=True):
        key = identity(job_type, last_error)
        group = groups.get(key)
        if group is None:
            groups[key] = FailureGroup(key, 1, [item_id], at, at, (last_error or "").strip())
        else:
            group.count += 1
            group.item_ids.append(item_id)
            group.first_at = min(group.first_at, at)
    return sorted(groups.values(), key=lambda g: (-g.count, -g.last_at.timestamp()))


def permanent_backoff(consecutive: int) -> float:
    """Seconds the scheduler waits after `consecutive` permanent failures for the same reason."""
    if consecutive <= 0:
        return 0.0
    return float(min(PERMANENT_BACKOFF_BASE * 2 ** (consecutive - 1), PERMANENT_BACKOFF_CAP))


def failure_streak(runs: list[tuple[str, str | None]]) -> int:
    """How many of the newest-first (outcome, error) runs are dead for the newest's reason, unbroken."""
    streak, reason = 0, None
    for outcome, error in runs:
        if outcome != "dead":
            break  # a success (or anything but a permanent failure) resets the count
        this = identity("", error)
        if reason is None:
            reason = this
        elif this != reason:
            break
        streak += 1
    return streak
