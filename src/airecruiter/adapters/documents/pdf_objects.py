"""Hidden-text classification of a PDF page's text objects through PDFium (colour, size, clip, position, cover).

The page's objects are walked once in paint order with PDFium's raw API (no wrapper object per
handle): text objects are classified, filled paths and images are kept as what text may sit on
(a backdrop) or what may be painted over it (a cover).
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
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
_MAX_DEPTH = 4  # form XObjects nested deeper than this are not looked into
_OPAQUE = 0.95  # a shape at least this opaque hides what lies under it
_MAX_RECTANGLE_SEGMENTS = 6  # move, four lines, close: a rectangle (a frame or a logo has more)
_OUTLINE_MATCH = 0.8  # a transparent text layer over shapes covering this much of it is a copy of them
_MIN_COVER = 3.0  # points: a thinner rectangle (a rule, an underline) cannot hide half a line of text
_CELL = 64.0  # points: the grid that finds the shapes painted over a text object
# Icon fonts map their pictures to private-use characters or to stray letters ("#", "§" for a phone
# and a GitHub logo): their text is never words. Matched on the base font name without its subset tag.
_ICON_FONT = re.compile(
    r"fontawesome|simpleicons|academicons|octicons|material(icons|symbols)|icomoon|fontello|ionicons|devicon"
    r"|entypo|typicons|bootstrap-?icons|remixicon|tabler-?icons|marvosym|wingdings|webdings"
)
# Out-parameters reused across calls (a page has thousands of text objects); callers hold PDFIUM_LOCK.
_RGBA = tuple(ctypes.c_uint() for _ in range(4))
_SIZE = ctypes.c_float()
_MATRIX = pdfium_c.FS_MATRIX()


def _direct(name: str, restype: Any, *argtypes: Any) -> Any:
    """PDFium's `name` taking and returning handles as plain integers: no wrapper object per call."""
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value or 0
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_V, _F, _I, _U = (
    ctypes.c_void_p,
    ctypes.POINTER(ctypes.c_float),
    ctypes.POINTER(ctypes.c_int),
    ctypes.POINTER(ctypes.c_uint),
)
_M = ctypes.POINTER(pdfium_c.FS_MATRIX)
# The calls made per page object, on integer handles (the text page reports owners as integers too).
_raw = SimpleNamespace(
    FPDFPage_CountObjects=_direct("FPDFPage_CountObjects", ctypes.c_int, _V),
    FPDFPage_GetObject=_direct("FPDFPage_GetObject", _V, _V, ctypes.c_int),
    FPDFFormObj_CountObjects=_direct("FPDFFormObj_CountObjects", ctypes.c_int, _V),
    FPDFFormObj_GetObject=_direct("FPDFFormObj_GetObject", _V, _V, ctypes.c_ulong),
    FPDFPageObj_GetType=_direct("FPDFPageObj_GetType", ctypes.c_int, _V),
    FPDFPageObj_GetBounds=_direct("FPDFPageObj_GetBounds", ctypes.c_int, _V, _F, _F, _F, _F),
    FPDFPath_GetDrawMode=_direct("FPDFPath_GetDrawMode", ctypes.c_int, _V, _I, _I),
    FPDFTextObj_GetTextRenderMode=_direct("FPDFTextObj_GetTextRenderMode", ctypes.c_int, _V),
    FPDFTextObj_GetFont=_direct("FPDFTextObj_GetFont", _V, _V),
    FPDFFont_GetBaseFontName=_direct("FPDFFont_GetBaseFontName", ctypes.c_size_t, _V, ctypes.c_char_p, ctypes.c_size_t),
    FPDFPageObj_GetStrokeColor=_direct("FPDFPageObj_GetStrokeColor", ctypes.c_int, _V, _U, _U, _U, _U),
    FPDFPageObj_GetFillColor=_direct("FPDFPageObj_GetFillColor", ctypes.c_int, _V, _U, _U, _U, _U),
    FPDFPath_CountSegments=_direct("FPDFPath_CountSegments", ctypes.c_int, _V),
    FPDFPath_GetPathSegment=_direct("FPDFPath_GetPathSegment", _V, _V, ctypes.c_int),
    FPDFPathSegment_GetType=_direct("FPDFPathSegment_GetType", ctypes.c_int, _V),
    FPDFTextObj_GetFontSize=_direct("FPDFTextObj_GetFontSize", ctypes.c_int, _V, _F),
    FPDFPageObj_GetMatrix=_direct("FPDFPageObj_GetMatrix", ctypes.c_int, _V, _M),
    FPDFPageObj_GetClipPath=_direct("FPDFPageObj_GetClipPath", _V, _V),
    FPDFClipPath_CountPaths=_direct("FPDFClipPath_CountPaths", ctypes.c_int, _V),
    FPDFClipPath_CountPathSegments=_direct("FPDFClipPath_CountPathSegments", ctypes.c_int, _V, ctypes.c_int),
    FPDFClipPath_GetPathSegment=_direct("FPDFClipPath_GetPathSegment", _V, _V, ctypes.c_int, ctypes.c_int),
    FPDFPathSegment_GetPoint=_direct("FPDFPathSegment_GetPoint", ctypes.c_int, _V, _F, _F),
)


