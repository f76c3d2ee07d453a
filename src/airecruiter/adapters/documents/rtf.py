"""RTF extraction: a small, linear tokenizer that keeps the visible text and reports hidden text.

RTF is plain 7-bit text with control words; what a reader sees is the text outside the ignorable
destinations (font and colour tables, pictures, objects, field instructions, `{\\*...}` groups).
Text formatted hidden (`\\v`), white (`\\cf` of a near-white colour with no dark highlight) or tiny
(`\\fs` below 8 half-points) is removed and reported, as for Word. The scanner is one regular
expression without backtracking over the input, and the group stack is bounded.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace

from airecruiter.adapters.documents.docx import forgive_glyphs
from airecruiter.adapters.documents.hidden_text import TINY_POINTS, clean_text, is_dark, is_near_white, spans
from airecruiter.domain.text_hygiene import clean_characters
from airecruiter.errors import ParseError
from airecruiter.ports.documents import RTF, ExtractedDocument, HiddenReason

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z'])|([{}])|[\r\n]+|([^\\{}\r\n]+)"
)
_MAX_DEPTH = 200
_SKIPPED = frozenset(
    b"fonttbl stylesheet info pict object objdata themedata colorschememapping latentstyles datastore "
    b"xmlnstbl listtable listoverridetable rsidtbl generator fldinst filetbl revtbl xe tc "
    b"bkmkstart bkmkend nonshppict shpinst operator author company title subject keywords "
    b"doccomm mmathPr pgdsctbl".split()
)
_BREAKS = {b"par": "\n", b"line": "\n", b"sect": "\n", b"page": "\n", b"row": "\n", b"cell": "\t", b"tab": "\t"}
_SYMBOLS = {
    b"emdash": "—",
    b"endash": "–",
    b"bullet": "•",
    b"lquote": "‘",
    b"rquote": "’",
    b"ldblquote": "“",
    b"rdblquote": "”",
    b"emspace": " ",
    b"enspace": " ",
}
_ESCAPES = {b"~": "\u00a0", b"_": "-", b"-": "", b"\\": "\\", b"{": "{", b"}": "}", b"\n": "\n", b"\r": "\n"}


@dataclass(frozen=True)
class _State:
    skip: bool = False
    hidden: bool = False
    color: int = 0
    highlight: int = 0
    half_points: int = 24
    uc: int = 1


@dataclass
class _Reader:
    codepage: str = "cp1252"
    colors: list[tuple[float, float, float] | None] = field(default_factory=list)
    chars: list[str] = field(default_factory=list)
    flags: list[HiddenReason | None] = field(default_factory=list)

    def emit(self, text: str, state: _State) -> None:
        if state.skip or not text:
            return
        self.chars.extend(text)
        self.flags.extend([self.reason(state)] * len(text))

    def reason(self, state: _State) -> HiddenReason | None:
        if state.hidden:
            return "hidden run"
        color = self.colors[state.color] if 0 < state.color < len(self.colors) else None
        backdrop = self.colors[state.highlight] if 0 < state.highlight < len(self.colors) else None
        if color is not None and is_near_white(*color) and not (backdrop is not None and is_dark(*backdrop)):
            return "white text"
        if state.half_points < 2 * TINY_POINTS:
            return "tiny text"
        return None


def read_rtf(data: bytes, *, filename: str) -> ExtractedDocument:
    """The visible text of an RTF document and its hidden runs."""
    reader = _Reader(colors=_color_table(data))
    _scan(data, reader)
    flags = forgive_glyphs(reader.chars, reader.flags)
    visible = "".join(c for c, flag in zip(reader.chars, flags, strict=True) if flag is None)
    text = clean_text(clean_characters(visible))
    if not text:
        raise ParseError(f"{filename} contains no readable text; ask the candidate to send the résumé as a PDF.")
    flat = " ".join(text.casefold().split())
    hidden = [h for h in spans(flags, reader.chars, None) if " ".join(h.text.casefold().split()) not in flat]
    return ExtractedDocument(text=text, content_type=RTF, pages=None, hidden=hidden)


def _scan(data: bytes, reader: _Reader) -> None:
    stack: list[_State] = []
    state = _State()
    pending_skip = 0  # characters still to drop after a \uN (its ANSI fallback)
    for match in _TOKEN.finditer(data):
        word, number, hex_byte, symbol, brace, text = match.groups()
        if brace == b"{":
            if len(stack) >= _MAX_DEPTH:
                raise ParseError("The RTF file nests groups too deeply to be a résumé; ask for a PDF.")
            stack.append(state)
            continue
        if brace == b"}":
            state = stack.pop() if stack else state
            continue
        if word is not None:
            state, pending_skip = _control(word, number, state, reader, pending_skip)
        elif symbol is not None:
            if symbol == b"*":
                state = replace(state, skip=True)
            else:
                reader.emit(_ESCAPES.get(symbol, ""), state)
        elif hex_byte is not None:
            if pending_skip:
                pending_skip -= 1
            else:
                reader.emit(codecs.decode(bytes.fromhex(hex_byte.decode()), reader.codepage, "replace"), state)
        elif text is not None:
            decoded = text.decode(reader.codepage, "replace")
            dropped = min(pending_skip, len(decoded))
            pending_skip -= dropped
            reader.emit(decoded[dropped:], state)


def _control(
    word: bytes, number: bytes | None, state: _State, reader: _Reader, pending_skip: int
) -> tuple[_State, int]:
    value = int(number) if number is not None else None
    if word in _SKIPPED or word == b"colortbl":
        return replace(state, skip=True), pending_skip
    if word == b"u" and value is not None:
        reader.emit(chr(value % 65536) if value % 65536 else "", state)
        return state, state.uc
    if word in _BREAKS:
        reader.emit(_BREAKS[word], state)
    elif word in _SYMBOLS:
        reader.emit(_SYMBOLS[word], state)
    elif word == b"ansicpg" and value is not None:
        reader.codepage = _codepage(value, reader.codepage)
    elif word == b"uc" and value is not None:
        state = replace(state, uc=max(0, min(value, 10)))
    elif word == b"v":
        state = replace(state, hidden=value != 0)
    elif word == b"cf":
        state = replace(state, color=value or 0)
    elif word in (b"highlight", b"cb", b"chcbpat"):
        state = replace(state, highlight=value or 0)
    elif word == b"fs":
        state = replace(state, half_points=value if value is not None else 24)
    elif word == b"plain":
        state = replace(state, hidden=False, color=0, highlight=0, half_points=24)
    return state, pending_skip


def _codepage(number: int, current: str) -> str:
    try:
        return codecs.lookup(f"cp{number}").name
    except LookupError:
        return current


_COLOR_TABLE = re.compile(rb"\{\\colortbl\s*;?(.*?)\}", re.S)
_COLOR = re.compile(rb"\\red(\d{1,3})\s*\\green(\d{1,3})\s*\\blue(\d{1,3})")


def _color_table(data: bytes) -> list[tuple[float, float, float] | None]:
    """The \\colortbl entries (index 0 is 'auto'), as 0..1 channels."""
    match = _COLOR_TABLE.search(data[:65536])
    if match is None:
        return [None]
    colors: list[tuple[float, float, float] | None] = [None]
    for entry in match.group(1).split(b";")[:-1] if match.group(1).strip() else []:
        found = _COLOR.search(entry)
        red, green, blue = (min(int(c), 255) / 255 for c in found.groups()) if found else (0.0, 0.0, 0.0)
        colors.append((red, green, blue) if found else None)
    return colors
