"""The retry decision: a pure function of the error, the failures so far and the time.

Each retry policy has an attempt budget of its own: a sync that met one network error, one rate
limit and one unexpected error has used one of five, one of ten and one of three tries, not three of
three. An overall cap on failures of every kind (by default the sum of every policy's budget) is the
safety net, so no job retries for ever by failing a different way each time. Lost leases are not
failures at all and have their own budget (the manager's `max_lost_leases`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from airecruiter.errors import AIRecruiterError, NetworkError, RetryPolicy, policy_for

DEFAULT_BUDGET = "default"  # errors nobody classified (and our own without a policy of their own)


@dataclass(frozen=True)
class RetryDecision:
    """Retry at `run_at`, or give up (the item goes to the dead letter)."""

    retry: bool
    run_at: datetime | None
    delay_seconds: float
    max_attempts: int
    budget: str = DEFAULT_BUDGET  # the policy whose attempts this failure used
    tries_left: int = 0  # further failures of this kind the job may have (within the overall cap)


def budget_of(error: BaseException) -> str:
    """The name of the attempt budget a failure counts against: the class that set its policy.

    `JobTimeoutError` counts as a `NetworkError` (it inherits that policy), a plain `TimeoutError`
    or `ConnectionError` too; anything whose policy is the default counts as "default".
    """
    if isinstance(error, AIRecruiterError):
        for cls in type(error).__mro__:
            if "policy" in vars(cls):
                return DEFAULT_BUDGET if cls is AIRecruiterError else cls.__name__
    if policy_for(error) is NetworkError.policy:
        return NetworkError.__name__
    return DEFAULT_BUDGET


def _policy_classes(root: type[AIRecruiterError] = AIRecruiterError) -> Iterator[type[AIRecruiterError]]:
    for cls in root.__subclasses__():
        if "policy" in vars(cls):
            yield cls
        yield from _policy_classes(cls)


def overall_cap(default_max_attempts: int) -> int:
    """Failures of every kind together after which a job is buried: every retrying budget, summed."""
    budgets = {cls.__name__: cls.policy for cls in _policy_classes() if cls.policy.retries}
    return default_max_attempts + sum(policy.max_attempts or default_max_attempts for policy in budgets.values())


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
    total_failures: int | None = None,
    max_total_failures: int | None = None,
    jitter: Callable[[], float] = random.random,
    backoff_scale: float = 1.0,
) -> RetryDecision:
    """Decide what happens to a job whose failure `error` is the `attempts`-th under its policy.

    `total_failures` counts the job's failures of every kind (this one included); once it reaches
    `max_total_failures` (by default `overall_cap`) the job is buried whatever its policy allows.
    `backoff_scale` multiplies the wait before the retry, a server's Retry-After included (1.0 in
    production; the test suite's short soak shrinks the product's real waits with it).
    """
    policy = policy_for(error)
    budget = budget_of(error)
    max_attempts = policy.max_attempts or default_max_attempts
    cap = max_total_failures if max_total_failures is not None else overall_cap(default_max_attempts)
    spent = total_failures is not None and total_failures >= cap
    if not policy.retries or attempts >= max_attempts or spent:
        return RetryDecision(False, None, 0.0, max_attempts, budget)
    tries_left = (
        max_attempts - attempts if total_failures is None else min(max_attempts - attempts, cap - total_failures)
    )
    delay = backoff_seconds(policy, attempts, jitter())
    retry_after = getattr(error, "retry_after", None)
    if isinstance(retry_after, int | float) and retry_after > 0:
        # The server knows best how long it needs, within the policy's cap.
        asked = min(float(retry_after), policy.cap_seconds)
        delay = asked if policy.backoff == "fixed" else max(delay, asked)
    delay *= backoff_scale
    return RetryDecision(True, now + timedelta(seconds=delay), delay, max_attempts, budget, tries_left)
