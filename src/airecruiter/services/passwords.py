"""Passwords of console accounts: argon2id hashes, checked off the event loop under bounds.

Verifying an argon2 hash is deliberately slow CPU work, so it never runs on the event loop: checks
run in a small thread pool (argon2-cffi releases the GIL), with a bound on how many run at once
overall and per client address, a short wait for a free slot, and a hard time limit.
"""

from __future__ import annotations

import asyncio
import functools
import secrets
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from prometheus_client import Counter

from airecruiter.errors import ValidationError

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()  # argon2id with the library's current RFC 9106 "low memory" profile
PASSWORD_CHECKS = Counter("airecruiter_admin_password_checks", "Console password checks run, by outcome", ["outcome"])


@functools.cache
def dummy_hash() -> str:
    """Verifying against this when the username is unknown keeps both answers equally slow.

    Made on first need, not at import: hashing costs about half a second of CPU, and every
    process of the service (workers, schedulers, the CLI) imports this module.
    """
    return _hasher.hash(secrets.token_urlsafe(16))


class CheckerBusyError(Exception):
    """No password check could run in time: too many at once, or one ran past its time limit."""


def check_password(password_hash: str, password: str) -> tuple[bool, str | None]:
    """Whether the password matches the hash, and a fresh hash when the parameters changed (CPU-bound)."""
    try:
        _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False, None
    return True, (_hasher.hash(password) if _hasher.check_needs_rehash(password_hash) else None)


class PasswordChecker:
    """Runs argon2 checks off the event loop, a bounded number at once overall and per client."""

    def __init__(self, *, max_concurrent: int, per_client: int, wait_seconds: float, timeout_seconds: float) -> None:
        self._overall = asyncio.Semaphore(max_concurrent)
        self._per_client_limit = per_client
        self._clients: dict[str, tuple[asyncio.Semaphore, list[int]]] = {}
        self._wait = wait_seconds
        self._timeout = timeout_seconds
        self._executor = ThreadPoolExecutor(max_workers=max_concurrent, thread_name_prefix="password-check")
        self.checks_run = 0
        self.in_progress = 0

    @asynccontextmanager
    async def slot(self, client: str) -> AsyncIterator[None]:
        """Hold one of the client's and one of the overall check slots; CheckerBusyError after the wait."""
        deadline = asyncio.get_running_loop().time() + self._wait
        semaphore, users = self._clients.setdefault(client, (asyncio.Semaphore(self._per_client_limit), [0]))
        users[0] += 1
        try:
            await _acquire(semaphore, deadline)
            try:
                await _acquire(self._overall, deadline)
                try:
                    yield
                finally:
                    self._overall.release()
            finally:
                semaphore.release()
        finally:
            users[0] -= 1
            if not users[0]:
                self._clients.pop(client, None)

    async def verify(self, password_hash: str, password: str) -> tuple[bool, str | None]:
        """check_password in the pool, within the time limit (call it while holding a slot)."""
        self.checks_run += 1
        self.in_progress += 1
        future = asyncio.get_running_loop().run_in_executor(self._executor, check_password, password_hash, password)
        try:
            matched, rehashed = await asyncio.wait_for(future, timeout=self._timeout)
        except TimeoutError as exc:
            PASSWORD_CHECKS.labels("timeout").inc()
            raise CheckerBusyError("a password check ran past its time limit") from exc
        finally:
            self.in_progress -= 1
        PASSWORD_CHECKS.labels("match" if matched else "mismatch").inc()
        return matched, rehashed


async def _acquire(semaphore: asyncio.Semaphore, deadline: float) -> None:
    if not semaphore.locked():
        await semaphore.acquire()
        return
    remaining = deadline - asyncio.get_running_loop().time()
    if remaining <= 0:
        raise CheckerBusyError("every password check slot is taken")
    try:
        await asyncio.wait_for(semaphore.acquire(), timeout=remaining)
    except TimeoutError as exc:
        raise CheckerBusyError("every password check slot is taken") from exc


def hash_password(password: str) -> str:
    """An argon2id hash of a password that meets the minimum length."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"The password is too short: use at least {MIN_PASSWORD_LENGTH} characters.")
    return _hasher.hash(password)


def new_password() -> str:
    """A random password to hand out once (about 128 bits)."""
    return secrets.token_urlsafe(16)
