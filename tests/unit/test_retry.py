"""The retry decision, pinned as a table: which errors retry, how long they wait, when they die."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from airecruiter.errors import (
    DEFAULT_POLICY,
    AIRecruiterError,
    ConfigurationError,
    IllegalTransitionError,
    JobTimeoutError,
    LLMError,
    NetworkError,
    ParseError,
    StorageError,
    TransientError,
    ValidationError,
    WorkdayRateLimitError,
    WorkdayUnexpectedError,
    describe,
    policy_for,
)
from airecruiter.queue.retry import backoff_seconds, budget_of, decide, overall_cap

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
LOW, HIGH = 0.0, 0.999999  # the ends of the jitter range [0, 1)


def _decide(error: BaseException, attempts: int, *, jitter: float = LOW, default_max: int = 3):
    return decide(error, attempts, NOW, default_max_attempts=default_max, jitter=lambda: jitter)


# (error, attempts made so far, expected delay with jitter 0, expected delay with jitter ~1)
# `None` delays mean the item goes to the dead letter instead of being retried.
SCHEDULE = [
    # Network / API timeout: exponential from 5 s, 5 attempts.
    (NetworkError("connection reset"), 1, 2.5, 5.0),
    (NetworkError("connection reset"), 2, 5.0, 10.0),
    (NetworkError("connection reset"), 3, 10.0, 20.0),
    (NetworkError("connection reset"), 4, 20.0, 40.0),
    (NetworkError("connection reset"), 5, None, None),
    (TimeoutError("read timed out"), 1, 2.5, 5.0),
    (ConnectionRefusedError("refused"), 4, 20.0, 40.0),
    (ConnectionResetError("reset"), 5, None, None),
    (JobTimeoutError("analyze ran longer than its 300 s limit"), 4, 20.0, 40.0),
    (JobTimeoutError("analyze ran longer than its 300 s limit"), 5, None, None),
    # Workday rate limit: a fixed minute, no jitter, 10 attempts.
    (WorkdayRateLimitError("throttled"), 1, 60.0, 60.0),
    (WorkdayRateLimitError("throttled"), 5, 60.0, 60.0),
    (WorkdayRateLimitError("throttled"), 9, 60.0, 60.0),
    (WorkdayRateLimitError("throttled"), 10, None, None),
    # Workday's generic "An unexpected error occurred." fault: exponential from 30 s, 3 attempts.
    (WorkdayUnexpectedError("An unexpected error occurred."), 1, 15.0, 30.0),
    (WorkdayUnexpectedError("An unexpected error occurred."), 2, 30.0, 60.0),
    (WorkdayUnexpectedError("An unexpected error occurred."), 3, None, None),
    # LLM API error: exponential from 15 s, 3 attempts.
    (LLMError("overloaded"), 1, 7.5, 15.0),
    (LLMError("overloaded"), 2, 15.0, 30.0),
    (LLMError("overloaded"), 3, None, None),
    # Storage (S3): exponential from 5 s, 5 attempts.
    (StorageError("503 Slow Down"), 1, 2.5, 5.0),
    (StorageError("503 Slow Down"), 4, 20.0, 40.0),
    (StorageError("503 Slow Down"), 5, None, None),
    # Parse / validation (and every other permanent error): never retried.
    (ParseError("no text in resume.pdf"), 1, None, None),
    (ValidationError("candidate email is missing"), 1, None, None),
    (ConfigurationError("S3_BUCKET is not set"), 1, None, None),
    (IllegalTransitionError("new -> complete"), 1, None, None),
    # Anything else: the default policy, exponential from 10 s, QUEUE_MAX_ATTEMPTS (3 here).
    (KeyError("artifacts"), 1, 5.0, 10.0),
    (RuntimeError("surprise"), 2, 10.0, 20.0),
    (ValueError("bad"), 3, None, None),
    (TransientError("flaky"), 2, 10.0, 20.0),
    (AIRecruiterError("ours, unclassified"), 3, None, None),
]


@pytest.mark.parametrize(
    ("error", "attempts", "low", "high"), SCHEDULE, ids=[f"{type(e).__name__}-attempt{a}" for e, a, _, _ in SCHEDULE]
)
def test_backoff_schedule(error: BaseException, attempts: int, low: float | None, high: float | None) -> None:
    early, late = _decide(error, attempts, jitter=LOW), _decide(error, attempts, jitter=HIGH)
    if low is None:
        assert not early.retry and not late.retry
        assert early.run_at is None and early.delay_seconds == 0.0
        return
    assert early.retry and late.retry
    assert early.delay_seconds == pytest.approx(low)
    assert late.delay_seconds == pytest.approx(high, rel=1e-5)
    assert early.run_at == NOW + timedelta(seconds=early.delay_seconds)


@pytest.mark.parametrize(
    ("error", "max_attempts"),
    [
        (NetworkError("x"), 5),
        (TimeoutError("x"), 5),
        (WorkdayRateLimitError("x"), 10),
        (LLMError("x"), 3),
        (StorageError("x"), 5),
        (ParseError("x"), 1),
        (ValidationError("x"), 1),
    ],
)
def test_each_error_class_has_its_own_attempt_budget(error: BaseException, max_attempts: int) -> None:
    # The configured default (7) applies only to errors without a budget of their own.
    assert _decide(error, 1, default_max=7).max_attempts == max_attempts


@pytest.mark.parametrize("default_max", [1, 3, 7])
def test_unclassified_error_gets_queue_max_attempts(default_max: int) -> None:
    error = RuntimeError("something nobody classified")
    assert policy_for(error) == DEFAULT_POLICY
    for attempt in range(1, default_max):
        decision = _decide(error, attempt, default_max=default_max)
        assert decision.retry and decision.max_attempts == default_max
    assert not _decide(error, default_max, default_max=default_max).retry


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        (120, 120.0),  # longer than the fixed minute: wait as long as Workday asked
        (5.5, 5.5),  # shorter: Workday knows it is ready sooner
        (7200, 3600.0),  # absurd: capped
        (0, 60.0),  # no usable hint: the fixed minute
        (None, 60.0),
    ],
)
def test_workday_rate_limit_honours_retry_after(retry_after: float | None, expected: float) -> None:
    error = WorkdayRateLimitError("429 Too Many Requests", retry_after=retry_after)
    decision = _decide(error, 3, jitter=HIGH)
    assert decision.retry
    assert decision.delay_seconds == pytest.approx(expected)
    assert decision.run_at == NOW + timedelta(seconds=expected)


def test_exponential_policy_waits_at_least_retry_after_within_its_cap() -> None:
    assert _decide(LLMError("529", retry_after=100), 1).delay_seconds == pytest.approx(100)
    # A hint shorter than the backoff does not shorten it.
    assert _decide(LLMError("529", retry_after=1), 2).delay_seconds == pytest.approx(15)
    assert _decide(LLMError("529", retry_after=10_000), 1).delay_seconds == pytest.approx(900)


@pytest.mark.parametrize("error", [NetworkError("x"), LLMError("x"), StorageError("x"), RuntimeError("x")])
def test_backoff_never_exceeds_the_cap(error: BaseException) -> None:
    policy = policy_for(error)
    delays = [backoff_seconds(policy, attempt, jitter) for attempt in range(1, 40) for jitter in (LOW, 0.5, HIGH)]
    assert max(delays) <= policy.cap_seconds
    assert backoff_seconds(policy, 39, HIGH) == pytest.approx(policy.cap_seconds, rel=1e-5)
    # Late attempts under a generous budget still wait no longer than the cap.
    late = _decide(error, 30, jitter=HIGH, default_max=100)
    if late.retry:
        assert late.delay_seconds <= policy.cap_seconds


@pytest.mark.parametrize(
    ("error", "attempts"),
    [
        (WorkdayUnexpectedError("An unexpected error occurred."), 1),
        (LLMError("500"), 1),
        (WorkdayRateLimitError("429", retry_after=20), 1),  # a server's Retry-After too
        (NetworkError("reset"), 2),
    ],
)
def test_the_backoff_scale_multiplies_every_wait_and_changes_nothing_else(error: BaseException, attempts: int) -> None:
    real = _decide(error, attempts, jitter=HIGH)
    scaled = decide(error, attempts, NOW, default_max_attempts=3, jitter=lambda: HIGH, backoff_scale=0.1)
    assert real.retry and scaled.retry
    assert scaled.delay_seconds == pytest.approx(real.delay_seconds * 0.1)
    assert scaled.run_at == NOW + timedelta(seconds=scaled.delay_seconds)
    assert (scaled.max_attempts, scaled.budget, scaled.tries_left) == (real.max_attempts, real.budget, real.tries_left)


def test_random_jitter_stays_between_half_and_all_of_the_exponential_delay() -> None:
    delays = [decide(NetworkError("x"), 3, NOW, default_max_attempts=3).delay_seconds for _ in range(500)]
    assert all(10.0 <= d <= 20.0 for d in delays)
    assert len({round(d, 3) for d in delays}) > 1  # the herd is actually spread


def test_retry_after_on_a_plain_exception_is_used_too() -> None:
    error = ConnectionError("reset")
    error.retry_after = 30  # type: ignore[attr-defined]
    assert _decide(error, 1).delay_seconds == pytest.approx(30)


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (NetworkError("Workday did not answer within 30 s"), "NetworkError: Workday did not answer within 30 s"),
        (ValueError("  padded  "), "ValueError: padded"),
        (KeyError("artifacts"), "KeyError: 'artifacts'"),
        (RuntimeError(), "RuntimeError: RuntimeError()"),
    ],
)
def test_describe_keeps_class_and_message(error: BaseException, text: str) -> None:
    assert describe(error) == text


# --- one attempt budget per retry policy, and an overall cap ----------------------------------------

# (error, this policy's failures so far including this one, failures of every kind, retried?)
# The overall cap is 20 here.
BUDGETS = [
    # The soak's sync: a network error, a rate limit, then Workday's unexpected error, once each.
    (WorkdayUnexpectedError("An unexpected error occurred."), 1, 3, True),
    (NetworkError("reset"), 1, 3, True),
    (WorkdayRateLimitError("throttled"), 1, 3, True),
    # Each policy still ends at its own budget, however few failures of other kinds came first.
    (WorkdayUnexpectedError("An unexpected error occurred."), 3, 3, False),
    (WorkdayUnexpectedError("An unexpected error occurred."), 2, 9, True),
    (NetworkError("reset"), 5, 5, False),
    (WorkdayRateLimitError("throttled"), 9, 12, True),
    (RuntimeError("surprise"), 3, 4, False),
    (ParseError("no text"), 1, 3, False),
    # The overall cap buries a job that keeps failing a different way.
    (LLMError("overloaded"), 1, 19, True),
    (LLMError("overloaded"), 1, 20, False),
    (WorkdayRateLimitError("throttled"), 2, 25, False),
]


@pytest.mark.parametrize(
    ("error", "attempts", "total", "retried"),
    BUDGETS,
    ids=[f"{type(e).__name__}-{a}-of-{t}" for e, a, t, _ in BUDGETS],
)
def test_each_policy_counts_its_own_failures_within_an_overall_cap(
    error: BaseException, attempts: int, total: int, retried: bool
) -> None:
    decision = decide(
        error, attempts, NOW, default_max_attempts=3, total_failures=total, max_total_failures=20, jitter=lambda: LOW
    )
    assert decision.retry is retried
    assert decision.budget == budget_of(error)


@pytest.mark.parametrize(
    ("error", "budget"),
    [
        (NetworkError("x"), "NetworkError"),
        (JobTimeoutError("x"), "NetworkError"),  # inherits the network policy, and its budget
        (TimeoutError("x"), "NetworkError"),
        (ConnectionResetError("x"), "NetworkError"),
        (WorkdayRateLimitError("x"), "WorkdayRateLimitError"),
        (WorkdayUnexpectedError("x"), "WorkdayUnexpectedError"),
        (LLMError("x"), "LLMError"),
        (StorageError("x"), "StorageError"),
        (ParseError("x"), "PermanentError"),
        (KeyError("x"), "default"),
        (TransientError("x"), "default"),
        (AIRecruiterError("x"), "default"),
    ],
)
def test_a_failure_counts_against_the_budget_of_the_class_that_set_its_policy(
    error: BaseException, budget: str
) -> None:
    assert budget_of(error) == budget


def test_the_default_overall_cap_is_every_retrying_policys_budget_summed() -> None:
    # network 5, rate limit 10, unexpected 3, LLM 3, storage 5, document timeout 3, default 3
    assert overall_cap(3) >= 32
    assert overall_cap(7) == overall_cap(3) + 4
    error = WorkdayRateLimitError("throttled")
    assert _decide(error, 2).retry
    assert not decide(error, 2, NOW, default_max_attempts=3, total_failures=overall_cap(3)).retry


@pytest.mark.parametrize(
    ("error", "attempts", "total", "left"),
    [
        (WorkdayUnexpectedError("x"), 1, 3, 2),  # this policy's budget: 3, one used
        (WorkdayRateLimitError("x"), 2, 17, 3),  # the overall cap (20) is nearer
        (NetworkError("x"), 5, 5, 0),  # buried: nothing left
    ],
)
def test_a_decision_says_how_many_more_failures_of_its_kind_the_job_may_have(
    error: BaseException, attempts: int, total: int, left: int
) -> None:
    decision = decide(error, attempts, NOW, default_max_attempts=3, total_failures=total, max_total_failures=20)
    assert decision.tries_left == left
