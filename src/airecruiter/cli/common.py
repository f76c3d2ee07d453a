"""What every command shares: logging, settings with readable errors, an application's lifetime."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, TypeVar

import structlog
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from airecruiter.bootstrap import Application, Wiring, build
from airecruiter.config import Settings, load_settings
from airecruiter.domain.text_hygiene import clean_line
from airecruiter.errors import AIRecruiterError
from airecruiter.queue.jobs import Processor
from airecruiter.queue.tracebacks import SafeExceptions, report

T = TypeVar("T")
console = Console()
err_console = Console(stderr=True)


def shown(value: object) -> str:
    """Outside text (a candidate's name, a Workday value, an error message) to put into Rich markup.

    Names come from Workday and error messages can quote them: "[/bold]" must print as written, not
    end a style (or crash), and "[link=…]" must not become a live terminal hyperlink. Control and
    bidi characters go too, so nothing can move the cursor or reverse the line.
    """
    return escape(clean_line(str(value)))


def add_plain_row(table: Table, *values: object) -> None:
    """A table row whose cells are shown as plain text, never read as markup."""
    table.add_row(*(Text(clean_line(str(value))) for value in values))


def log_processors(fmt: str = "console") -> list[structlog.typing.Processor]:
    """The processor chain of every log line; a logged exception becomes an `exception` field
    holding its class, stack and redacted message (a JSON object in JSON logs)."""
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    return [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        SafeExceptions(structured=fmt == "json"),
        renderer,
    ]


class SafeFormatter(logging.Formatter):
    """Lines of the standard library's loggers (uvicorn, asyncio, SQLAlchemy): an exception they log
    is shown as our safe report (class, stack, redacted message), never with its raw message, which
    can quote a candidate's data (uvicorn logs every exception that escapes the web app)."""

    def formatException(self, ei: Any) -> str:
        error = ei[1] if isinstance(ei, tuple) else None
        if isinstance(error, BaseException):
            return report(error).to_text()
        return super().formatException(ei)


def configure_logging(fmt: str = "console", level: str = "INFO") -> None:
    """structlog: JSON lines in production, readable lines in a terminal; both to stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(SafeFormatter("%(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    structlog.configure(
        processors=log_processors(fmt),
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )


def settings_or_exit(**overrides: object) -> Settings:
    """Load settings; on a bad value print the sentence that names it and exit 2."""
    try:
        settings = load_settings(**overrides)
    except AIRecruiterError as exc:
        err_console.print(f"[red]{shown(exc.message)}[/red]", soft_wrap=True)
        raise typer.Exit(2) from None  # the sentence is printed; a traceback would only bury it
    configure_logging(settings.LOG_FORMAT, settings.LOG_LEVEL)
    return settings


def with_runtime(
    settings: Settings,
    action: Callable[[Application], Awaitable[T]],
    *,
    processors: Mapping[str, Processor] | None = None,
    pipeline: bool = True,
    workday: bool = False,
    migrate: bool | None = None,
) -> T:
    """Build the application, run `action`, close it; our errors become a message and exit 1.

    The pipeline's processors are not registered (a command runs no worker) and Workday is not
    connected unless `workday` asks for it.
    """
    wiring = Wiring(workday=workday, pipeline=pipeline, run_pipeline=False, extra_processors=processors or {})

    async def main() -> T:
        application = await build(settings, wiring, migrate=migrate)
        try:
            return await action(application)
        finally:
            await application.aclose()

    return run_command(main())


def run_command(main: Coroutine[object, object, T]) -> T:
    """Run `main` in a fresh event loop; our errors become a message and exit 1."""
    try:
        return asyncio.run(main)
    except AIRecruiterError as exc:
        err_console.print(f"[red]{shown(exc.message)}[/red]", soft_wrap=True)
        raise typer.Exit(1) from None  # the sentence is printed; a traceback would only bury it
    except OSError as exc:
        err_console.print(f"[red]Cannot reach the database: {shown(exc)}. Check DATABASE_URL.[/red]", soft_wrap=True)
        raise typer.Exit(1) from None  # printed as a sentence, as above
