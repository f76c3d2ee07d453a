"""Settings: the specification's defaults, and a clear startup error naming each bad variable."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from airecruiter.config import Settings, id_list, load_settings, revealed
from airecruiter.domain.workday_decision import DEFAULT_ADVANCED_STAGES
from airecruiter.errors import ConfigurationError

# A real Fernet key (32 bytes, URL-safe base64), as `airecruiter secrets generate-key` prints one.
SECRET_KEY = "uY0lN8m1uQ2fX9Pzq3m4lH2mJ3cVt8gQy6e0XzA5b7k="
WORKDAY = {
    "WORKDAY_TENANT_URL": "https://wd5-impl-services1.workday.com",
    "WORKDAY_TENANT_ID": "acme_corp",
    "WORKDAY_CLIENT_ID": "client-123",
    "WORKDAY_CLIENT_SECRET": "enc:gAAAAABexample",
    "WORKDAY_REFRESH_TOKEN": "enc:gAAAAABexample2",
}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No variable of the developer's shell leaks into these tests."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults_of_the_specification_variables() -> None:
    s = load_settings()
    assert s.SCHEDULER_INTERVAL == 60
    assert s.LOOKBACK_HOURS_DEFAULT == 24
    assert s.QUEUE_MAX_CONCURRENCY == 3
    assert s.QUEUE_MAX_ATTEMPTS == 3
    for name in WORKDAY:
        assert getattr(s, name) is None
    assert s.ANTHROPIC_API_KEY is None
    assert s.CLAUDE_MODEL  # a model is always named, even before a key is set
    assert s.S3_BUCKET is None
    assert s.AWS_REGION == "us-east-1"
    assert s.SES_FROM_EMAIL is None
    assert s.SES_FROM_NAME == "AIRecruiter"
    assert s.FRONTEND_URL.startswith("http")


def test_defaults_of_the_added_variables() -> None:
    s = load_settings()
    assert s.DATABASE_URL is None  # the embedded server
    assert Path(".airecruiter") == s.AIRECRUITER_DATA_DIR  # inside the project, git-ignored
    assert s.AIRECRUITER_SECRET_KEY is None
    assert Path("/tmp/airecruiter_heartbeat") == s.HEARTBEAT_FILE
    assert s.job_limits == {"sync": 2, "analyze": 4, "evaluate": 4}
    assert s.QUEUE_BACKOFF_SCALE == 1.0  # the product's real retry waits
    assert set(s.job_timeouts) == {"sync", "analyze", "send_interview", "evaluate", "generate_report", "upload_report"}
    assert all(seconds > 0 for seconds in s.job_timeouts.values())


def test_environment_values_are_read(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("QUEUE_MAX_CONCURRENCY", "8")
    clean_env.setenv("SCHEDULER_INTERVAL", "15")
    clean_env.setenv("DATABASE_URL", "postgresql://app:pw@db:5432/airecruiter")
    clean_env.setenv("QUEUE_JOB_LIMITS", "sync=1, upload_report=3")
    clean_env.setenv("FRONTEND_URL", "https://jobs.example.com/")
    s = load_settings()
    assert s.QUEUE_MAX_CONCURRENCY == 8
    assert s.SCHEDULER_INTERVAL == 15
    assert revealed(s.DATABASE_URL) == "postgresql://app:pw@db:5432/airecruiter"
    assert s.job_limits == {"sync": 1, "upload_report": 3}
    assert s.FRONTEND_URL == "https://jobs.example.com"


def test_blank_database_url_means_the_embedded_server(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("DATABASE_URL", "  ")
    assert load_settings().DATABASE_URL is None


INVALID = [
    ("QUEUE_MAX_CONCURRENCY", "0"),
    ("QUEUE_MAX_CONCURRENCY", "many"),
    ("QUEUE_MAX_ATTEMPTS", "0"),
    ("SCHEDULER_INTERVAL", "0"),
    ("SCHEDULER_INTERVAL", "-60"),
    ("LOOKBACK_HOURS_DEFAULT", "0"),
    ("QUEUE_LEASE_SECONDS", "1"),
    ("DATABASE_URL", "mysql://root@localhost/airecruiter"),
    ("DATABASE_URL", "sqlite:///airecruiter.db"),
    ("FRONTEND_URL", "jobs.example.com"),
    ("RECRUITING_CONTACT_EMAIL", "recruiting team"),
    ("COMPANY_NAME", ""),
    ("QUEUE_JOB_LIMITS", "sync=0"),
    ("QUEUE_JOB_LIMITS", "sync"),
    ("QUEUE_JOB_LIMITS", "sync=two"),
    ("QUEUE_JOB_LIMITS", "=2"),
    ("QUEUE_JOB_LIMITS", "sync=0.5"),
    ("QUEUE_JOB_TIMEOUTS", "analyze=-1"),
    ("WEB_PORT", "70000"),
    ("LOG_FORMAT", "xml"),
    ("QUEUE_BACKOFF_SCALE", "0"),
    ("QUEUE_BACKOFF_SCALE", "-1"),
    ("NOTICE_TIME_ZONE", "Mars/Olympus"),
    ("NOTICE_HOLIDAYS", "2026-13-01"),
]


@pytest.mark.parametrize(("variable", "value"), INVALID, ids=[f"{v}={x}" for v, x in INVALID])
def test_invalid_environment_value_names_the_variable(clean_env: pytest.MonkeyPatch, variable: str, value: str) -> None:
    clean_env.setenv(variable, value)
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    assert variable in str(raised.value)


@pytest.mark.parametrize(("variable", "value"), INVALID, ids=[f"{v}={x}" for v, x in INVALID])
def test_invalid_override_names_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=variable):
        load_settings(**{variable: value})


def test_every_problem_is_reported_at_once(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("QUEUE_MAX_CONCURRENCY", "0")
    clean_env.setenv("DATABASE_URL", "mysql://root@localhost/db")
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    assert "QUEUE_MAX_CONCURRENCY" in str(raised.value)
    assert "DATABASE_URL" in str(raised.value)


@pytest.mark.parametrize(
    "given",
    [
        ["WORKDAY_TENANT_URL"],
        ["WORKDAY_TENANT_URL", "WORKDAY_TENANT_ID", "WORKDAY_CLIENT_ID"],
        [name for name in WORKDAY if name != "WORKDAY_REFRESH_TOKEN"],
    ],
)
def test_half_set_workday_group_names_the_missing_variables(clean_env: pytest.MonkeyPatch, given: list[str]) -> None:
    for name in given:
        clean_env.setenv(name, WORKDAY[name])
    with pytest.raises(ConfigurationError) as raised:
        load_settings(AIRECRUITER_SECRET_KEY=SECRET_KEY)
    message = str(raised.value)
    for name in WORKDAY:
        assert (name in message) == (name not in given)


def test_complete_workday_group_is_accepted(clean_env: pytest.MonkeyPatch) -> None:
    for name, value in WORKDAY.items():
        clean_env.setenv(name, value)
    settings = load_settings(AIRECRUITER_SECRET_KEY=SECRET_KEY)
    assert settings.WORKDAY_TENANT_ID == "acme_corp"


def test_encrypted_secret_without_key_is_a_clear_error_that_hides_the_secret(
    clean_env: pytest.MonkeyPatch,
) -> None:
    for name, value in WORKDAY.items():
        clean_env.setenv(name, value)
    clean_env.setenv("WORKDAY_CLIENT_SECRET", "enc:TOPSECRETTOKEN")
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    message = str(raised.value)
    assert "WORKDAY_CLIENT_SECRET" in message and "AIRECRUITER_SECRET_KEY" in message
    assert "TOPSECRETTOKEN" not in message


def test_plain_secret_is_accepted_with_a_warning_that_hides_it(
    clean_env: pytest.MonkeyPatch,
) -> None:
    for name, value in WORKDAY.items():
        clean_env.setenv(name, value)
    clean_env.setenv("WORKDAY_REFRESH_TOKEN", "plain-refresh-token-value")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        settings = load_settings(AIRECRUITER_SECRET_KEY=SECRET_KEY)
    assert revealed(settings.WORKDAY_REFRESH_TOKEN) == "plain-refresh-token-value"
    texts = [str(w.message) for w in caught]
    assert any("WORKDAY_REFRESH_TOKEN" in t for t in texts)
    assert not any("plain-refresh-token-value" in t for t in texts)


def test_invalid_secret_value_never_appears_in_the_error(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ANTHROPIC_API_KEY", "sk-ant-SECRET")
    clean_env.setenv("DATABASE_URL", "mysql://root:hunter2@localhost/db")
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    assert "hunter2" not in str(raised.value)
    assert "sk-ant-SECRET" not in str(raised.value)


@pytest.mark.filterwarnings("ignore:WORKDAY_.* is a plain value")
def test_configured_workday_needs_the_secret_key_that_protects_a_rotated_token(
    clean_env: pytest.MonkeyPatch,
) -> None:
    for name, value in WORKDAY.items():
        clean_env.setenv(name, value.removeprefix("enc:"))
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    assert "AIRECRUITER_SECRET_KEY" in str(raised.value)
    assert "secrets generate-key" in str(raised.value)


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("WORKDAY_API_VERSION", "45", "v45.0"),
        ("WORKDAY_REPORT_CATEGORY", "OTHER_DOCUMENTS", "ID_TYPE=value"),
        ("WORKDAY_TENANT_URL", "services1.wd5.myworkday.com", "https://"),
        ("WORKDAY_PAGE_SIZE", "1000", "999"),
        ("WORKDAY_RECRUITER_ROLES", " , ", "at least one"),
        ("WORKDAY_RECRUITER_ROLES", "Primary Recruiter", "not a Workday reference ID"),
        ("WORKDAY_OPEN_STATUS", "Open,OPEN", "one Job_Requisition_Status_ID"),
        ("WORKDAY_OPEN_STATUS", "", "at least one"),
        ("WORKDAY_RESUME_CATEGORIES", "RESUME=1", "not a Workday reference ID"),
    ],
)
def test_bad_workday_options_are_named(clean_env: pytest.MonkeyPatch, name: str, value: str, problem: str) -> None:
    clean_env.setenv(name, value)
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    assert name in str(raised.value) and problem in str(raised.value)


@pytest.mark.parametrize(
    "value", ["not-a-key-value", "not base64 at all!", "c2hvcnQ=", "uY0lN8m1uQ2fX9Pzq3m4lH2mJ3cVt8gQy6e0XzA5b7kAAA=="]
)
def test_a_secret_key_that_is_not_a_fernet_key_stops_the_start_naming_the_command(
    clean_env: pytest.MonkeyPatch, value: str
) -> None:
    clean_env.setenv("AIRECRUITER_SECRET_KEY", value)
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    message = str(raised.value)
    assert "AIRECRUITER_SECRET_KEY" in message and "Fernet key" in message
    assert "airecruiter secrets generate-key" in message
    assert value not in message  # a secret is never echoed


def test_a_fernet_key_is_accepted_and_an_unset_one_stays_unset(clean_env: pytest.MonkeyPatch) -> None:
    assert revealed(load_settings(AIRECRUITER_SECRET_KEY=SECRET_KEY).AIRECRUITER_SECRET_KEY) == SECRET_KEY
    assert load_settings(AIRECRUITER_SECRET_KEY="").AIRECRUITER_SECRET_KEY is None
    assert load_settings().AIRECRUITER_SECRET_KEY is None


def test_console_sign_in_settings_have_safe_defaults(clean_env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.ADMIN_SESSION_IDLE_MINUTES == 30 and settings.ADMIN_SESSION_LIFETIME_HOURS == 12
    assert settings.LOGIN_MAX_CONCURRENT_CHECKS == 2 and settings.LOGIN_MAX_CHECKS_PER_CLIENT == 1
    assert settings.trusted_proxies == () and settings.METRICS_TOKEN is None


def test_trusted_proxies_take_addresses_and_networks(clean_env: pytest.MonkeyPatch) -> None:
    settings = load_settings(TRUSTED_PROXIES="10.0.0.0/8, 192.168.1.7,::1")
    assert [str(n) for n in settings.trusted_proxies] == ["10.0.0.0/8", "192.168.1.7/32", "::1/128"]
    with pytest.raises(ConfigurationError) as raised:
        load_settings(TRUSTED_PROXIES="10.0.0.0/8,proxy.internal")
    assert "TRUSTED_PROXIES" in str(raised.value) and "proxy.internal" in str(raised.value)


def test_a_short_metrics_token_is_refused_without_echoing_it(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError) as raised:
        load_settings(METRICS_TOKEN="tooshort")
    assert "METRICS_TOKEN" in str(raised.value) and "tooshort" not in str(raised.value)
    token = load_settings(METRICS_TOKEN="a-long-enough-metrics-token").METRICS_TOKEN
    assert token is not None and token.get_secret_value() == "a-long-enough-metrics-token"
    assert "a-long-enough" not in repr(load_settings(METRICS_TOKEN="a-long-enough-metrics-token"))


def test_recruiter_roles_reach_the_client_options(clean_env: pytest.MonkeyPatch) -> None:
    from airecruiter.bootstrap.workday import options_from

    assert options_from(load_settings()).recruiter_roles == ("Primary_Recruiter", "Recruiter")
    clean_env.setenv("WORKDAY_RECRUITER_ROLES", "Talent_Partner, PRIMARY_RECRUITER")
    assert options_from(load_settings()).recruiter_roles == ("Talent_Partner", "PRIMARY_RECRUITER")


def test_tenant_reference_ids_reach_the_client_options(clean_env: pytest.MonkeyPatch) -> None:
    from airecruiter.bootstrap.workday import options_from

    defaults = options_from(load_settings())
    assert defaults.open_status == "Open"
    assert defaults.resume_categories == ("CANDIDATE_RESUME_AND_COVER_LETTER", "RESUME", "Resume")
    clean_env.setenv("WORKDAY_OPEN_STATUS", " OPEN ")
    clean_env.setenv("WORKDAY_RESUME_CATEGORIES", "CV,RESUME")
    options = options_from(load_settings())
    assert (options.open_status, options.resume_categories) == ("OPEN", ("CV", "RESUME"))


def test_rejected_dispositions_default_to_every_disposition(clean_env: pytest.MonkeyPatch) -> None:
    assert load_settings().WORKDAY_REJECTED_DISPOSITIONS == ""
    clean_env.setenv("WORKDAY_REJECTED_DISPOSITIONS", "Experience/Skills, Location")
    assert load_settings().WORKDAY_REJECTED_DISPOSITIONS == "Experience/Skills, Location"
    clean_env.setenv("WORKDAY_REJECTED_DISPOSITIONS", "Experience Skills")
    with pytest.raises(ConfigurationError, match="WORKDAY_REJECTED_DISPOSITIONS"):
        load_settings()


def test_advanced_stages_default_to_workdays_stages_past_review(clean_env: pytest.MonkeyPatch) -> None:
    assert id_list(load_settings().WORKDAY_ADVANCED_STAGES) == DEFAULT_ADVANCED_STAGES
    clean_env.setenv("WORKDAY_ADVANCED_STAGES", "INTERVIEW, OFFER")
    assert id_list(load_settings().WORKDAY_ADVANCED_STAGES) == ("INTERVIEW", "OFFER")
    for bad in (" , ", "Phone Screen"):
        clean_env.setenv("WORKDAY_ADVANCED_STAGES", bad)
        with pytest.raises(ConfigurationError, match="WORKDAY_ADVANCED_STAGES"):
            load_settings()


def test_the_notice_calendar_comes_from_its_two_settings(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NOTICE_TIME_ZONE", "America/New_York")
    clean_env.setenv("NOTICE_HOLIDAYS", "2026-07-03,2026-12-25")
    calendar = load_settings().notice_calendar
    assert calendar.time_zone == "America/New_York"
    assert len(calendar.holidays) == 2
    assert load_settings(NOTICE_TIME_ZONE="UTC", NOTICE_HOLIDAYS="").notice_calendar.holidays == frozenset()
