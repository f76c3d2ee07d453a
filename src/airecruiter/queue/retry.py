"""The retry decision: a pure function of the error, the attempts made and the time."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from airecruiter.errors import RetryPolicy, policy_for


@dataclass(frozen=True)
class RetryDecision:
    """Retry at `run_at`, or give up (the item goes to the dead letter)."""

    retry: bool
    run_at: datetime | None
    delay_seconds: float
    max_attempts: int


def backoff_seconds(policy: RetryPolicy, attempts: int, jitter: float) -> float:
    """Delay before the next try after `attempts` tries; `jitter` in [0, 1) spreads the herd."""
    if policy.backoff == "fixed":
        return policy.base_seconds
    ceiling = min(policy.cap_seconds, policy.base_seconds * 2.0 ** max(attempts - 1, 0))
    # "Equal jitter": at least half the exponential delay, never more than the cap.
    return ceiling / 2 + jitter * ceiling / 2


def decide(
    error: BaseException,
    attempts: int,
    now: datetime,
    *,
    default_max_attempts: int,
    jitter: Callable[[], float] = random.random,
) -> RetryDecision:
    """Decide what happens to a job whose `attempts`-th try raised `error`."""
    policy = policy_for(error)
    max_attempts = policy.max_attempts or default_max_attempts
    if not policy.retries or attempts >= max_attempts:
        return RetryDecision(retry=False, run_at=None, delay_seconds=0.0, max_attempts=max_attempts)
    delay = backoff_seconds(policy, attempts, jitter())
    retry_after = getattr(error, "retry_after", None)
    if isinstance(retry_after, int | float) and retry_after > 0:
        # The server knows best how long it needs, within the policy's cap.
        asked = min(float(retry_after), policy.cap_seconds)
        delay = asked if policy.backoff == "fixed" else max(delay, asked)
    return RetryDecision(
        retry=True, run_at=now + timedelta(seconds=delay), delay_seconds=delay, max_attempts=max_attempts
    )
