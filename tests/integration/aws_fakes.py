"""Real peers on loopback for the storage and mail adapters: moto's server (S3, SES v2) and aiosmtpd.

Import the fixtures you use into a test module (`from tests.integration.aws_fakes import ...`).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import ssl
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiobotocore.session import get_session
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from moto.core import DEFAULT_ACCOUNT_ID
from moto.server import ThreadedMotoServer
from moto.ses.models import ses_backends

from airecruiter.adapters.storage.s3 import S3Storage
from airecruiter.ports.mail import InterviewInvitation
from tests.integration.processes import free_port

REGION = "eu-west-1"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
SES_SENDER = "recruiting@airecruiter.example"
SMTP_USER, SMTP_PASSWORD = "mailer", "correct horse"


# ---------------------------------------------------------------- moto (S3, SES v2)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """The URL of moto's server, on loopback, for the whole session."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
async def s3_bucket(moto_endpoint: str) -> str:
    """A new, empty bucket in moto's S3."""
    name = f"airecruiter-test-{uuid.uuid4().hex[:12]}"
    async with get_session().create_client("s3", region_name=REGION, endpoint_url=moto_endpoint, **CREDENTIALS) as s3:
        await s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


@pytest.fixture
async def s3_storage(moto_endpoint: str, s3_bucket: str) -> AsyncIterator[S3Storage]:
    """An S3Storage over that bucket, closed after the test."""
    async with S3Storage(bucket=s3_bucket, region=REGION, endpoint_url=moto_endpoint, **CREDENTIALS) as storage:
        yield storage


async def head_object(endpoint: str, bucket: str, key: str) -> Any:
    """S3's metadata of a stored object, read with a client of our own."""
    async with get_session().create_client("s3", region_name=REGION, endpoint_url=endpoint, **CREDENTIALS) as s3:
        return await s3.head_object(Bucket=bucket, Key=key)


@pytest.fixture(scope="session")
async def ses_sender(moto_endpoint: str) -> str:
    """SES_SENDER, verified as a sending identity in moto's SES (SES refuses unverified senders)."""
    async with get_session().create_client(
        "sesv2", region_name=REGION, endpoint_url=moto_endpoint, **CREDENTIALS
    ) as ses:
        await ses.create_email_identity(EmailIdentity=SES_SENDER)
    return SES_SENDER


def ses_sent_raw(message_id: str) -> bytes:
    """The raw MIME moto's SES received under that MessageId (v2 raw sends land in the v1 backend)."""
    for sent in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages:
        if sent.id == message_id:
            return str(sent.raw_data).encode()
    raise AssertionError(f"SES holds no message {message_id}")


# ---------------------------------------------------------------- SMTP (aiosmtpd)


@dataclass
class SmtpRecorder:
    """An aiosmtpd handler that keeps what it receives; some domains are refused or deferred."""

    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address.endswith("@refused.example"):
            return "550 5.1.1 No such mailbox"
        if address.endswith("@deferred.example"):
            return "451 4.3.0 Mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def last_message(self) -> EmailMessage:
        """The most recent message, parsed."""
        assert self.envelopes, "the SMTP server received nothing"
        return parse_message(bytes(self.envelopes[-1].content or b""))


def _authenticate(server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (SMTP_USER.encode(), SMTP_PASSWORD.encode())
    # handled=False: aiosmtpd then answers 535 itself on a failed login.
    return AuthResult(success=ok, handled=False)


@dataclass
class SmtpServer:
    """A running aiosmtpd server and what it received."""

    host: str
    port: int
    recorder: SmtpRecorder
    client_tls: ssl.SSLContext | None = None


def _start(recorder: SmtpRecorder, **kwargs: Any) -> Controller:
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    return controller


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP server (no TLS, no login)."""
    recorder = SmtpRecorder()
    controller = _start(recorder)
    yield SmtpServer("127.0.0.1", controller.port, recorder)
    controller.stop()


@pytest.fixture
def smtp_tls_server(tmp_path: Path) -> Iterator[SmtpServer]:
    """An SMTP server that requires STARTTLS (self-signed certificate for 127.0.0.1) and a login."""
    cert, key = _self_signed_certificate(tmp_path)
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    recorder = SmtpRecorder()
    controller = _start(recorder, tls_context=server_tls, require_starttls=True, authenticator=_authenticate)
    yield SmtpServer("127.0.0.1", controller.port, recorder, ssl.create_default_context(cafile=str(cert)))
    controller.stop()


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


# ---------------------------------------------------------------- reading mail back


def parse_message(raw: bytes) -> EmailMessage:
    """A received message, parsed with the modern policy."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def alternatives(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies of a multipart/alternative message, whitespace collapsed.

    Both wrap lines where a reader sees a space, so phrases are searched for in collapsed text.
    """
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(preferencelist=("plain",))
    rich = message.get_body(preferencelist=("html",))
    assert plain is not None and rich is not None, "the message lacks a plain or an HTML alternative"
    return " ".join(str(plain.get_content()).split()), " ".join(str(rich.get_content()).split())


def make_invitation(**overrides: Any) -> InterviewInvitation:
    """An invitation to Ada for a backend role; fields overridable."""
    values: dict[str, Any] = {
        "to_email": "ada.lovelace@candidates.example",
        "candidate_name": "Ada Lovelace",
        "position": "Senior Backend Engineer",
        "company_name": "Analytical Engines Ltd",
        "interview_url": "https://jobs.airecruiter.example/interview/tok_4f9a2c",
        "expires_at": dt.datetime(2031, 5, 12, 14, 0, tzinfo=dt.UTC),
        "recruiter_name": "Grace Hopper",
        "recruiter_email": "grace.hopper@airecruiter.example",
    }
    values.update(overrides)
    return InterviewInvitation(**values)
