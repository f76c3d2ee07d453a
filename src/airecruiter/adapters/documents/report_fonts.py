"""Fonts for the candidate report: every script a candidate's name or words may be written in.

The report's own typeface (Libertinus Serif, bundled with Typst) covers Latin, Greek and Cyrillic.
Arabic, Hebrew, Devanagari, Chinese, Japanese and Korean come from Google's Noto fonts, which
`make fonts` installs from Debian (fonts-noto-core, fonts-noto-cjk). They are looked up in the
standard font directories of Debian and the XDG base directories, so no machine's path is written
down anywhere; an operator can add directories with the renderer's `font_paths`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

# Typst tries these in order for each character; the first that has the glyph draws it.
FONT_FALLBACK = (
    "Libertinus Serif",
    "Noto Serif",
    "Noto Naskh Arabic",
    "Noto Serif Hebrew",
    "Noto Serif Devanagari",
    "Noto Serif CJK SC",
    "Noto Serif CJK JP",
    "Noto Serif CJK KR",
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
)
MONO_FALLBACK = ("DejaVu Sans Mono", *FONT_FALLBACK[1:])
# Where Debian packages put fonts (fonts-noto-* use opentype/noto and truetype/noto).
_SYSTEM_FONT_ROOTS = ("/usr/share/fonts", "/usr/local/share/fonts")
_NOTO_SUBDIRS = ("opentype/noto", "truetype/noto", "opentype/noto-cjk", "truetype/dejavu")


def font_roots(environ: dict[str, str] | None = None) -> list[Path]:
    """The font directories of the system and the XDG base directories (user fonts first)."""
    env = os.environ if environ is None else environ
    home = Path(env.get("HOME", "~")).expanduser()
    data_home = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
    data_dirs = [Path(d) for d in (env.get("XDG_DATA_DIRS") or "").split(os.pathsep) if d]
    roots = [data_home / "fonts", home / ".fonts", *(d / "fonts" for d in data_dirs)]
    roots += [Path(root) for root in _SYSTEM_FONT_ROOTS]
    return _unique(roots)


def discover_font_dirs(extra: Sequence[Path] = (), roots: Iterable[Path] | None = None) -> list[Path]:
    """Existing directories holding the report's script fonts: `extra` first, then Noto under the font roots."""
    found = [Path(path) for path in extra if Path(path).is_dir()]
    for root in font_roots() if roots is None else roots:
        found += [root / sub for sub in _NOTO_SUBDIRS if (root / sub).is_dir()]
    return _unique(found)


def _unique(paths: Iterable[Path]) -> list[Path]:
    return list(dict.fromkeys(paths))
