"""Word formatting as the reader sees it: docDefaults, styles (through basedOn), then direct formatting.

Colours may be given as theme colours (`w:themeColor`, `w:themeFill`, with tint and shade); a white
heading on a coloured bar is often set entirely in the paragraph style, and a table's cell shading in
its table style, so both are resolved here before any text is called hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from airecruiter.adapters.documents.hidden_text import TINY_POINTS, hex_color, is_dark, is_near_white
from airecruiter.ports.documents import HiddenReason

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_MAX_STYLE_DEPTH = 20  # basedOn chains are short; a cycle in a hostile file must not loop forever
_OFF = {"0", "false", "off"}
# w:themeColor / w:themeFill names and the colour-scheme slot each one means.
_THEME_SLOTS = {
    "dark1": "dk1",
    "text1": "dk1",
    "light1": "lt1",
    "background1": "lt1",
    "dark2": "dk2",
    "text2": "dk2",
    "light2": "lt2",
    "background2": "lt2",
    "hyperlink": "hlink",
    "followedHyperlink": "folHlink",
    **{f"accent{i}": f"accent{i}" for i in range(1, 7)},
}
# The Office theme's scheme, for documents without a theme part.
_OFFICE_DEFAULTS = {
    "dk1": "000000",
    "lt1": "FFFFFF",
    "dk2": "44546A",
    "lt2": "E7E6E6",
    "accent1": "4472C4",
    "accent2": "ED7D31",
    "accent3": "A5A5A5",
    "accent4": "FFC000",
    "accent5": "5B9BD5",
    "accent6": "70AD47",
    "hlink": "0563C1",
    "folHlink": "954F72",
}


@dataclass(frozen=True)
class RunLook:
    """The formatting that decides whether a run is visible."""

    vanish: bool = False
    color: str | None = None  # RRGGBB or None for automatic (black on white)
    half_points: int | None = None
    dark_shading: bool = False


class Theme:
    """The document theme's colour scheme (word/theme/theme1.xml), for colours given by theme name."""

    def __init__(self, theme: Any | None) -> None:
        self.colors = dict(_OFFICE_DEFAULTS)
        scheme = theme.find(f"{A}themeElements/{A}clrScheme") if theme is not None else None
        for slot in scheme if scheme is not None else ():
            name = slot.tag.removeprefix(A)
            for color in slot:
                value = color.get("lastClr") if color.tag == f"{A}sysClr" else color.get("val")
                if hex_color(value) is not None:
                    self.colors[name] = str(value).upper()

    def resolve(self, element: Any, value_attr: str, theme_attr: str) -> str | None:
        """The RRGGBB colour of `element` (e.g. w:color val/themeColor), tint and shade applied; None for auto."""
        theme_name = element.get(f"{W}{theme_attr}")
        value = self.colors.get(_THEME_SLOTS.get(theme_name or "", ""), element.get(f"{W}{value_attr}"))
        rgb = hex_color(value)
        if rgb is None:
            return None
        prefix = "themeFill" if theme_attr == "themeFill" else "theme"  # w:themeFillTint, w:themeTint
        tint = _byte(element.get(f"{W}{prefix}Tint")) if theme_name else None
        shade = _byte(element.get(f"{W}{prefix}Shade")) if theme_name else None
        channels = [c * shade if shade is not None else c for c in rgb]
        channels = [c + (1 - c) * (1 - tint) if tint is not None else c for c in channels]
        return "".join(f"{round(c * 255):02X}" for c in channels)


def _byte(value: str | None) -> float | None:
    try:
        return int(value, 16) / 255 if value else None
    except ValueError:
        return None


def _on(element: Any) -> bool:
    return element is not None and element.get(f"{W}val", "true").lower() not in _OFF


def _apply(look: RunLook, rpr: Any, theme: Theme) -> RunLook:
    if rpr is None:
        return look
    changes: dict[str, Any] = {}
    for tag in ("vanish", "specVanish"):
        element = rpr.find(f"{W}{tag}")
        if element is not None:
            changes["vanish"] = _on(element)
    color = rpr.find(f"{W}color")
    if color is not None:
        changes["color"] = theme.resolve(color, "val", "themeColor")
    size = rpr.find(f"{W}sz")
    if size is not None and (size.get(f"{W}val") or "").isdigit():
        changes["half_points"] = int(size.get(f"{W}val"))
    shading = rpr.find(f"{W}shd")
    if shading is not None:
        changes["dark_shading"] = shading_is_dark(shading, theme)
    highlight = rpr.find(f"{W}highlight")
    if highlight is not None and highlight.get(f"{W}val") not in (None, "none", "white"):
        changes["dark_shading"] = True
    return replace(look, **changes)


