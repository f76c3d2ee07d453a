"""Rules shared by the PDF and Word readers for text a human reader would not see, and text clean-up."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from airecruiter.domain.text_hygiene import clean_characters
from airecruiter.ports.documents import HiddenReason, HiddenText

NEAR_WHITE = 0.92  # every channel at least this bright (0..1) reads as white on a white page
DARK_BACKDROP = 0.75  # a backdrop darker than this (mean channel) makes white text legible
MIN_ALPHA = 0.06  # fill alpha below this is invisible whatever the colour
TINY_POINTS = 4.0  # body text is 9-12 pt; below 4 pt nobody reads it on screen or paper
MIN_VISIBLE_FRACTION = 0.5  # less than half of a text run inside its clip/page box counts as hidden

Box = tuple[float, float, float, float]  # left, bottom, right, top

# Zero-width and bidi-control characters and the Unicode "tag" block (U+E0000-E007F), which hides
# ASCII text from readers while language models still read it ("ASCII smuggling").
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]+")
_TAGS = re.compile("[\U000e0020-\U000e007e]")
_TAG_RUNS = re.compile("([\U000e0000-\U000e007f]+)")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def is_near_white(red: float, green: float, blue: float) -> bool:
    """True for a colour (channels 0..1) that cannot be told apart from a white page."""
    return min(red, green, blue) >= NEAR_WHITE


def is_dark(red: float, green: float, blue: float) -> bool:
    """True for a backdrop colour on which white text is legible."""
    return (red + green + blue) / 3 < DARK_BACKDROP


def is_tiny(points: float) -> bool:
    """True for a rendered font size too small to read (but not zero-size glyph artefacts)."""
    return 0 < points < TINY_POINTS


def hex_color(value: str | None) -> tuple[float, float, float] | None:
    """An `RRGGBB` colour (as Word writes it) as 0..1 channels; None for `auto` or junk."""
    if not value or len(value) != 6:
        return None
    try:
        return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)
    except ValueError:
        return None


def visible_fraction(box: Box, window: Box) -> float:
    """How much of `box`'s area lies inside `window` (a clip path or the page); 1.0 for a degenerate box."""
    width, height = box[2] - box[0], box[3] - box[1]
    overlap_w = min(box[2], window[2]) - max(box[0], window[0])
    overlap_h = min(box[3], window[3]) - max(box[1], window[1])
    if width <= 0 or height <= 0:
        # A zero-area glyph box (a space) is visible when its point lies inside the window.
        return 1.0 if overlap_w >= 0 and overlap_h >= 0 else 0.0
    if overlap_w <= 0 or overlap_h <= 0:
        return 0.0
    return (overlap_w * overlap_h) / (width * height)


def contains_point(box: Box, x: float, y: float) -> bool:
    """True when (x, y) lies inside `box`."""
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def strip_invisible_characters(text: str, page: int | None = None) -> tuple[str, list[HiddenText]]:
    """`text` without zero-width/tag characters, and a report of any tag-smuggled text they spelled."""
    if not _INVISIBLE.search(text):
        return text, []
    hidden: list[HiddenText] = []
    for match in _INVISIBLE.finditer(text):
        smuggled = "".join(chr(ord(c) - 0xE0000) for c in match.group() if _TAGS.match(c))
        if smuggled.strip():
            hidden.append(HiddenText(text=smuggled.strip(), reason="invisible characters", page=page))
    return _INVISIBLE.sub("", text), hidden


def spans(flags: Sequence[HiddenReason | None], chars: Sequence[str], page: int | None) -> list[HiddenText]:
    """Runs of consecutive characters flagged with the same reason, as reportable hidden text."""
    found: list[HiddenText] = []
    current: list[str] = []
    reason: HiddenReason | None = None
    for flag, char in [*zip(flags, chars, strict=True), (None, "")]:
        if flag != reason and current and reason is not None:
            text = " ".join("".join(current).split())
            if text:
                found.append(HiddenText(text=text, reason=reason, page=page))
            current = []
        reason = flag
        if flag is not None:
            current.append(char)
    return found


def merge_hidden(items: Iterable[HiddenText]) -> list[HiddenText]:
    """Hidden items without exact repeats (headers repeat on every page), in first-seen order."""
    seen: set[tuple[str, str]] = set()
    merged: list[HiddenText] = []
    for item in items:
        key = (item.text, item.reason)
        if key not in seen:
            seen.add(key)
            merged.append(item)
    return merged


def reportable(hidden: str, visible: str) -> bool:
    """Whether a hidden run is worth a warning: words (not an icon glyph, a bullet or a lone page
    number) that the page does not also show visibly (a transparent copy of visible text)."""
    words = " ".join(clean_characters(hidden).split())
    if sum(1 for c in words if c.isalnum()) < 2:
        return False
    return words.casefold() not in " ".join(visible.split()).casefold()


def clean_text(text: str) -> str:
    """Text after character hygiene, with no trailing blanks, runs of spaces and blank lines collapsed."""
    # Unicode tags stay until strip_invisible_characters has reported what they spell.
    parts = _TAG_RUNS.split(text)
    text = "".join(part if i % 2 else clean_characters(part) for i, part in enumerate(parts))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
