"""How S3 error responses are classified: not found, permanent, transient, or a configuration problem."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from airecruiter.adapters.storage.s3 import _client_error as s3_error
from airecruiter.errors import ConfigurationError, PermanentError, StorageError
from airecruiter.ports.storage import ObjectNotFoundError


def client_error(code: str, status: int, message: str = "") -> ClientError:
    """An error response as botocore builds it from the wire."""
    return ClientError(
        {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}, "AnyOperation"
    )


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        ("NoSuchKey", 404, ObjectNotFoundError),
        ("404", 404, ObjectNotFoundError),
        ("NoSuchBucket", 404, ConfigurationError),
        ("AccessDenied", 403, PermanentError),
        ("InvalidAccessKeyId", 403, ConfigurationError),
        ("SlowDown", 503, StorageError),
        ("InternalError", 500, StorageError),
        ("SomethingNew", 502, StorageError),
        ("InvalidArgument", 400, PermanentError),
    ],
)
def test_s3_errors(code: str, status: int, expected: type[Exception]) -> None:
    error = s3_error(client_error(code, status), "read", "applications/1/resume/cv.pdf", "bucket")
    assert type(error) is expected


def test_access_denied_says_what_to_grant() -> None:
    error = s3_error(client_error("AccessDenied", 403), "store", "applications/1/resume/cv.pdf", "cv-bucket")
    assert "access denied" in str(error) and "s3:PutObject" in str(error) and "cv-bucket" in str(error)
