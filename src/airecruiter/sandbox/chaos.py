"""Switches that make the sandbox behave like the less friendly corners of a real tenant (spec 9.1, 9.4, 9.5).

Every behaviour the spec marks as a guess ([I]/[U]) is a field here, so a test can exercise
each client path. A `Chaos` is mutable: tests flip fields in Python, the CLI and other processes
through the control API (`update`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any, Literal, get_args

AuthFailureStyle = Literal["http401", "fault500"]
ThrottleStyle = Literal["alternate", "http429", "http500_empty", "http500_html"]
Shape = Literal["v4x", "v31"]

_CHOICES: dict[str, tuple[str, ...]] = {
    "auth_failure_style": get_args(AuthFailureStyle),
    "throttle_style": get_args(ThrottleStyle),
    "shape": get_args(Shape),
}
_VERSION = re.compile(r"^v(\d+)\.(\d+)$")


@dataclass
class Chaos:
    """Fault injection and behaviour switches; defaults are a well-behaved tenant."""

    # token endpoint (9.1.1)
    ttl: int = 3600  # access-token lifetime in seconds
    omit_expires_in: bool = False
    rotate_refresh_token: bool = False  # every grant returns a new refresh token and revokes the old one
    html_error: bool = False  # token errors as an HTML page instead of OAuth JSON
    # SOAP endpoint (9.1.2)
    auth_failure_style: AuthFailureStyle = "http401"
    supported_versions: str = "v42.0..v47.0"  # comma-separated versions and inclusive ranges
    # Operations the integration system user has no security grant for (comma-separated names,
    # e.g. "Get_Candidates"): Workday answers them "The web service or version is invalid ...".
    ungranted_operations: str = ""
    # throttling and failures (9.5); "every N" counts SOAP calls, 0 turns the switch off
    throttle_every: int = 0
    throttle_style: ThrottleStyle = "alternate"
    server_error_every: int = 0
    latency_ms: int = 0
    expire_token_after_n_calls: int = 0  # an access token dies after this many SOAP calls
    drop_connection_every: int = 0  # close the socket half-way through the response body
    invalid_request_guardrail: int = 0  # K validation/auth faults within the window → 429 for a while
    guardrail_window_seconds: float = 60.0
    guardrail_block_seconds: float = 30.0
    # operation semantics (9.4)
    attachments_read_only: bool = False
    reject_requisition_filter: bool = False
    empty_criteria_returns_nothing: bool = True
    trim_applications_to_requisition: bool = False
    ignore_transaction_log: bool = False
    shape: Shape = "v4x"

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ValueError naming the first field whose value makes no sense."""
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name in _CHOICES and value not in _CHOICES[field.name]:
                raise ValueError(f"{field.name} must be one of {', '.join(_CHOICES[field.name])}, not {value!r}")
            if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                raise ValueError(f"{field.name} must not be negative")
        if self.ttl < 1:
            raise ValueError("ttl must be at least 1 second")
        version_ranges(self.supported_versions)

    def update(self, changes: dict[str, Any]) -> None:
        """Apply a partial update (e.g. from JSON); unknown names and wrong types raise ValueError."""
        types = {f.name: f.type for f in dataclasses.fields(self)}
        previous = self.as_dict()
        for name, value in changes.items():
            if name not in types:
                raise ValueError(f"unknown chaos switch {name!r}")
            setattr(self, name, _coerce(name, str(types[name]), value))
        try:
            self.validate()
        except ValueError:
            for name, value in previous.items():
                setattr(self, name, value)
            raise

    def reset(self) -> None:
        """Back to the defaults."""
        for field in dataclasses.fields(self):
            setattr(self, field.name, field.default)

    def as_dict(self) -> dict[str, Any]:
        """The switches as a JSON-ready dict."""
        return dataclasses.asdict(self)

    def grants(self, operation: str) -> bool:
        """False when `ungranted_operations` names this operation."""
        return operation not in {o.strip() for o in self.ungranted_operations.split(",")}

    def supports_version(self, version: str) -> bool:
        """True when the URL's version is well formed and inside `supported_versions`."""
        parsed = _parse_version(version)
        ranges = version_ranges(self.supported_versions)
        return parsed is not None and any(low <= parsed <= high for low, high in ranges)


def _coerce(name: str, type_name: str, value: Any) -> Any:
    if type_name == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false")
        return value
    if type_name in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{name} must be a number")
        if type_name == "int" and value != int(value):
            raise ValueError(f"{name} must be a whole number")
        return int(value) if type_name == "int" else float(value)
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string")
    return value


def _parse_version(text: str) -> tuple[int, int] | None:
    match = _VERSION.match(text.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def version_ranges(spec: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """'v42.0..v47.0,v31.2' → inclusive (low, high) pairs; ValueError when malformed."""
    ranges = []
    for part in spec.split(","):
        low_text, _, high_text = part.strip().partition("..")
        low = _parse_version(low_text)
        high = _parse_version(high_text) if high_text else low
        if low is None or high is None or high < low:
            raise ValueError(
                f"supported_versions: {part.strip()!r} is not a version like v43.2 or a range like v42.0..v47.0"
            )
        ranges.append((low, high))
    return ranges
