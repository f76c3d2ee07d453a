"""How SES error responses are classified: retry later, refused invitation, or a sender problem."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from airecruiter.adapters.email.ses import _client_error as ses_error
from airecruiter.errors import ConfigurationError, NetworkError, PermanentError, ValidationError


def client_error(code: str, status: int, message: str = "") -> ClientError:
    """An error response as botocore builds it from the wire."""
    return ClientError(
        {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}, "SendEmail"
    )


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        ("TooManyRequestsException", 429, NetworkError),
        ("LimitExceededException", 400, NetworkError),
        ("MessageRejected", 400, ValidationError),
        ("BadRequestException", 400, ValidationError),
        ("SendingPausedException", 400, ConfigurationError),
        ("AccessDeniedException", 403, ConfigurationError),
        ("InternalFailure", 500, NetworkError),
        ("SomethingNew", 400, PermanentError),
    ],
)
def test_ses_errors(code: str, status: int, expected: type[Exception]) -> None:
    assert type(ses_error(client_error(code, status, "details"), "ada@candidates.example")) is expected


def test_a_rejection_names_the_recipient_and_the_reason() -> None:
    error = ses_error(client_error("MessageRejected", 400, "Email address is not verified."), "ada@candidates.example")
    assert "ada@candidates.example" in str(error) and "not verified" in str(error)
