"""Which local twin or real system each external dependency uses, and half-set groups refused."""

from __future__ import annotations

import pytest

from airecruiter.config import load_settings
from airecruiter.errors import ConfigurationError


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
        "SMTP_USERNAME",
        "SMTP_PASSWORD",
    ):
        monkeypatch.delenv(name, raising=False)


def test_with_nothing_configured_every_system_uses_its_local_twin() -> None:
    s = load_settings()
    assert (s.llm_provider, s.storage_backend, s.mail_backend) == ("offline", "local", "outbox")


def test_configuring_a_system_selects_its_real_adapter() -> None:
    s = load_settings(ANTHROPIC_API_KEY="sk-ant-x", S3_BUCKET="artifacts", SES_FROM_EMAIL="no-reply@example.com")
    assert (s.llm_provider, s.storage_backend, s.mail_backend) == ("anthropic", "s3", "ses")
    assert load_settings(SMTP_HOST="mail.example.com").mail_backend == "smtp"
    assert load_settings(ANTHROPIC_API_KEY="sk-ant-x", LLM_PROVIDER="offline").llm_provider == "offline"


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"LLM_PROVIDER": "anthropic"}, "ANTHROPIC_API_KEY"),
        ({"LLM_PROVIDER": "openai"}, "OPENAI_BASE_URL"),
        ({"LLM_PROVIDER": "openai", "OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"}, "OPENAI_MODEL"),
        ({"STORAGE_BACKEND": "s3"}, "S3_BUCKET"),
        ({"MAIL_BACKEND": "ses"}, "SES_FROM_EMAIL"),
        ({"MAIL_BACKEND": "smtp"}, "SMTP_HOST"),
        ({"SMTP_HOST": "mail.example.com", "SMTP_USERNAME": "bot"}, "SMTP_PASSWORD"),
        ({"LLM_PROVIDER": "gpt"}, "LLM_PROVIDER"),
    ],
)
def test_a_chosen_backend_without_its_settings_is_a_startup_error_naming_them(
    overrides: dict[str, str],
    named: str,
) -> None:
    with pytest.raises(ConfigurationError, match=named):
        load_settings(**overrides)


def test_a_secret_value_is_never_echoed_in_an_error() -> None:
    with pytest.raises(ConfigurationError) as error:
        load_settings(
            SMTP_HOST="mail.example.com", SMTP_USERNAME="bot", SMTP_PASSWORD="hunter2", SMTP_PORT="not-a-port"
        )
    assert "hunter2" not in error.value.message
