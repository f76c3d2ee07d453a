"""Error classes. Each class carries the retry policy the queue applies to it.

The policies: docs/architecture.md, the queue's promises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

BackoffKind = Literal["exponential", "fixed", "none"]


@dataclass(frozen=True)
class RetryPolicy:
    """How the queue retries a failed job: backoff shape, delays and the attempt budget."""

    backoff: BackoffKind
    max_attempts: int | None  # None: the deployment's QUEUE_MAX_ATTEMPTS
    base_seconds: float = 0.0
    cap_seconds: float = 0.0

    @property
    def retries(self) -> bool:
        """Whether a failure under this policy is ever retried."""
        return self.backoff != "none"


NO_RETRY = RetryPolicy(backoff="none", max_attempts=1)
DEFAULT_POLICY = RetryPolicy(backoff="exponential", max_attempts=None, base_seconds=10.0, cap_seconds=900.0)


class AIRecruiterError(Exception):
    """Base of every error the product raises on purpose."""

    policy: ClassVar[RetryPolicy] = DEFAULT_POLICY

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class TransientError(AIRecruiterError):
    """Something outside us failed for now; trying again later may succeed."""


class NetworkError(TransientError):
    """A connection failed or an API call timed out."""

    policy = RetryPolicy(backoff="exponential", max_attempts=5, base_seconds=5.0, cap_seconds=600.0)


class JobTimeoutError(NetworkError):
    """A job ran longer than its job type allows and was stopped."""


class WorkdayRateLimitError(TransientError):
    """Workday throttled us; wait a fixed minute, or as long as it asked."""

    policy = RetryPolicy(backoff="fixed", max_attempts=10, base_seconds=60.0, cap_seconds=3600.0)


class WorkdayUnexpectedError(TransientError):
    """Workday's generic processing fault ("An unexpected error occurred."): transient in practice."""

    policy = RetryPolicy(backoff="exponential", max_attempts=3, base_seconds=30.0, cap_seconds=600.0)


class LLMError(TransientError):
    """The language-model API failed or was overloaded."""

    policy = RetryPolicy(backoff="exponential", max_attempts=3, base_seconds=15.0, cap_seconds=900.0)


class StorageError(TransientError):
    """Reading or writing an artifact in storage failed."""

    policy = RetryPolicy(backoff="exponential", max_attempts=5, base_seconds=5.0, cap_seconds=600.0)


class DocumentTimeoutError(TransientError):
    """Reading a document ran past its time limit: the parser's failure (a busy machine, a slow path in
    our code), not the candidate's file, so the job is tried again a few times."""

    policy = RetryPolicy(backoff="exponential", max_attempts=3, base_seconds=60.0, cap_seconds=900.0)


class MailDeferredError(TransientError):
    """An email is still unsent (the mail server refused it for now); a mail server may be down for hours."""

    policy = RetryPolicy(backoff="exponential", max_attempts=10, base_seconds=60.0, cap_seconds=3600.0)


class PermanentError(AIRecruiterError):
    """Trying again will not help; a person has to look."""

    policy = NO_RETRY


class ParseError(PermanentError):
    """A document or response could not be parsed or its text extracted."""


class ValidationError(PermanentError):
    """Input was refused as invalid."""


class ConfigurationError(PermanentError):
    """The service is configured wrongly; the message names the setting."""


class IllegalTransitionError(PermanentError):
    """A status change the domain rules do not allow."""


def policy_for(error: BaseException) -> RetryPolicy:
    """The retry policy of an error; exceptions we did not classify get the default policy."""
    if isinstance(error, AIRecruiterError):
        return type(error).policy
    if isinstance(error, TimeoutError | ConnectionError):
        return NetworkError.policy
    return DEFAULT_POLICY


def describe(error: BaseException) -> str:
    """`ClassName: message`, the form kept in `last_error` and the job history."""
    text = str(error).strip() or repr(error)
    return f"{type(error).__name__}: {text}"