def shading_is_dark(shading: Any, theme: Theme | None = None) -> bool:
    """True when a w:shd backdrop is dark enough for white text to be read on it.

    A solid pattern paints the pattern colour (w:color, black when 'auto'); otherwise the fill shows.
    """
    theme = theme or Theme(None)
    if shading.get(f"{W}val") == "solid":
        rgb = hex_color(theme.resolve(shading, "color", "themeColor") or "000000")
    else:
        rgb = hex_color(theme.resolve(shading, "fill", "themeFill"))
    return rgb is not None and is_dark(*rgb)


class StyleSheet:
    """The styles part of a document, resolving formatting through style inheritance."""

    def __init__(self, styles: Any | None, theme: Theme | None = None) -> None:
        self.theme = theme or Theme(None)
        self._styles: dict[str, Any] = {}
        self._default_paragraph: str | None = None
        self._defaults = RunLook()
        if styles is None:
            return
        for style in styles.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            if style_id:
                self._styles[style_id] = style
                if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") in ("1", "true", "on"):
                    self._default_paragraph = style_id
        self._defaults = _apply(RunLook(), styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"), self.theme)

    def _chain(self, style_id: str | None) -> list[Any]:
        """The style elements from the root of the basedOn chain down to `style_id`."""
        chain: list[Any] = []
        while style_id and style_id in self._styles and len(chain) < _MAX_STYLE_DEPTH:
            style = self._styles[style_id]
            chain.append(style)
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
        return list(reversed(chain))

    def _paragraph_style(self, paragraph: Any) -> str | None:
        paragraph_style = paragraph.find(f"{W}pPr/{W}pStyle")
        return paragraph_style.get(f"{W}val") if paragraph_style is not None else self._default_paragraph

    def look(self, run: Any, paragraph: Any) -> RunLook:
        """The effective formatting of `run` inside `paragraph`."""
        look = self._defaults
        run_style = run.find(f"{W}rPr/{W}rStyle")
        chains = [*self._chain(self._paragraph_style(paragraph))]
        chains += self._chain(run_style.get(f"{W}val") if run_style is not None else None)
        for style in chains:
            look = _apply(look, style.find(f"{W}rPr"), self.theme)
        return _apply(look, run.find(f"{W}rPr"), self.theme)

    def _last_shading(self, elements: list[Any], path: str) -> Any | None:
        found = None
        for element in elements:
            shading = element.find(path) if element is not None else None
            found = shading if shading is not None else found
        return found

    def paragraph_dark(self, paragraph: Any) -> bool:
        """True when the paragraph's own or its style's shading is a dark bar."""
        chain = [*self._chain(self._paragraph_style(paragraph)), paragraph]
        shading = self._last_shading(chain, f"{W}pPr/{W}shd")
        return shading is not None and shading_is_dark(shading, self.theme)

    def table_dark(self, table: Any) -> bool:
        """True when the table's style (or the table itself) shades its cells dark."""
        table_style = table.find(f"{W}tblPr/{W}tblStyle")
        chain = self._chain(table_style.get(f"{W}val") if table_style is not None else None)
        shading = self._last_shading([*chain, table], f"{W}tblPr/{W}shd")
        shading = self._last_shading(chain, f"{W}tcPr/{W}shd") if shading is None else shading
        return shading is not None and shading_is_dark(shading, self.theme)

    def cell_dark(self, cell: Any, table_dark: bool) -> bool:
        """True when a table cell's backdrop is dark: its own shading, else its table's."""
        shading = cell.find(f"{W}tcPr/{W}shd")
        if shading is None:
            return table_dark
        return shading_is_dark(shading, self.theme)


def hidden_reason(look: RunLook, *, dark_backdrop: bool) -> HiddenReason | None:
    """Why a run with this formatting is invisible on the page, or None when a reader sees it."""
    if look.vanish:
        return "hidden run"
    rgb = hex_color(look.color)
    if rgb is not None and is_near_white(*rgb) and not (dark_backdrop or look.dark_shading):
        return "white text"
    if look.half_points is not None and look.half_points < 2 * TINY_POINTS:
        return "tiny text"
    return None
