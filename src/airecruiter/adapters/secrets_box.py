"""Secrets at rest: Fernet encryption with AIRECRUITER_SECRET_KEY (values written as `enc:…`)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from airecruiter.errors import ConfigurationError

PREFIX = "enc:"


def generate_key() -> str:
    """A new random key for AIRECRUITER_SECRET_KEY."""
    return Fernet.generate_key().decode()


def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode())
    except (ValueError, TypeError) as exc:
        raise ConfigurationError(
            "AIRECRUITER_SECRET_KEY is not a valid key; make one with `airecruiter secrets generate-key`."
        ) from exc


def encrypt(value: str, key: str) -> str:
    """`enc:` followed by the Fernet token of `value`."""
    return PREFIX + _fernet(key).encrypt(value.encode()).decode()


def reveal(value: str, key: str | None, *, name: str) -> str:
    """The clear text of a setting that may be `enc:…`; a wrong key names the setting."""
    if not value.startswith(PREFIX):
        return value
    if not key:
        raise ConfigurationError(f"{name} is encrypted but AIRECRUITER_SECRET_KEY is not set.")
    try:
        return _fernet(key).decrypt(value.removeprefix(PREFIX).encode()).decode()
    except InvalidToken as exc:
        raise ConfigurationError(
            f"{name} cannot be decrypted with AIRECRUITER_SECRET_KEY (wrong key or damaged value)."
        ) from exc
