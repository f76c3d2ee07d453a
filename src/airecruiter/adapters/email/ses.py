"""Amazon SES v2 mailer: sends the invitation as raw MIME through aiobotocore."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from types import TracebackType
from typing import TYPE_CHECKING, Self

import aiohttp
from aiobotocore.config import AioConfig
from botocore import exceptions as boto

from airecruiter.adapters.aws_client import LazyAwsClient
from airecruiter.adapters.email.invitation import (
    build_invitation_message,
    checked_sender,
    message_bytes,
    new_message_id,
)
from airecruiter.adapters.email.plain_message import build_plain_message
from airecruiter.errors import ConfigurationError, NetworkError, PermanentError, ValidationError
from airecruiter.ports.mail import InterviewInvitation, PlainEmail

if TYPE_CHECKING:
    from types_aiobotocore_sesv2 import SESV2Client
    from types_aiobotocore_sesv2.type_defs import DestinationTypeDef, EmailContentTypeDef

_THROTTLED = frozenset({"TooManyRequestsException", "ThrottlingException", "Throttling", "LimitExceededException"})
_REFUSED = frozenset({"MessageRejected", "BadRequestException", "InvalidParameterValue", "ValidationException"})
_SENDER_PROBLEM = frozenset(
    {
        "AccountSuspendedException",
        "SendingPausedException",
        "MailFromDomainNotVerifiedException",
        "NotFoundException",
        "AccessDeniedException",
        "AccessDenied",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "ExpiredTokenException",
    }
)


def _client_error(exc: boto.ClientError, to_email: str) -> Exception:
    """Our error for an SES error response."""
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    detail = str(error.get("Message", "")) or code
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    if code in _THROTTLED:
        return NetworkError(f"SES is throttling us ({code}); the invitation will be sent later.")
    if code in _REFUSED:
        return ValidationError(f"SES refused the invitation to {to_email}: {detail}")
    if code in _SENDER_PROBLEM:
        return ConfigurationError(
            f"SES will not send for this account or sender ({code}: {detail}); "
            "check SES_FROM_EMAIL is verified and the AWS credentials may use ses:SendEmail."
        )
    if status >= 500:
        return NetworkError(f"SES failed for now ({code or status}); the invitation will be sent later.")
    return PermanentError(f"SES refused the invitation to {to_email} ({code or status}: {detail}).")


@contextmanager
def _translated(to_email: str) -> Iterator[None]:
    """Turn the SDK's errors into ours: the one place SES failures are classified."""
    try:
        yield
    except boto.ClientError as exc:
        raise _client_error(exc, to_email) from exc
    except (boto.NoCredentialsError, boto.PartialCredentialsError) as exc:
        raise ConfigurationError("No usable AWS credentials were found for SES; configure them.") from exc
    except (boto.ConnectionError, boto.HTTPClientError, aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise NetworkError(f"Could not reach SES: {exc}") from exc
    except boto.BotoCoreError as exc:
        raise NetworkError(f"SES call failed: {exc}") from exc


class SesMailer:
    """A `Mailer` over SES v2 from `from_name <from_email>`; call `aclose()` (or `async with`) when done."""

    def __init__(
        self,
        *,
        region: str,
        from_email: str,
        from_name: str = "AIRecruiter",
        endpoint_url: str | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        configuration_set: str | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        max_attempts: int = 2,
    ) -> None:
        self.from_email, self.from_name = checked_sender(from_email, from_name)
        self._configuration_set = configuration_set
        # The queue owns retries; botocore's own are kept to a quick second try for blips.
        self._config = AioConfig(
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"max_attempts": max_attempts, "mode": "standard"},
        )
        self._client: LazyAwsClient[SESV2Client] = LazyAwsClient(
            "sesv2",
            self._config,
            region_name=region,
            endpoint_url=endpoint_url,
            aws_access_key_id=aws_access_key_id,
            aws_secret_access_key=aws_secret_access_key,
            aws_session_token=aws_session_token,
        )

    async def _ses(self) -> SESV2Client:
        return await self._client.get()

    async def aclose(self) -> None:
        """Close the client and its connection pool."""
        await self._client.aclose()

    async def __aenter__(self) -> Self:
        await self._ses()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def new_message_id(self) -> str:
        """A fresh Message-ID in the sender's domain (SES replaces it on the wire with one of its own)."""
        return new_message_id(self.from_email)

    async def delivered(self, message_id: str) -> None:
        """Unknowable: SES has no look-up by Message-ID (and overwrites the header with its own)."""
        return None

    async def send_interview_invitation(self, invitation: InterviewInvitation, *, message_id: str | None = None) -> str:
        """Send the invitation; SES's MessageId."""
        message = build_invitation_message(
            invitation, from_email=self.from_email, from_name=self.from_name, message_id=message_id
        )
        return await self._send(message, invitation.to_email)

    async def send_plain_email(self, email: PlainEmail, *, message_id: str) -> str:
        """Send a plain-text email; SES's MessageId."""
        message = build_plain_message(
            email, from_email=self.from_email, from_name=self.from_name, message_id=message_id
        )
        return await self._send(message, email.to_email)

    async def _send(self, message: EmailMessage, to_email: str) -> str:
        client = await self._ses()
        destination: DestinationTypeDef = {"ToAddresses": [to_email]}
        content: EmailContentTypeDef = {"Raw": {"Data": message_bytes(message)}}
        with _translated(to_email):
            if self._configuration_set:
                response = await client.send_email(
                    FromEmailAddress=self.from_email,
                    Destination=destination,
                    Content=content,
                    ConfigurationSetName=self._configuration_set,
                )
            else:
                response = await client.send_email(
                    FromEmailAddress=self.from_email,
                    Destination=destination,
                    Content=content,
                )
        return response["MessageId"]
