"""What the queue hands a processor, and the priority classes of docs/architecture.md (the queue's promises)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum


class Priority(IntEnum):
    """Claim order is priority first: an admin's action beats the schedule, retries come last."""

    RETRY = 0
    SCHEDULED = 10
    MANUAL = 20


QUEUE_STATES = ("pending", "running", "failed", "dead", "skipped")
LIVE_STATES = ("pending", "running", "failed")
NOTIFY_CHANNEL = "airecruiter_queue"


@dataclass(frozen=True)
class Job:
    """One claimed queue item."""

    id: int
    job_type: str
    application_id: int | None
    requisition_id: int | None
    priority: int
    attempts: int
    max_attempts: int
    created_at: datetime
    scheduled_for: datetime
    lost_leases: int = 0  # runs that lost their worker: counted in `attempts`, but not failures

    @property
    def failures(self) -> int:
        """Attempts that ended in an error (or are running now): lost leases have a budget of their own."""
        return max(self.attempts - self.lost_leases, 1)

    @property
    def subject(self) -> str:
        """What the job is about, for logs and tables."""
        if self.application_id is not None:
            return f"application {self.application_id}"
        if self.requisition_id is not None:
            return f"requisition {self.requisition_id}"
        return "all"


@dataclass(frozen=True)
class NewJob:
    """An item to enqueue."""

    job_type: str
    application_id: int | None = None
    requisition_id: int | None = None
    priority: Priority = Priority.SCHEDULED
    delay_seconds: float = 0.0


Processor = Callable[[Job], Awaitable[None]]
