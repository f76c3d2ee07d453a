"""Settings are read once and never change; no secret shows in a repr, a str or a JSON dump."""

from __future__ import annotations

import ipaddress

import pydantic
import pytest

from airecruiter.config import Settings, load_settings, revealed

SECRET_KEY = "uY0lN8m1uQ2fX9Pzq3m4lH2mJ3cVt8gQy6e0XzA5b7k="
# Every secret setting, each with a value that could not appear in a dump by chance.
SECRETS = {
    "DATABASE_URL": "postgresql://app:db-PASSWORD-4471@db:5432/airecruiter",
    "WORKDAY_CLIENT_SECRET": "enc:workday-CLIENT-SECRET-9911",
    "WORKDAY_REFRESH_TOKEN": "enc:workday-REFRESH-TOKEN-5532",
    "ANTHROPIC_API_KEY": "sk-ant-API-KEY-2209",
    "OPENAI_API_KEY": "sk-openai-KEY-7781",
    "SMTP_PASSWORD": "smtp-PASSWORD-3346",
    "AIRECRUITER_SECRET_KEY": SECRET_KEY,
    "METRICS_TOKEN": "metrics-TOKEN-long-enough-0917",
}
WORKDAY = {
    "WORKDAY_TENANT_URL": "https://wd5-impl-services1.workday.com",
    "WORKDAY_TENANT_ID": "acme_corp",
    "WORKDAY_CLIENT_ID": "client-123",
}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No variable of the developer's shell leaks into these tests."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def configured() -> Settings:
    return load_settings(**SECRETS, **WORKDAY, SMTP_HOST="smtp.example.com", SMTP_USERNAME="mailer")


def test_no_secret_appears_in_repr_str_or_a_json_dump(configured: Settings) -> None:
    shown = [repr(configured), str(configured), configured.model_dump_json(), repr(configured.model_dump())]
    for name, secret in SECRETS.items():
        for text in shown:
            assert secret not in text, name
    assert "db-PASSWORD" not in "".join(shown)


def test_each_secret_is_still_there_for_the_one_place_that_needs_it(configured: Settings) -> None:
    for name, secret in SECRETS.items():
        assert revealed(getattr(configured, name)) == secret, name
    assert revealed(None) is None


def test_assigning_a_setting_is_refused(configured: Settings) -> None:
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        configured.QUEUE_MAX_CONCURRENCY = 9  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        configured.ANTHROPIC_API_KEY = None  # type: ignore[misc]
    assert configured.QUEUE_MAX_CONCURRENCY == 3


def test_the_name_value_maps_are_parsed_once_into_read_only_mappings() -> None:
    settings = load_settings(QUEUE_JOB_LIMITS="sync=1, upload_report=3", QUEUE_JOB_TIMEOUTS="sync=90,analyze=2.5")
    assert dict(settings.QUEUE_JOB_LIMITS) == {"sync": 1, "upload_report": 3}
    assert all(type(v) is int for v in settings.QUEUE_JOB_LIMITS.values())
    assert dict(settings.QUEUE_JOB_TIMEOUTS) == {"sync": 90.0, "analyze": 2.5}
    with pytest.raises(TypeError):
        settings.QUEUE_JOB_LIMITS["sync"] = 5  # type: ignore[index]
    assert settings.job_limits == {"sync": 1, "upload_report": 3}
    assert load_settings(QUEUE_JOB_LIMITS="").QUEUE_JOB_LIMITS == {}


def test_the_maps_are_read_from_the_environment_as_name_value_text(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("QUEUE_JOB_TIMEOUTS", "sync=30")
    clean_env.setenv("TRUSTED_PROXIES", "10.0.0.0/8")
    settings = load_settings()
    assert dict(settings.QUEUE_JOB_TIMEOUTS) == {"sync": 30.0}
    assert (ipaddress.ip_network("10.0.0.0/8"),) == settings.TRUSTED_PROXIES


def test_a_json_dump_shows_the_parsed_maps_and_masks_the_secrets(configured: Settings) -> None:
    dumped = configured.model_dump(mode="json")
    assert dumped["QUEUE_JOB_LIMITS"] == {"sync": 2, "analyze": 4, "evaluate": 4}
    assert dumped["ANTHROPIC_API_KEY"] == "**********"
    assert dumped["TRUSTED_PROXIES"] == []


def test_a_blank_secret_counts_as_unset() -> None:
    settings = load_settings(ANTHROPIC_API_KEY=" ", SMTP_PASSWORD="", DATABASE_URL="  ")
    assert settings.ANTHROPIC_API_KEY is None and settings.SMTP_PASSWORD is None and settings.DATABASE_URL is None
    assert settings.llm_provider == "offline"
