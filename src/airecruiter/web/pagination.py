"""Pages of a list: which slice to read and what the pager shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000  # far past any list's end, and (page - 1) * size stays a small number
MAX_ID = 2**63 - 1  # PostgreSQL's bigint


def whole_number(value: str | None, *, high: int = MAX_ID) -> int | None:
    """A positive whole number typed into an address (ASCII digits, 1..high); None for anything else.

    `str.isdigit` is not enough: it accepts "²", which `int()` refuses.
    """
    text = (value or "").strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > len(str(high)):
        return None
    number = int(text)
    return number if 0 < number <= high else None


def page_number(value: str | None) -> int | None:
    """The page asked for in the address, or None (the first page) when it is not a page number."""
    return whole_number(value, high=MAX_PAGE)


@dataclass(frozen=True)
class PageRequest:
    """The slice a request asks for (page numbers start at 1)."""

    number: int = 1
    size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def of(cls, number: int | None, size: int | None = None) -> PageRequest:
        """Clamp user input to a valid page."""
        return cls(max(1, number or 1), min(MAX_PAGE_SIZE, max(1, size or DEFAULT_PAGE_SIZE)))

    @property
    def offset(self) -> int:
        """Rows to skip."""
        return (self.number - 1) * self.size


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of items and where it sits in the whole list."""

    items: list[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages the list has (at least 1)."""
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        """Whether there is a page before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether there is a page after this one."""
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        """1-based position of the first item shown (0 when empty)."""
        return 0 if not self.items else (self.number - 1) * self.size + 1

    @property
    def last_index(self) -> int:
        """1-based position of the last item shown."""
        return 0 if not self.items else self.first_index + len(self.items) - 1
