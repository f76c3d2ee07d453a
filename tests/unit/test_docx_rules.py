"""Pure rules of the Word reader: theme colours, shading, table reading order, glyph-only runs."""

from __future__ import annotations

from lxml import etree

from airecruiter.adapters.documents.docx import forgive_glyphs
from airecruiter.adapters.documents.docx_styles import Theme, W, shading_is_dark
from airecruiter.adapters.documents.docx_tables import Cell, layout_lines, row_lines

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _element(tag: str, **attributes: str) -> etree._Element:
    return etree.Element(f"{W}{tag}", {f"{W}{k}": v for k, v in attributes.items()}, nsmap={"w": W_NS})


def test_theme_colours_resolve_with_tint_and_shade() -> None:
    theme = Theme(None)  # Office defaults: background1 white, text2 dark blue-grey
    assert theme.resolve(_element("color", val="000000", themeColor="background1"), "val", "themeColor") == "FFFFFF"
    shaded = _element("color", themeColor="background1", themeShade="80")
    assert theme.resolve(shaded, "val", "themeColor") == "808080"
    tinted = _element("shd", fill="auto", themeFill="text1", themeFillTint="00")
    assert theme.resolve(tinted, "fill", "themeFill") == "FFFFFF"


def test_solid_shading_paints_its_pattern_colour() -> None:
    assert shading_is_dark(_element("shd", val="solid", color="auto", fill="FFFFFF"))
    assert not shading_is_dark(_element("shd", val="clear", color="auto", fill="FFFFFF"))
    assert shading_is_dark(_element("shd", val="clear", fill="auto", themeFill="accent1"))


def test_data_tables_keep_rows_and_sidebars_read_column_by_column() -> None:
    data = [Cell(0, 0, 1, ("Acme",)), Cell(0, 1, 2, ("2018",)), Cell(1, 0, 1, ("Initech",)), Cell(1, 1, 2, ())]
    assert row_lines(data) == ["Acme | 2018", "Initech"]
    sidebar = [
        Cell(0, 0, 10, ("Name", "Title")),
        Cell(1, 0, 3, ("Contact", "a@b.c")),
        Cell(1, 4, 10, ("Experience", "Acme"), merged_down=True),
        Cell(2, 0, 3, ("Skills", "Python")),
    ]
    assert layout_lines(sidebar) == ["Name", "Title", "Contact", "a@b.c", "Skills", "Python", "Experience", "Acme"]


def test_only_spans_that_can_carry_words_stay_hidden() -> None:
    chars = list("• x secret")
    flags = ["white text", None, "white text", None, *["white text"] * 6]
    assert forgive_glyphs(chars, flags) == [None, None, None, None, *["white text"] * 6]  # type: ignore[arg-type]
