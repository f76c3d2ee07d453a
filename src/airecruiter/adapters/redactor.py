"""Redaction in a worker process with a hard time limit, so no résumé can hold up the event loop.

The rules are linear in the text's length, but they are still regular expressions over text an
applicant controls; a worker process is the one place a runaway match can be stopped (a thread
cannot be). On a time-out the worker is killed and the job fails permanently: the text is never
sent on unredacted.
"""

from __future__ import annotations

from airecruiter.adapters.documents.isolation import WorkerOutOfMemory, WorkerPool, WorkerTimeout
from airecruiter.domain.redaction import Redaction, redact
from airecruiter.errors import ParseError

MEGABYTE = 1024 * 1024


def _redact(text: str, candidate_name: str, email: str | None, blind_education: bool) -> Redaction:
    return redact(text, candidate_name=candidate_name, email=email, blind_education=blind_education)


class IsolatedRedactor:
    """The TextRedactor of the service: `domain.redaction` in a memory-capped, time-limited worker."""

    def __init__(
        self,
        *,
        time_limit_seconds: float = 20.0,
        workers: int = 1,
        memory_limit_bytes: int = 512 * MEGABYTE,
        start_method: str = "forkserver",
    ) -> None:
        self.time_limit_seconds = time_limit_seconds
        self._workers = WorkerPool(
            workers=workers,
            memory_limit_bytes=memory_limit_bytes,
            start_method=start_method,
            preload=("airecruiter.domain.redaction",),
        )

    async def redact(
        self, text: str, *, candidate_name: str, email: str | None = None, blind_education: bool = True
    ) -> Redaction:
        """The redacted text, or ParseError when it could not be redacted in time (never the raw text)."""
        try:
            return await self._workers.run(
                _redact, text, candidate_name, email, blind_education, time_limit=self.time_limit_seconds
            )
        except (WorkerTimeout, WorkerOutOfMemory) as exc:
            raise ParseError(
                f"Removing personal details from the text ({len(text):,} characters) took longer than "
                f"{self.time_limit_seconds:g} s and was stopped, so the text was not sent to the AI. For a résumé, "
                "open the original and assess it yourself, or ask the candidate for a plain export and re-analyze."
            ) from exc

    async def aclose(self) -> None:
        """Stop the worker process; a later `redact` starts a new one."""
        await self._workers.aclose()
