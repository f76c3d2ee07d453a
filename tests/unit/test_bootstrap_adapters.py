"""The composition root picks each real adapter when configured and its local twin otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from airecruiter.adapters.documents.reader import ResumeReader
from airecruiter.adapters.email.outbox import OutboxMailer
from airecruiter.adapters.email.ses import SesMailer
from airecruiter.adapters.email.smtp import SmtpMailer
from airecruiter.adapters.llm import AnthropicLLM, OfflineLLM, OpenAICompatibleLLM
from airecruiter.adapters.storage.local import LocalStorage
from airecruiter.adapters.storage.s3 import S3Storage
from airecruiter.bootstrap.adapters import build_adapters
from airecruiter.config import load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "ANTHROPIC_API_KEY",
        "LLM_PROVIDER",
        "OPENAI_BASE_URL",
        "OPENAI_MODEL",
        "S3_BUCKET",
        "STORAGE_BACKEND",
        "SES_FROM_EMAIL",
        "MAIL_BACKEND",
        "SMTP_HOST",
    ):
        monkeypatch.delenv(name, raising=False)


async def test_nothing_configured_means_local_twins_in_the_data_dir(tmp_path: Path) -> None:
    adapters = build_adapters(load_settings(AIRECRUITER_DATA_DIR=tmp_path))
    try:
        assert isinstance(adapters.llm, OfflineLLM)
        assert isinstance(adapters.storage, LocalStorage)
        assert adapters.storage.root == (tmp_path / "artifacts").resolve()
        assert isinstance(adapters.mailer, OutboxMailer)
    finally:
        await adapters.aclose()


async def test_configured_systems_get_their_real_adapters(tmp_path: Path) -> None:
    adapters = build_adapters(
        load_settings(
            AIRECRUITER_DATA_DIR=tmp_path,
            ANTHROPIC_API_KEY="sk-ant-test",
            S3_BUCKET="artifacts",
            SES_FROM_EMAIL="talent@example.com",
        )
    )
    try:
        assert isinstance(adapters.llm, AnthropicLLM)
        assert isinstance(adapters.storage, S3Storage)
        assert isinstance(adapters.mailer, SesMailer)
    finally:
        await adapters.aclose()
    other = build_adapters(
        load_settings(
            AIRECRUITER_DATA_DIR=tmp_path,
            LLM_PROVIDER="openai",
            OPENAI_BASE_URL="http://127.0.0.1:11434/v1",
            OPENAI_MODEL="llama3.1",
            SMTP_HOST="mail.example.com",
            SES_FROM_EMAIL="talent@example.com",
        )
    )
    try:
        assert isinstance(other.llm, OpenAICompatibleLLM)
        assert isinstance(other.mailer, SmtpMailer)
    finally:
        await other.aclose()
    implicit_tls = build_adapters(
        load_settings(
            AIRECRUITER_DATA_DIR=tmp_path,
            SMTP_HOST="mail.example.com",
            SMTP_PORT="465",
            SMTP_USE_TLS="true",
            SES_FROM_EMAIL="talent@example.com",
        )
    )
    assert isinstance(implicit_tls.mailer, SmtpMailer)  # STARTTLS left off: both at once would be refused
    await implicit_tls.aclose()


async def test_the_resume_reader_takes_its_page_limit_from_the_settings(tmp_path: Path) -> None:
    adapters = build_adapters(load_settings(AIRECRUITER_DATA_DIR=tmp_path, RESUME_MAX_PAGES=60))
    try:
        assert isinstance(adapters.documents, ResumeReader)
        assert adapters.documents.max_pages == 60
        assert load_settings().RESUME_MAX_PAGES == 20
    finally:
        await adapters.aclose()


def test_building_the_openai_compatible_adapter_does_not_import_the_anthropic_sdk(tmp_path: Path) -> None:
    # Importing `anthropic` costs seconds of CPU, paid by every process of the service at start.
    code = (
        "import sys\n"
        "from airecruiter.bootstrap.adapters import build_llm\n"
        "from airecruiter.config import load_settings\n"
        "build_llm(load_settings())\n"
        "print('anthropic' in sys.modules)\n"
    )
    env = {
        **os.environ,
        "LLM_PROVIDER": "openai",
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
        "OPENAI_MODEL": "m",
        "AIRECRUITER_DATA_DIR": str(tmp_path),
    }
    env.pop("ANTHROPIC_API_KEY", None)
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "False"
