"""The one place where `anthropic` and `openai` SDK errors become the product's errors.

Transient (the queue retries): 408, 409, 429, 5xx including Anthropic's 529 "overloaded", timeouts
and dropped connections → `LLMError`, with the server's Retry-After in `retry_after`. Permanent: a
refused key, a missing model, an exhausted credit balance or spend limit, a rejected request.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pydantic

from airecruiter.errors import (
    AIRecruiterError,
    ConfigurationError,
    LLMError,
    ParseError,
    PermanentError,
    ValidationError,
)

if TYPE_CHECKING:  # each adapter imports its own SDK; importing both here cost every process seconds
    import openai

# Wording that marks a 4xx as "no money left" rather than "slow down" (Anthropic: "Your credit
# balance is too low…"; OpenAI: "You exceeded your current quota, please check your plan and billing").
# Plain rate-limit texts may mention billing pages, so the pattern needs more than the bare word.
_SPEND_LIMIT = re.compile(
    r"credit balance|credits? (?:are |is )?(?:too low|exhausted|insufficient)|insufficient[_ ](?:quota|credits?|funds)"
    r"|exceeded your current quota|quota exceeded|spend(?:ing)? limit|usage limits?\b|billing[_ ](?:hard[_ ])?limit"
    r"|purchase credits|payment required",
    re.IGNORECASE,
)
_MAX_DETAIL = 300


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The server's requested delay from `retry-after-ms` or `retry-after` (seconds or HTTP date)."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        return None if parsed is None else max(0.0, float(email.utils.mktime_tz(parsed) - time.time()))


def _detail(message: object) -> str:
    text = " ".join(str(message or "").split())
    return text[:_MAX_DETAIL] + ("…" if len(text) > _MAX_DETAIL else "")


def from_status(
    status: int, api_message: str, code: str, headers: Mapping[str, str], *, service: str, model: str, key_hint: str
) -> AIRecruiterError:
    """Translate one HTTP error answer; `service` names the API in sentences a person reads."""
    detail = _detail(api_message)
    if status in (400, 402, 403, 429) and (_SPEND_LIMIT.search(f"{api_message} {code}")):
        return PermanentError(
            f"{service} refused the request because the account is out of credit or over its spend limit "
            f"({detail}). Add credit or raise the limit, then retry the dead jobs."
        )
    if status == 401:
        # The server's text is left out: some servers echo part of the rejected key.
        return ConfigurationError(
            f"{service} rejected the API key (HTTP 401). Check {key_hint} and restart the service."
        )
    if status == 403:
        return ConfigurationError(
            f"{service} denied access (HTTP 403: {detail}). Check {key_hint} and its permissions."
        )
    if status == 404:
        return ConfigurationError(
            f"{service} does not know the model '{model}' (HTTP 404: {detail}). Check the configured model name."
        )
    if status in (408, 409, 429) or status >= 500:
        what = {429: "is rate limiting us", 529: "is overloaded"}.get(status, f"failed (HTTP {status})")
        return LLMError(f"{service} {what}: {detail or 'no details'}", retry_after=retry_after_seconds(headers))
    if status in (413, 422) or status == 400:
        return ValidationError(f"{service} rejected the request as invalid (HTTP {status}: {detail}).")
    return PermanentError(f"{service} refused the request (HTTP {status}: {detail}).")


def _timeout_error(service: str) -> LLMError:
    return LLMError(f"{service} did not answer in time; the job will be retried.")


def translate_anthropic(exc: BaseException, *, model: str, key_hint: str = "ANTHROPIC_API_KEY") -> BaseException:
    """The product error for an exception raised by the `anthropic` SDK (others pass through)."""
    import anthropic

    service = "The Anthropic API"
    if isinstance(exc, anthropic.APITimeoutError):
        return _timeout_error(service)
    if isinstance(exc, anthropic.APIConnectionError):
        return LLMError(f"{service} could not be reached: {_detail(exc.message)}")
    if isinstance(exc, anthropic.APIStatusError):
        return from_status(
            exc.status_code,
            exc.api_message or exc.message,
            exc.error_code or str(exc.type or ""),
            exc.response.headers,
            service=service,
            model=model,
            key_hint=key_hint,
        )
    if isinstance(exc, anthropic.APIResponseValidationError):
        return ParseError(f"{service} sent a response that is not a valid message: {_detail(exc.message)}")
    return _maybe_parse_error(exc)


def _openai_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])
        if isinstance(error, str):
            return error
    return exc.message


def translate_openai(
    exc: BaseException, *, model: str, base_url: str, key_hint: str = "the API key of the OpenAI-compatible server"
) -> BaseException:
    """The product error for an exception raised by the `openai` SDK (others pass through)."""
    import openai

    service = f"The OpenAI-compatible server at {base_url}"
    if isinstance(exc, openai.APITimeoutError):
        return _timeout_error(service)
    if isinstance(exc, openai.APIConnectionError):
        return LLMError(f"{service} could not be reached: {_detail(exc.message)}")
    if isinstance(exc, openai.APIStatusError):
        code = f"{exc.code or ''} {exc.type or ''}"
        return from_status(
            exc.status_code,
            _openai_message(exc),
            code,
            exc.response.headers,
            service=service,
            model=model,
            key_hint=key_hint,
        )
    if isinstance(exc, openai.APIResponseValidationError):
        return ParseError(f"{service} sent a response that is not a valid completion: {_detail(exc.message)}")
    return _maybe_parse_error(exc)


def _maybe_parse_error(exc: BaseException) -> BaseException:
    if isinstance(exc, pydantic.ValidationError):
        return invalid_output(exc)
    return exc


def invalid_output(exc: pydantic.ValidationError | ValueError) -> ParseError:
    """A ParseError naming the first few problems with the model's output."""
    if isinstance(exc, pydantic.ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'output'}: {err['msg']}" for err in exc.errors()[:3]
        )
    else:
        problems = str(exc)
    return ParseError(f"The model's answer did not match the expected format ({_detail(problems)}).")
