"""Character hygiene for text from outside: résumés, Workday fields, candidates' answers.

One place decides which characters a piece of outside text may keep before anything else reads
it — redaction, the evidence check, the model, a mail header, a terminal. What goes:
- C0/C1 control characters (but line breaks and tabs in running text), and the soft hyphen;
- bidirectional controls (U+202A-U+202E, U+2066-U+2069, LRM/RLM/ALM), which can make a name read
  backwards on screen (`Trojan Source`), and zero-width characters;
- private-use characters (icon fonts leak them: the envelope before an address, a bullet glyph).
What is mended:
- a spacing diacritic written beside its letter, as TeX-made PDFs give them ("J¨org", "Assun¸c˜ao")
  is joined with that letter ("Jörg", "Assunção") — only where Unicode has the composed letter;
- PDFium's line-end hyphen marker (U+0002) becomes the hyphen the page shows.
"""

from __future__ import annotations

import re
import unicodedata

# Spacing (stand-alone) accents and the combining mark each one stands for.
_SPACING_TO_COMBINING = {
    "\u00a8": "\u0308",  # ¨ diaeresis
    "\u00b4": "\u0301",  # ´ acute
    "\u02ca": "\u0301",  # ˊ modifier acute
    "\u02cb": "\u0300",  # ˋ modifier grave
    "\u02c6": "\u0302",  # ˆ circumflex
    "\u02dc": "\u0303",  # ˜ tilde
    "\u00b8": "\u0327",  # ¸ cedilla
    "\u02c7": "\u030c",  # ˇ caron
    "\u02d8": "\u0306",  # ˘ breve
    "\u02d9": "\u0307",  # ˙ dot above
    "\u02da": "\u030a",  # ˚ ring above
    "\u00af": "\u0304",  # ¯ macron
    "\u02c9": "\u0304",  # ˉ modifier macron
    "\u02dd": "\u030b",  # ˝ double acute
    "\u02db": "\u0328",  # ˛ ogonek
}
_ACCENTS = "".join(_SPACING_TO_COMBINING)
# The accent before its letter (TeX's order), optionally with one space between.
_ACCENT_FIRST = re.compile(rf"([{_ACCENTS}])[ \u00a0]?([^\W\d_])")
# People type the acute accent as an apostrophe ("it´s", "I´m", "we´re"): it is joined only with
# a vowel or with the consonants that take it in names (ć ń ź), never with s, m, r, l.
_ACUTE_LETTERS = frozenset("aeiouyAEIOUYıcnzCNZ")
_ACUTES = frozenset("\u00b4\u02ca")
# A soft hyphen standing alone between spaces is a dash some templates draw ("2023 \u00ad 2024").
_LONE_SOFT_HYPHEN = re.compile(r"(?<=\s)\u00ad(?=\s)")

LINE_END_HYPHEN = "\x02"  # what PDFium reports for a hyphen it thinks ends a line
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_ZERO_WIDTH = "\u200b-\u200d\u2060-\u2064\ufeff\U000e0000-\U000e007f"  # and Unicode tags
_PRIVATE_USE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
# Controls except tab and line feed (carriage returns are turned into line feeds first).
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_DROPPED_IN_TEXT = re.compile(f"[{_CONTROLS}{_BIDI}{_ZERO_WIDTH}{_PRIVATE_USE}\u00ad\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_SPACES = re.compile(r"\s+")


def _compose(letter: str, accent: str) -> str | None:
    """The composed letter for `letter` + spacing `accent`, or None when Unicode has none."""
    base = "i" if letter == "ı" else "j" if letter == "ȷ" else letter  # TeX's dotless i/j take accents
    composed = unicodedata.normalize("NFC", base + _SPACING_TO_COMBINING[accent])
    return composed if len(composed) == 1 else None


def compose_spacing_diacritics(text: str) -> str:
    """`text` with each spacing accent joined to the letter it was written beside ("J¨org" → "Jörg")."""
    if not any(accent in text for accent in _SPACING_TO_COMBINING):
        return text

    def joined(match: re.Match[str]) -> str:
        accent, letter = match.group(1), match.group(2)
        if accent in _ACUTES and letter not in _ACUTE_LETTERS:
            return match.group()
        return _compose(letter, accent) or match.group()

    return _ACCENT_FIRST.sub(joined, text)


def clean_characters(text: str) -> str:
    """Running text (several lines) with only characters a reader sees, accents composed, NFC.

    Line breaks and tabs stay; layout (spaces, blank lines) is left to the caller.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace(LINE_END_HYPHEN, "-")
    text = compose_spacing_diacritics(_DROPPED_IN_TEXT.sub("", _LONE_SOFT_HYPHEN.sub("-", text)))
    return unicodedata.normalize("NFC", text)


def clean_line(value: str) -> str:
    """A one-line value (a name, a title) as plain text: hygiene applied, whitespace collapsed to spaces."""
    value = _LINE_BREAKS.sub(" ", value.replace(LINE_END_HYPHEN, "-"))
    value = compose_spacing_diacritics(_DROPPED_IN_TEXT.sub("", _LONE_SOFT_HYPHEN.sub("-", value)))
    value = _SPACES.sub(" ", value).strip()
    return unicodedata.normalize("NFC", value)
