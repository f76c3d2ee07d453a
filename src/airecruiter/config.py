"""Settings: the specification's variables (docs/architecture.md: configuration), validated once at start."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from airecruiter.config_parsing import (
    Network,
    bearer_token,
    email_address,
    fernet_key,
    http_url,
    id_list,
    parse_networks,
    parse_pairs,
    workday_category,
    workday_ids,
    workday_version,
)
from airecruiter.domain.business_days import NoticeCalendar, parse_holidays
from airecruiter.domain.decisions import DEFAULT_REASON_CODES, reason_codes
from airecruiter.domain.demographics import RACE_ETHNICITY_CATEGORIES, SEX_CATEGORIES
from airecruiter.domain.self_identification import DEFAULT_ETHNICITY_MAP, DEFAULT_GENDER_MAP, parse_id_map
from airecruiter.domain.workday_decision import DEFAULT_ADVANCED_STAGES
from airecruiter.errors import ConfigurationError
from airecruiter.errors import ValidationError as RefusedValue

__all__ = ["PROJECT_DATA_DIR", "Network", "Settings", "id_list", "load_settings", "revealed"]

PROJECT_DATA_DIR = Path(".airecruiter")
# Values that may carry a secret (a password in a URL, a key) are never echoed in an error.
_SECRET_VARIABLES = frozenset(
    {
        "DATABASE_URL",
        "WORKDAY_CLIENT_SECRET",
        "WORKDAY_REFRESH_TOKEN",
        "ANTHROPIC_API_KEY",
        "AIRECRUITER_SECRET_KEY",
        "OPENAI_API_KEY",
        "SMTP_PASSWORD",
        "METRICS_TOKEN",
    }
)


def revealed(secret: SecretStr | None) -> str | None:
    """The value of a secret setting, for the one place that hands it to a driver or SDK."""
    return None if secret is None else secret.get_secret_value()


class Settings(BaseSettings):
    """Every configuration variable with its default; invalid values stop the service at start.

    Frozen: read once at start, never changed. Secrets are `SecretStr`, so `repr`, `str` and a
    JSON dump show `**********`; the `name=value` maps and the proxy list are parsed once, here.
    """

    model_config = SettingsConfigDict(
        env_file=None, extra="ignore", case_sensitive=True, frozen=True, validate_default=True
    )

    # Scheduler
    SCHEDULER_INTERVAL: float = Field(60.0, gt=0)
    LOOKBACK_HOURS_DEFAULT: int = Field(24, gt=0)
    # Queue
    QUEUE_MAX_CONCURRENCY: int = Field(3, ge=1, le=1000)
    QUEUE_MAX_ATTEMPTS: int = Field(3, ge=1, le=100)
    QUEUE_POLL_INTERVAL: float = Field(5.0, gt=0)
    QUEUE_POLL_ONLY: bool = False
    QUEUE_LEASE_SECONDS: float = Field(60.0, ge=2)
    # How often an item may lose its worker (crash, expired lease) before it goes to the dead letter.
    QUEUE_MAX_LOST_LEASES: int = Field(3, ge=1, le=100)
    QUEUE_BACKOFF_SCALE: float = Field(1.0, gt=0, le=1000)
    QUEUE_SHUTDOWN_GRACE: float = Field(30.0, ge=0)
    QUEUE_JOB_TIMEOUTS: Annotated[Mapping[str, float], NoDecode] = Field(
        "sync=600,analyze=300,send_interview=120,evaluate=300,generate_report=120,upload_report=300"  # type: ignore[arg-type]
    )
    QUEUE_DEFAULT_JOB_TIMEOUT: float = Field(600.0, gt=0)
    # `name=value` maps, parsed once into read-only mappings (the README shows them as written)
    QUEUE_JOB_LIMITS: Annotated[Mapping[str, int], NoDecode] = Field("sync=2,analyze=4,evaluate=4")  # type: ignore[arg-type]
    JOB_RUNS_RETENTION_DAYS: int = Field(30, ge=1)
    # Workday
    WORKDAY_TENANT_URL: str | None = None
    WORKDAY_TENANT_ID: str | None = None
    WORKDAY_CLIENT_ID: str | None = None
    WORKDAY_CLIENT_SECRET: SecretStr | None = None
    WORKDAY_REFRESH_TOKEN: SecretStr | None = None
    WORKDAY_API_VERSION: str = "v45.0"
    WORKDAY_TOKEN_URL: str | None = None  # default {tenant}/ccx/oauth2/{tenant_id}/token
    WORKDAY_PAGE_SIZE: int = Field(100, ge=1, le=999)
    WORKDAY_TIMEOUT: float = Field(60.0, gt=0)
    WORKDAY_MIN_REQUEST_INTERVAL: float = Field(0.2, ge=0)  # pacing between calls to one tenant
    WORKDAY_MAX_IN_FLIGHT: int = Field(2, ge=1, le=20)
    WORKDAY_REPORT_CATEGORY: str = "Document_Category__Workday_Owned__ID=OTHER_DOCUMENTS"
    WORKDAY_RECRUITER_ROLES: str = "Primary_Recruiter,Recruiter"  # Organization_Role_IDs that name the recruiter
    # Reference IDs are tenant data (compared without case): the status of an open requisition, and
    # the document categories of a candidate-level résumé.
    WORKDAY_OPEN_STATUS: str = "Open"
    WORKDAY_RESUME_CATEGORIES: str = "CANDIDATE_RESUME_AND_COVER_LETTER,RESUME,Resume"
    # Recruiting_Disposition_IDs that mean 'rejected'; empty: every disposition does (Workday's default use).
    WORKDAY_REJECTED_DISPOSITIONS: str = ""
    # Recruiting_Stage_IDs that mean a recruiter advanced the candidate (the human decision the fairness checks read).
    WORKDAY_ADVANCED_STAGES: str = ",".join(DEFAULT_ADVANCED_STAGES)
    # Self-ID reference IDs → EEO-1 categories or "declined": `ID=Category,...` or JSON (IDs without case).
    WORKDAY_GENDER_MAP: str = DEFAULT_GENDER_MAP
    WORKDAY_ETHNICITY_MAP: str = DEFAULT_ETHNICITY_MAP
    # The reason codes a recruiter picks from when recording a decision (lower_snake_case, comma-separated).
    DECISION_REASON_CODES: str = ",".join(DEFAULT_REASON_CODES)
    WORKDAY_REQUISITION_FILTER: bool = True  # False: the tenant refuses Get_Candidates by requisition
    WORKDAY_FALLBACK_LOOKBACK_DAYS: int = Field(90, ge=1)
    WORKDAY_SANDBOX_PORT: int = Field(8100, ge=0, le=65535)  # the twin's port when no tenant is set; 0 = any
    # How long to wait for a sandbox on a taken WORKDAY_SANDBOX_PORT to answer before giving up.
    WORKDAY_SANDBOX_WAIT: float = Field(60.0, gt=0)
    # Claude, or an OpenAI-compatible server, or the offline scorer
    ANTHROPIC_API_KEY: SecretStr | None = None
    CLAUDE_MODEL: str = "claude-sonnet-4-6"
    LLM_PROVIDER: Literal["anthropic", "openai", "offline"] | None = None
    LLM_TIMEOUT: float = Field(120.0, gt=0)
    OPENAI_BASE_URL: str | None = None
    OPENAI_API_KEY: SecretStr | None = None
    OPENAI_MODEL: str | None = None
    # Résumé reading
    RESUME_MAX_PAGES: int = Field(20, ge=1, le=1000)  # longer PDFs are read up to here, with a warning
    # Storage and email
    S3_BUCKET: str | None = None
    S3_ENDPOINT_URL: str | None = None
    AWS_REGION: str = "us-east-1"
    STORAGE_BACKEND: Literal["s3", "local"] | None = None
    SES_FROM_EMAIL: str | None = None
    SES_FROM_NAME: str = "AIRecruiter"
    MAIL_BACKEND: Literal["ses", "smtp", "outbox"] | None = None
    SMTP_HOST: str | None = None
    SMTP_PORT: int = Field(587, ge=1, le=65535)
    SMTP_USERNAME: str | None = None
    SMTP_PASSWORD: SecretStr | None = None
    SMTP_STARTTLS: bool = True
    SMTP_USE_TLS: bool = False  # implicit TLS, usually port 465; then STARTTLS does not apply
    FRONTEND_URL: str = "http://127.0.0.1:8000"
    COMPANY_NAME: str = Field("AIRecruiter", min_length=1, max_length=200)  # who invites, in the email
    RECRUITING_CONTACT_EMAIL: str | None = None  # candidates' contact when a requisition names none
    # Retention: days after an application's last activity before its data is deleted (legal holds excepted)
    RETENTION_DAYS: int = Field(730, ge=1)
    RETENTION_DAYS_FILES: int | None = Field(None, ge=1)  # résumé and report files; default RETENTION_DAYS
    # Advance notice: business days are counted in this zone, weekends and these ISO dates skipped.
    NOTICE_TIME_ZONE: str = "UTC"
    NOTICE_HOLIDAYS: str = ""
    # Beyond the specification's variables
    DATABASE_URL: SecretStr | None = None
    AIRECRUITER_DATA_DIR: Path = PROJECT_DATA_DIR
    AIRECRUITER_SECRET_KEY: SecretStr | None = None
    HEARTBEAT_FILE: Path = Path("/tmp/airecruiter_heartbeat")  # noqa: S108 - the specification's path
    HEARTBEAT_INTERVAL: float = Field(30.0, gt=0)
    WEB_HOST: str = "127.0.0.1"
    WEB_PORT: int = Field(8000, ge=0, le=65535)
    LOG_FORMAT: Literal["console", "json"] = "console"
    LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Admin console sign-in and sessions; who the client is behind a proxy; /metrics
    ADMIN_SESSION_IDLE_MINUTES: float = Field(30.0, gt=0, le=24 * 60)
    ADMIN_SESSION_LIFETIME_HOURS: float = Field(12.0, gt=0, le=24 * 30)
    LOGIN_MAX_CONCURRENT_CHECKS: int = Field(2, ge=1, le=64)  # password checks at once, per process
    LOGIN_MAX_CHECKS_PER_CLIENT: int = Field(1, ge=1, le=64)  # … of them from one client address
    LOGIN_CHECK_WAIT: float = Field(2.0, ge=0, le=60)  # how long a sign-in waits for a free check
    LOGIN_CHECK_TIMEOUT: float = Field(5.0, gt=0, le=60)  # hard limit of one password check
    # IPs/CIDRs whose X-Forwarded-For is believed (comma-separated; parsed into networks here)
    TRUSTED_PROXIES: Annotated[tuple[Network, ...], NoDecode] = Field("")  # type: ignore[arg-type]
    METRICS_TOKEN: SecretStr | None = None  # when set, /metrics wants "Authorization: Bearer <token>"

    @field_validator(*_SECRET_VARIABLES - {"METRICS_TOKEN", "AIRECRUITER_SECRET_KEY"})
    @classmethod
    def _blank_secret(cls, value: SecretStr | None) -> SecretStr | None:
        return None if value is None or not value.get_secret_value().strip() else value

    @field_validator("DATABASE_URL")
    @classmethod
    def _postgres_only(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        if not value.get_secret_value().startswith(("postgresql://", "postgres://", "postgresql+asyncpg://")):
            raise ValueError("must be a PostgreSQL URL (postgresql://user:pass@host:port/db)")
        return value

    @field_validator("QUEUE_JOB_TIMEOUTS", "QUEUE_JOB_LIMITS", mode="before")
    @classmethod
    def _pairs(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        name = info.field_name or "setting"
        return parse_pairs(value, name, whole=name == "QUEUE_JOB_LIMITS")

    @field_validator("QUEUE_JOB_TIMEOUTS", "QUEUE_JOB_LIMITS")
    @classmethod
    def _read_only_map(cls, value: Mapping[str, float]) -> Mapping[str, float]:
        return MappingProxyType(dict(value))

    @field_serializer("QUEUE_JOB_TIMEOUTS", "QUEUE_JOB_LIMITS")
    def _plain_map(self, value: Mapping[str, float]) -> dict[str, float]:
        return dict(value)

    @field_validator("WORKDAY_API_VERSION")
    @classmethod
    def _workday_version(cls, value: str) -> str:
        return workday_version(value)

    @field_validator("WORKDAY_REPORT_CATEGORY")
    @classmethod
    def _workday_category(cls, value: str) -> str:
        return workday_category(value)

    @field_validator(
        "WORKDAY_RECRUITER_ROLES",
        "WORKDAY_RESUME_CATEGORIES",
        "WORKDAY_OPEN_STATUS",
        "WORKDAY_REJECTED_DISPOSITIONS",
        "WORKDAY_ADVANCED_STAGES",
    )
    @classmethod
    def _workday_id_list(cls, value: str, info: ValidationInfo) -> str:
        name = info.field_name or "setting"
        # Empty WORKDAY_REJECTED_DISPOSITIONS: every disposition counts.
        workday_ids(
            value, name, may_be_empty=name == "WORKDAY_REJECTED_DISPOSITIONS", just_one=name == "WORKDAY_OPEN_STATUS"
        )
        return value

    @field_validator("WORKDAY_GENDER_MAP", "WORKDAY_ETHNICITY_MAP")
    @classmethod
    def _self_id_map(cls, value: str, info: ValidationInfo) -> str:
        gender = info.field_name == "WORKDAY_GENDER_MAP"
        categories = SEX_CATEGORIES if gender else RACE_ETHNICITY_CATEGORIES
        parse_id_map(value, info.field_name or "setting", categories=categories)
        return value

    @field_validator("DECISION_REASON_CODES")
    @classmethod
    def _reason_codes(cls, value: str) -> str:
        reason_codes(value)
        return value

    @field_validator("WORKDAY_TENANT_URL", "WORKDAY_TOKEN_URL")
    @classmethod
    def _workday_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return http_url(value, "must be an https:// URL")

    @field_validator("RECRUITING_CONTACT_EMAIL")
    @classmethod
    def _contact(cls, value: str | None) -> str | None:
        return None if value is None or not value.strip() else email_address(value)

    @field_validator("AIRECRUITER_SECRET_KEY")
    @classmethod
    def _fernet_key(cls, value: SecretStr | None) -> SecretStr | None:
        key = "" if value is None else value.get_secret_value().strip()
        return SecretStr(fernet_key(key)) if key else None

    @field_validator("TRUSTED_PROXIES", mode="before")
    @classmethod
    def _proxies(cls, value: object) -> object:
        return parse_networks(value) if isinstance(value, str) else value

    @field_validator("METRICS_TOKEN")
    @classmethod
    def _metrics_token(cls, value: SecretStr | None) -> SecretStr | None:
        token = "" if value is None else value.get_secret_value().strip()
        return SecretStr(bearer_token(token)) if token else None

    @field_validator("NOTICE_TIME_ZONE")
    @classmethod
    def _notice_zone(cls, value: str) -> str:
        try:
            return NoticeCalendar(time_zone=value.strip()).time_zone
        except RefusedValue as exc:
            raise ValueError(exc.message) from exc

    @field_validator("NOTICE_HOLIDAYS")
    @classmethod
    def _notice_holidays(cls, value: str) -> str:
        try:
            parse_holidays(value)
        except RefusedValue as exc:
            raise ValueError(exc.message) from exc
        return value

    @field_validator("FRONTEND_URL")
    @classmethod
    def _url(cls, value: str) -> str:
        return http_url(value, "must start with http:// or https://")

    @model_validator(mode="after")
    def _groups_complete(self) -> Settings:
        workday = {
            "WORKDAY_TENANT_URL": self.WORKDAY_TENANT_URL,
            "WORKDAY_TENANT_ID": self.WORKDAY_TENANT_ID,
            "WORKDAY_CLIENT_ID": self.WORKDAY_CLIENT_ID,
            "WORKDAY_CLIENT_SECRET": self.WORKDAY_CLIENT_SECRET,
            "WORKDAY_REFRESH_TOKEN": self.WORKDAY_REFRESH_TOKEN,
        }
        missing = [name for name, value in workday.items() if not value]
        if 0 < len(missing) < len(workday):
            raise ValueError(
                "Workday is half configured; also set "
                + ", ".join(missing)
                + " (or unset all WORKDAY_* variables to use the sandbox tenant)"
            )
        for name in ("WORKDAY_CLIENT_SECRET", "WORKDAY_REFRESH_TOKEN"):
            value = revealed(getattr(self, name))
            if value and value.startswith("enc:") and not self.AIRECRUITER_SECRET_KEY:
                raise ValueError(f"{name} is encrypted (enc:...) but AIRECRUITER_SECRET_KEY is not set")
            if value and not value.startswith("enc:"):
                warnings.warn(
                    f"{name} is a plain value; store it as enc:... (airecruiter secrets encrypt)",
                    stacklevel=2,
                )
        if not missing and not self.AIRECRUITER_SECRET_KEY:
            raise ValueError(
                "Workday is configured but AIRECRUITER_SECRET_KEY is not set; it encrypts the refresh token"
                " Workday rotates (make one with `airecruiter secrets generate-key`)"
            )
        return self

    @model_validator(mode="after")
    def _backends_complete(self) -> Settings:
        needs = {
            ("anthropic", self.llm_provider): ("ANTHROPIC_API_KEY", self.ANTHROPIC_API_KEY),
            ("openai", self.llm_provider): ("OPENAI_BASE_URL", self.OPENAI_BASE_URL),
            ("s3", self.storage_backend): ("S3_BUCKET", self.S3_BUCKET),
            ("ses", self.mail_backend): ("SES_FROM_EMAIL", self.SES_FROM_EMAIL),
            ("smtp", self.mail_backend): ("SMTP_HOST", self.SMTP_HOST),
        }
        for (wanted, chosen), (name, value) in needs.items():
            if wanted == chosen and not value:
                raise ValueError(f"the {wanted} backend is chosen but {name} is not set")
        if self.llm_provider == "openai" and not self.OPENAI_MODEL:
            raise ValueError("LLM_PROVIDER=openai needs OPENAI_MODEL (the model the server serves)")
        if bool(self.SMTP_USERNAME) != bool(self.SMTP_PASSWORD):
            raise ValueError("SMTP_USERNAME and SMTP_PASSWORD go together; set both or neither")
        return self

    @property
    def llm_provider(self) -> str:
        """The LLM in use: as chosen, else Claude when a key is set, else the offline scorer."""
        return self.LLM_PROVIDER or ("anthropic" if self.ANTHROPIC_API_KEY else "offline")

    @property
    def storage_backend(self) -> str:
        """Artifact storage in use: as chosen, else S3 when a bucket is set, else the data dir."""
        return self.STORAGE_BACKEND or ("s3" if self.S3_BUCKET else "local")

    @property
    def mail_backend(self) -> str:
        """Mail in use: as chosen, else SMTP when a host is set, SES when a sender is, else the outbox."""
        if self.MAIL_BACKEND:
            return self.MAIL_BACKEND
        if self.SMTP_HOST:
            return "smtp"
        return "ses" if self.SES_FROM_EMAIL else "outbox"

    @property
    def decision_reason_codes(self) -> tuple[str, ...]:
        """The reason codes a recorded decision may carry, in the order the form lists them."""
        return reason_codes(self.DECISION_REASON_CODES)

    @property
    def workday_configured(self) -> bool:
        """Whether a real Workday tenant is configured (else the sandbox tenant is the twin)."""
        return bool(self.WORKDAY_TENANT_URL)

    @property
    def trusted_proxies(self) -> tuple[Network, ...]:
        """The networks whose X-Forwarded-For header names the real client."""
        return self.TRUSTED_PROXIES

    @property
    def job_timeouts(self) -> dict[str, float]:
        """Per-job-type time limits in seconds (a copy of QUEUE_JOB_TIMEOUTS)."""
        return dict(self.QUEUE_JOB_TIMEOUTS)

    @property
    def notice_calendar(self) -> NoticeCalendar:
        """The calendar the advance-notice period is counted in."""
        return NoticeCalendar(time_zone=self.NOTICE_TIME_ZONE, holidays=parse_holidays(self.NOTICE_HOLIDAYS))

    @property
    def job_limits(self) -> dict[str, int]:
        """Per-job-type caps on running jobs across every worker (a copy of QUEUE_JOB_LIMITS)."""
        return dict(self.QUEUE_JOB_LIMITS)


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; a bad value becomes one clear ConfigurationError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"]) or "configuration"
            message = str(error["msg"]).removeprefix("Value error, ")
            if where == "configuration":
                problems.append(message)
            elif where in _SECRET_VARIABLES:
                problems.append(f"{where}: {message}")
            else:
                problems.append(f"{where}={error.get('input')!r}: {message}")
        # Not `from exc`: pydantic's error quotes every input it rejected, a secret's value included.
        raise ConfigurationError(
            "Invalid configuration — " + "; ".join(problems) + ". Fix the environment and start again."
        ) from None
