"""Hidden-text classification of a PDF page's text objects through PDFium (colour, size, clip, position)."""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from airecruiter.adapters.documents.hidden_text import (
    MIN_ALPHA,
    MIN_VISIBLE_FRACTION,
    Box,
    contains_point,
    is_dark,
    is_near_white,
    is_tiny,
    visible_fraction,
)
from airecruiter.ports.documents import HiddenReason

_INVISIBLE_MODES = {pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE, pdfium_c.FPDF_TEXTRENDERMODE_CLIP}
_STROKE_MODES = {pdfium_c.FPDF_TEXTRENDERMODE_STROKE, pdfium_c.FPDF_TEXTRENDERMODE_STROKE_CLIP}


@dataclass
class PageScan:
    """What one page's objects say: hidden text objects by handle address, and where they are."""

    hidden: dict[int, HiddenReason] = field(default_factory=dict)
    images: int = 0


@dataclass
class _Backdrops:
    dark: list[Box] = field(default_factory=list)  # filled paths and images white text may sit on
    images: list[Box] = field(default_factory=list)  # OCR layers draw invisible text over a scan


def address(handle: Any) -> int:
    """A stable integer for a PDFium object handle, to compare handles from different calls."""
    return int(ctypes.cast(handle, ctypes.c_void_p).value or 0)


def scan_page(page: pdfium.PdfPage) -> PageScan:
    """Classify every text object on `page`; visible ones are not listed."""
    page_box: Box = tuple(page.get_cropbox())
    scan = PageScan()
    backdrops = _Backdrops()
    texts: list[Any] = []
    for obj in page.get_objects(max_depth=4):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
            texts.append(obj)
        elif obj.type in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_SHADING):
            backdrops.dark.append(tuple(obj.get_bounds()))
            backdrops.images.append(tuple(obj.get_bounds()))
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_PATH and _dark_fill(obj):
            backdrops.dark.append(tuple(obj.get_bounds()))
    scan.images = len(backdrops.images)
    for obj in texts:
        box: Box = tuple(obj.get_bounds())
        reason = _classify(obj, box, page_box, backdrops)
        if reason is not None:
            scan.hidden[address(obj.raw)] = reason
    return scan


def _classify(obj: Any, box: Box, page_box: Box, backdrops: _Backdrops) -> HiddenReason | None:
    centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw)
    if mode in _INVISIBLE_MODES:
        # Invisible text over an image is a scanned page's OCR layer: the text is what the scan shows.
        if any(contains_point(image, *centre) for image in backdrops.images):
            return None
        return "invisible text"
    red, green, blue, alpha = _colour(obj, stroke=mode in _STROKE_MODES)
    if alpha < MIN_ALPHA:
        return "invisible text"
    if is_near_white(red, green, blue) and not any(contains_point(d, *centre) for d in backdrops.dark):
        return "white text"
    if is_tiny(_rendered_size(obj)):
        return "tiny text"
    window = _clip_box(obj.raw)
    visible = visible_fraction(box, page_box)
    if window is not None:
        visible = min(visible, visible_fraction(box, window))
    if visible < MIN_VISIBLE_FRACTION:
        return "clipped/off-page"
    return None


def _colour(obj: Any, *, stroke: bool) -> tuple[float, float, float, float]:
    channels = [ctypes.c_uint() for _ in range(4)]
    getter = pdfium_c.FPDFPageObj_GetStrokeColor if stroke else pdfium_c.FPDFPageObj_GetFillColor
    if not getter(obj.raw, *channels):
        return (0.0, 0.0, 0.0, 1.0)  # unknown colour (patterns): assume ink, never hide on a guess
    red, green, blue, alpha = (c.value / 255 for c in channels)
    return red, green, blue, alpha


def _dark_fill(obj: Any) -> bool:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill_mode, stroke):
        return False
    if fill_mode.value == pdfium_c.FPDF_FILLMODE_NONE:
        return False
    red, green, blue, alpha = _colour(obj, stroke=False)
    return alpha >= MIN_ALPHA and is_dark(red, green, blue)


def _rendered_size(obj: Any) -> float:
    size = ctypes.c_float()
    if not pdfium_c.FPDFTextObj_GetFontSize(obj.raw, size):
        return 0.0
    matrix = obj.get_matrix()
    # The font size is scaled by the text matrix; its area factor gives the size a reader sees.
    scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    return float(size.value) * scale


def _clip_box(handle: Any) -> Box | None:
    clip = pdfium_c.FPDFPageObj_GetClipPath(handle)
    if not clip:
        return None
    window: Box | None = None
    for index in range(max(pdfium_c.FPDFClipPath_CountPaths(clip), 0)):
        path_box = _path_box(clip, index)
        if path_box is None:
            continue
        window = path_box if window is None else _intersect(window, path_box)
    return window


def _path_box(clip: Any, index: int) -> Box | None:
    xs: list[float] = []
    ys: list[float] = []
    for segment_index in range(max(pdfium_c.FPDFClipPath_CountPathSegments(clip, index), 0)):
        segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, index, segment_index)
        x, y = ctypes.c_float(), ctypes.c_float()
        if segment and pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            xs.append(x.value)
            ys.append(y.value)
    if not xs:
        return None
    return (min(xs), min(ys), max(xs), max(ys))


def _intersect(a: Box, b: Box) -> Box:
    left, bottom = max(a[0], b[0]), max(a[1], b[1])
    return (left, bottom, max(left, min(a[2], b[2])), max(bottom, min(a[3], b[3])))
