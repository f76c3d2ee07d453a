"""Builds each external system's adapter, or its local twin, from Settings (docs/architecture.md: configuration)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import structlog

from airecruiter.config import Settings, revealed
from airecruiter.ports.documents import DocumentReader
from airecruiter.ports.llm import LLM
from airecruiter.ports.mail import Mailer
from airecruiter.ports.redaction import TextRedactor
from airecruiter.ports.reports import ReportRenderer
from airecruiter.ports.storage import Storage

log = structlog.get_logger(__name__)

# Adapters are imported where they are chosen: the SDKs take seconds to import, and an operator's
# `airecruiter queue list` should not pay for Claude, AWS and Typst it never uses.

# The outbox twin needs a sender; `.example` is reserved, so it can never reach anyone.
TWIN_SENDER = "interviews@airecruiter.example"


@dataclass(frozen=True)
class Adapters:
    """The external systems one process talks to."""

    llm: LLM
    storage: Storage
    mailer: Mailer
    documents: DocumentReader
    reports: ReportRenderer
    redactor: TextRedactor

    async def aclose(self) -> None:
        """Close the clients that hold connections."""
        for adapter in (self.llm, self.storage, self.mailer, self.documents, self.reports, self.redactor):
            close = getattr(adapter, "aclose", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    await close()


def contact_email(s: Settings) -> str:
    """Whom candidates write to: the recruiting contact, else the sender of our mail."""
    return s.RECRUITING_CONTACT_EMAIL or s.SES_FROM_EMAIL or TWIN_SENDER


def build_llm(s: Settings) -> LLM:
    """Claude, an OpenAI-compatible server, or the offline scorer."""
    if s.llm_provider == "anthropic":
        from airecruiter.adapters.llm.anthropic_llm import AnthropicLLM

        assert s.ANTHROPIC_API_KEY
        return AnthropicLLM(api_key=s.ANTHROPIC_API_KEY.get_secret_value(), model=s.CLAUDE_MODEL, timeout=s.LLM_TIMEOUT)
    if s.llm_provider == "openai":
        from airecruiter.adapters.llm.openai_llm import OpenAICompatibleLLM

        assert s.OPENAI_BASE_URL and s.OPENAI_MODEL
        return OpenAICompatibleLLM(
            base_url=s.OPENAI_BASE_URL, model=s.OPENAI_MODEL, api_key=revealed(s.OPENAI_API_KEY), timeout=s.LLM_TIMEOUT
        )
    from airecruiter.adapters.llm.offline import OfflineLLM

    log.info("llm_local_twin", provider="offline", reason="no ANTHROPIC_API_KEY or LLM_PROVIDER set")
    return OfflineLLM()


def build_storage(s: Settings) -> Storage:
    """S3, or a directory tree in the data dir."""
    if s.storage_backend == "s3":
        from airecruiter.adapters.storage.s3 import S3Storage

        assert s.S3_BUCKET
        return S3Storage(bucket=s.S3_BUCKET, region=s.AWS_REGION, endpoint_url=s.S3_ENDPOINT_URL)
    from airecruiter.adapters.storage.local import LocalStorage

    root = s.AIRECRUITER_DATA_DIR / "artifacts"
    log.info("storage_local_twin", root=str(root), reason="S3_BUCKET is not set")
    return LocalStorage(root)


def build_mailer(s: Settings) -> Mailer:
    """SES, SMTP, or an outbox directory of .eml files."""
    sender = s.SES_FROM_EMAIL or TWIN_SENDER
    if s.mail_backend == "ses":
        from airecruiter.adapters.email.ses import SesMailer

        return SesMailer(region=s.AWS_REGION, from_email=sender, from_name=s.SES_FROM_NAME)
    if s.mail_backend == "smtp":
        from airecruiter.adapters.email.smtp import SmtpMailer

        assert s.SMTP_HOST
        return SmtpMailer(
            host=s.SMTP_HOST,
            port=s.SMTP_PORT,
            from_email=sender,
            from_name=s.SES_FROM_NAME,
            username=s.SMTP_USERNAME,
            password=revealed(s.SMTP_PASSWORD),
            use_tls=s.SMTP_USE_TLS,
            starttls=False if s.SMTP_USE_TLS else s.SMTP_STARTTLS,
        )
    from airecruiter.adapters.email.outbox import OutboxMailer

    outbox = s.AIRECRUITER_DATA_DIR / "outbox"
    log.info("mail_local_twin", outbox=str(outbox), reason="neither SES_FROM_EMAIL nor SMTP_HOST is set")
    return OutboxMailer(outbox, from_email=sender, from_name=s.SES_FROM_NAME)


def build_adapters(s: Settings, *, llm: LLM | None = None) -> Adapters:
    """Every adapter this deployment's settings ask for; `llm` replaces the configured one (a scripted model)."""
    from airecruiter.adapters.documents.reader import ResumeReader
    from airecruiter.adapters.documents.report import TypstReportRenderer
    from airecruiter.adapters.redactor import IsolatedRedactor

    return Adapters(
        llm=llm if llm is not None else build_llm(s),
        storage=build_storage(s),
        mailer=build_mailer(s),
        documents=ResumeReader(max_pages=s.RESUME_MAX_PAGES),
        reports=TypstReportRenderer(),
        redactor=IsolatedRedactor(),
    )
