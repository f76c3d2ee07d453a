"""Word run formatting as the reader sees it: docDefaults, paragraph and character styles, then direct formatting."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from airecruiter.adapters.documents.hidden_text import TINY_POINTS, hex_color, is_dark, is_near_white
from airecruiter.ports.documents import HiddenReason

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_STYLE_DEPTH = 20  # basedOn chains are short; a cycle in a hostile file must not loop forever
_OFF = {"0", "false", "off"}


@dataclass(frozen=True)
class RunLook:
    """The formatting that decides whether a run is visible."""

    vanish: bool = False
    color: str | None = None  # RRGGBB or None for automatic (black on white)
    half_points: int | None = None
    dark_shading: bool = False


def _on(element: Any) -> bool:
    return element is not None and element.get(f"{W}val", "true").lower() not in _OFF


def _apply(look: RunLook, rpr: Any) -> RunLook:
    if rpr is None:
        return look
    changes: dict[str, Any] = {}
    for tag in ("vanish", "specVanish"):
        element = rpr.find(f"{W}{tag}")
        if element is not None:
            changes["vanish"] = _on(element)
    color = rpr.find(f"{W}color")
    if color is not None:
        value = color.get(f"{W}val")
        changes["color"] = None if value in (None, "auto") else value
    size = rpr.find(f"{W}sz")
    if size is not None and (size.get(f"{W}val") or "").isdigit():
        changes["half_points"] = int(size.get(f"{W}val"))
    shading = rpr.find(f"{W}shd")
    if shading is not None:
        changes["dark_shading"] = shading_is_dark(shading)
    highlight = rpr.find(f"{W}highlight")
    if highlight is not None and highlight.get(f"{W}val") not in (None, "none", "white"):
        changes["dark_shading"] = True
    return replace(look, **changes)


def shading_is_dark(shading: Any) -> bool:
    """True when a w:shd fill is dark enough for white text to be read on it."""
    rgb = hex_color(shading.get(f"{W}fill"))
    return rgb is not None and is_dark(*rgb)


class StyleSheet:
    """The styles part of a document, resolving run formatting through style inheritance."""

    def __init__(self, styles: Any | None) -> None:
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
        self._defaults = _apply(RunLook(), styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))

    def _chain(self, style_id: str | None) -> list[Any]:
        chain: list[Any] = []
        while style_id and style_id in self._styles and len(chain) < _MAX_STYLE_DEPTH:
            style = self._styles[style_id]
            chain.append(style.find(f"{W}rPr"))
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
        return list(reversed(chain))

    def look(self, run: Any, paragraph: Any) -> RunLook:
        """The effective formatting of `run` inside `paragraph`."""
        look = self._defaults
        paragraph_style = paragraph.find(f"{W}pPr/{W}pStyle")
        style_id = paragraph_style.get(f"{W}val") if paragraph_style is not None else self._default_paragraph
        run_style = run.find(f"{W}rPr/{W}rStyle")
        for rpr in [*self._chain(style_id), *self._chain(run_style.get(f"{W}val") if run_style is not None else None)]:
            look = _apply(look, rpr)
        return _apply(look, run.find(f"{W}rPr"))


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
