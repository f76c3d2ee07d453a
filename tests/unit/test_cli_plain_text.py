"""Names and messages from outside are printed by the CLI as written, never read as Rich markup."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from rich.table import Table

from airecruiter.cli.common import add_plain_row, shown

HOSTILE = ["[/bold]", "[link=https://evil.example]Jane[/link]", "Doe [red]", "\u202eeoD\u202c \x1b[2J"]


def _render(*printables: object) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="truecolor", width=200)
    for printable in printables:
        console.print(printable)
    return out.getvalue()


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_in_a_table_is_printed_as_text(name: str) -> None:
    table = Table()
    table.add_column("candidate")
    add_plain_row(table, name)
    rendered = _render(table)
    assert "\x1b]8;" not in rendered  # no terminal hyperlink
    assert "\u202e" not in rendered and "\x1b[2J" not in rendered  # no bidi override, no screen clear


@pytest.mark.parametrize("name", HOSTILE[:3])
def test_a_hostile_name_inside_markup_prints_literally(name: str) -> None:
    rendered = _render(f"[bold]{shown(name)}[/bold] is now in Interview.")
    assert name in re.sub(r"\x1b\[[0-9;]*m", "", rendered)  # colours off: the name as written
    assert "\x1b]8;" not in rendered


def test_without_the_helpers_rich_would_crash_or_link_so_the_test_means_something() -> None:
    with pytest.raises(Exception, match="closing tag"):
        _render(f"[bold]{HOSTILE[0]}[/bold]")
    assert "\x1b]8;" in _render(HOSTILE[1])