@dataclass
class PageScan:
    """What one page's objects say: hidden text objects by handle address, and how many images."""

    hidden: dict[int, HiddenReason] = field(default_factory=dict)
    images: int = 0
    # The line box of each upright text object on the page itself (not in a form): its extent
    # across, and from its baseline a quarter em down to nearly an em up, as a line of it occupies.
    lines: dict[int, Box] = field(default_factory=dict)
    icons: set[int] = field(default_factory=set)  # text objects in an icon font: one glyph is a picture


@dataclass
class _Shapes:
    dark: list[Box] = field(default_factory=list)  # filled paths and images white text may sit on
    images: list[Box] = field(default_factory=list)  # OCR layers draw invisible text over a scan
    filled: list[Box] = field(default_factory=list)  # opaque filled paths: glyph outlines among them
    covers: dict[tuple[int, int], list[tuple[int, Box]]] = field(default_factory=lambda: defaultdict(list))

    def add_cover(self, order: int, box: Box) -> None:
        """An opaque rectangle painted at `order`, filed under each grid cell it touches."""
        for cell in _cells(box):
            self.covers[cell].append((order, box))

    def covering(self, order: int, box: Box) -> bool:
        """Whether an opaque rectangle painted after `order` hides most of `box`."""
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        cell = (int(centre[0] // _CELL), int(centre[1] // _CELL))
        return any(
            later > order and visible_fraction(box, cover) > 1 - MIN_VISIBLE_FRACTION
            for later, cover in self.covers.get(cell, ())
        )


def address(handle: Any) -> int:
    """A stable integer for a PDFium object handle, to compare handles from different calls."""
    return int(ctypes.cast(handle, ctypes.c_void_p).value or 0)


def scan_page(page: pdfium.PdfPage) -> PageScan:
    """Classify every text object on `page`; visible ones are not listed."""
    page_box: Box = tuple(page.get_cropbox())
    scan = PageScan()
    shapes = _Shapes()
    texts: list[tuple[int, Any, Box, int]] = []
    for order, (kind, handle, box, depth) in enumerate(_objects(address(page.raw))):
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            texts.append((order, handle, box, depth))
        elif kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_SHADING):
            shapes.dark.append(box)
            shapes.images.append(box)
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            _add_path(shapes, order, handle, box)
    scan.images = len(shapes.images)
    icon_fonts: dict[int, bool] = {}
    for order, handle, box, depth in texts:
        key = handle
        if _in_icon_font(handle, icon_fonts):
            scan.icons.add(key)
            continue
        size, matrix = _size_and_matrix(handle)
        reason = _classify(handle, box, page_box, shapes, size)
        if reason is None and shapes.covers and shapes.covering(order, box):
            reason = "covered text"
        if reason is not None:
            scan.hidden[key] = reason
        if depth == 0 and matrix is not None and matrix[1] == matrix[2] == 0 and matrix[3] > 0:
            scan.lines[key] = (box[0], matrix[5] - 0.25 * size, box[2], matrix[5] + 0.9 * size)
    return scan


def _objects(container: Any, depth: int = 0) -> Iterator[tuple[int, Any, Box, int]]:
    """(type, handle, bounds, depth in forms) of every object in paint order, looking into form XObjects."""
    count_of, get = (
        (_raw.FPDFPage_CountObjects, _raw.FPDFPage_GetObject)
        if depth == 0
        else (_raw.FPDFFormObj_CountObjects, _raw.FPDFFormObj_GetObject)
    )
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for index in range(max(count_of(container), 0)):
        handle = get(container, index)
        if not handle:
            continue
        kind = _raw.FPDFPageObj_GetType(handle)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if depth < _MAX_DEPTH:
                yield from _objects(handle, depth + 1)
            continue
        if _raw.FPDFPageObj_GetBounds(handle, left, bottom, right, top):
            yield kind, handle, (left.value, bottom.value, right.value, top.value), depth


def _add_path(shapes: _Shapes, order: int, handle: Any, box: Box) -> None:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not _raw.FPDFPath_GetDrawMode(handle, fill_mode, stroke) or fill_mode.value == pdfium_c.FPDF_FILLMODE_NONE:
        return
    red, green, blue, alpha = _colour(handle, stroke=False)
    if alpha >= MIN_ALPHA and is_dark(red, green, blue):
        shapes.dark.append(box)
    if alpha >= _OPAQUE:
        shapes.filled.append(box)
        if min(box[2] - box[0], box[3] - box[1]) >= _MIN_COVER and _is_rectangle(handle):
            shapes.add_cover(order, box)


def _classify(handle: Any, box: Box, page_box: Box, shapes: _Shapes, size: float) -> HiddenReason | None:
    centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    mode = _raw.FPDFTextObj_GetTextRenderMode(handle)
    red, green, blue, alpha = _colour(handle, stroke=mode in _STROKE_MODES)
    if mode in _INVISIBLE_MODES or alpha < MIN_ALPHA:
        # Invisible text over an image is a scanned page's OCR layer: the text is what the scan shows.
        # Over shapes of its own outline it is the copy layer of text drawn as outlines (Google Docs titles).
        if any(contains_point(image, *centre) for image in shapes.images) or _over_outlines(box, shapes.filled):
            return None
        return "invisible text"
    if is_near_white(red, green, blue) and not any(contains_point(d, *centre) for d in shapes.dark):
        return "white text"
    if is_tiny(size):
        return "tiny text"
    window = _clip_box(handle)
    if window is None and _inside(box, page_box):
        return None
    visible = visible_fraction(box, page_box)
    if window is not None:
        visible = min(visible, visible_fraction(box, window))
    if visible < MIN_VISIBLE_FRACTION:
        return "clipped/off-page"
    return None


def _in_icon_font(handle: Any, known: dict[int, bool]) -> bool:
    font = _raw.FPDFTextObj_GetFont(handle)
    key = font or 0
    if key not in known:
        name = ctypes.create_string_buffer(128)
        _raw.FPDFFont_GetBaseFontName(font, name, len(name))
        base = name.value.decode("latin-1").rsplit("+", 1)[-1].lower().replace(" ", "")
        known[key] = bool(font) and _ICON_FONT.search(base) is not None
    return known[key]


def _inside(box: Box, window: Box) -> bool:
    return window[0] <= box[0] and window[1] <= box[1] and box[2] <= window[2] and box[3] <= window[3]


def _over_outlines(box: Box, filled: list[Box]) -> bool:
    """Whether filled shapes inside `box` (give or take a quarter of its height) span most of its width."""
    slack = 0.25 * (box[3] - box[1])
    inside = [
        f
        for f in filled
        if f[0] >= box[0] - slack and f[2] <= box[2] + slack and f[1] >= box[1] - slack and f[3] <= box[3] + slack
    ]
    if not inside or box[2] <= box[0]:
        return False
    spanned = max(f[2] for f in inside) - min(f[0] for f in inside)
    return spanned >= _OUTLINE_MATCH * (box[2] - box[0])


def _colour(handle: Any, *, stroke: bool) -> tuple[float, float, float, float]:
    getter = _raw.FPDFPageObj_GetStrokeColor if stroke else _raw.FPDFPageObj_GetFillColor
    if not getter(handle, *_RGBA):
        return (0.0, 0.0, 0.0, 1.0)  # unknown colour (patterns): assume ink, never hide on a guess
    red, green, blue, alpha = _RGBA
    return red.value / 255, green.value / 255, blue.value / 255, alpha.value / 255


def _is_rectangle(handle: Any) -> bool:
    """A path of a few straight segments: a rectangle that paints over everything inside its bounds."""
    count = _raw.FPDFPath_CountSegments(handle)
    if not 0 < count <= _MAX_RECTANGLE_SEGMENTS:
        return False
    return all(
        _raw.FPDFPathSegment_GetType(_raw.FPDFPath_GetPathSegment(handle, i)) != pdfium_c.FPDF_SEGMENT_BEZIERTO
        for i in range(count)
    )


def _cells(box: Box) -> Iterator[tuple[int, int]]:
    for x in range(int(box[0] // _CELL), int(box[2] // _CELL) + 1):
        for y in range(int(box[1] // _CELL), int(box[3] // _CELL) + 1):
            yield (x, y)


def _size_and_matrix(handle: Any) -> tuple[float, tuple[float, ...] | None]:
    """The font size a reader sees (scaled by the text matrix) and the matrix (a, b, c, d, e, f)."""
    size, matrix = _SIZE, _MATRIX
    if not _raw.FPDFTextObj_GetFontSize(handle, size):
        return 0.0, None
    if not _raw.FPDFPageObj_GetMatrix(handle, matrix):
        return float(size.value), None
    # The font size is scaled by the text matrix; its area factor gives the size a reader sees.
    scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
    return float(size.value) * scale, (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _clip_box(handle: Any) -> Box | None:
    clip = _raw.FPDFPageObj_GetClipPath(handle)
    if not clip:
        return None
    window: Box | None = None
    for index in range(max(_raw.FPDFClipPath_CountPaths(clip), 0)):
        path_box = _path_box(clip, index)
        if path_box is None:
            continue
        window = path_box if window is None else _intersect(window, path_box)
    return window


def _path_box(clip: Any, index: int) -> Box | None:
    xs: list[float] = []
    ys: list[float] = []
    for segment_index in range(max(_raw.FPDFClipPath_CountPathSegments(clip, index), 0)):
        segment = _raw.FPDFClipPath_GetPathSegment(clip, index, segment_index)
        x, y = ctypes.c_float(), ctypes.c_float()
        if segment and _raw.FPDFPathSegment_GetPoint(segment, x, y):
            xs.append(x.value)
            ys.append(y.value)
    if not xs:
        return None
    return (min(xs), min(ys), max(xs), max(ys))


def _intersect(a: Box, b: Box) -> Box:
    left, bottom = max(a[0], b[0]), max(a[1], b[1])
    return (left, bottom, max(left, min(a[2], b[2])), max(bottom, min(a[3], b[3])))
