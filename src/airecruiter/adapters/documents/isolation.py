"""Worker processes for parsing untrusted files: capped memory, killed when over time, no secrets inherited.

PDFium and the DOCX unpacker run C and Python code over attacker-controlled bytes. A thread cannot be stopped
and a decompression bomb inside PDFium cannot be caught, so each extraction runs in a pebble worker
process whose address space is capped; on a timeout the worker is killed and replaced.
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
import os
import resource
import signal
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from pebble import ProcessExpired, ProcessPool

T = TypeVar("T")
GIGABYTE = 1024**3

# What a parser needs from the environment; API keys, database URLs and the like are dropped so that
# code execution through a parser bug finds nothing to steal.
_KEPT_ENVIRONMENT = frozenset({"PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ"})
# How a worker dies when an allocation fails: PDFium aborts, the kernel's OOM killer sends SIGKILL.
_OUT_OF_MEMORY_SIGNALS = frozenset({-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV, -signal.SIGBUS})


class WorkerTimeout(TimeoutError):
    """The task ran past its time limit; its worker was killed."""


class WorkerOutOfMemory(MemoryError):
    """The task needed more memory than the worker's cap (or crashed its worker); the worker is gone."""


def limit_worker(memory_limit_bytes: int, preload: Sequence[str]) -> None:
    """Pebble initializer: import the parsers, drop secrets from the environment, cap memory and core dumps."""
    for module in preload:
        importlib.import_module(module)
    for name in list(os.environ):
        if name not in _KEPT_ENVIRONMENT:
            del os.environ[name]  # unsetenv too, so C code cannot read them either
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crashed worker must not dump résumé text to disk
    # Hard limit too: code running in the worker cannot raise it again.
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit_bytes, memory_limit_bytes))


class WorkerPool:
    """A lazily started pool of memory-capped worker processes, used from asyncio."""

    def __init__(
        self,
        *,
        workers: int = 2,
        memory_limit_bytes: int = GIGABYTE,
        max_tasks_per_worker: int = 100,
        start_method: str = "forkserver",
        preload: Sequence[str] = (),
    ) -> None:
        if start_method == "fork":
            # The service has threads and an event loop; a forked child inherits their locks mid-use.
            raise ValueError("worker processes must not be forked from the service; use forkserver or spawn")
        self.workers = workers
        self.memory_limit_bytes = memory_limit_bytes
        self.max_tasks_per_worker = max_tasks_per_worker
        self.start_method = start_method
        self.preload = tuple(preload)
        self._pool: ProcessPool | None = None

    def _started(self) -> ProcessPool:
        if self._pool is None:
            self._pool = ProcessPool(
                max_workers=self.workers,
                # Recycle workers now and then so a slow leak in a parser cannot build up.
                max_tasks=self.max_tasks_per_worker,
                initializer=limit_worker,
                initargs=(self.memory_limit_bytes, self.preload),
                context=multiprocessing.get_context(self.start_method),
            )
        return self._pool

    async def run(self, function: Callable[..., T], *args: object, time_limit: float) -> T:
        """`function(*args)` in a worker; WorkerTimeout or WorkerOutOfMemory when the worker had to die."""
        future = self._started().schedule(function, args=args, timeout=time_limit)
        try:
            # Cancelling the awaiting task cancels the pebble future, which kills the worker.
            return await asyncio.wrap_future(future)
        except TimeoutError as exc:  # pebble's concurrent.futures.TimeoutError
            raise WorkerTimeout(f"task ran longer than {time_limit:g} s") from exc
        except ProcessExpired as exc:
            if exc.exitcode in _OUT_OF_MEMORY_SIGNALS:
                raise WorkerOutOfMemory(f"worker died with exit code {exc.exitcode}") from exc
            raise
        except BrokenProcessPool:
            await self.aclose()  # the next task starts a fresh pool instead of failing forever
            raise

    async def aclose(self) -> None:
        """Stop the workers (killing any running task) and wait for them to exit."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()  # type: ignore[no-untyped-call]
            await asyncio.to_thread(pool.join, 10)
