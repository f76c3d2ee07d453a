"""Character hygiene: what outside text keeps before redaction, the model, a header or a terminal sees it."""

from __future__ import annotations

import pytest

from airecruiter.domain.text_hygiene import clean_characters, clean_line, compose_spacing_diacritics


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("J¨org M¨uller", "Jörg Müller"),  # pdfTeX's OT1 accents: the accent before its letter
        ("Assun¸c˜ao", "Assunção"),
        ("M¨arz 2019", "März 2019"),
        ("Fran¸cois Lef`evre", "François Lef`evre"),  # a backtick is left alone: code uses it
        ("Jos´e Garc´ıa", "José García"),  # TeX's dotless i takes the accent
        ("ˇSkoda", "Škoda"),
        ("it´s, I´m, we´re, you´ll", "it´s, I´m, we´re, you´ll"),  # an acute typed as an apostrophe
        ("x¨ 2", "x¨ 2"),  # no letter after it: nothing to join
    ],
)
def test_spacing_accents_are_joined_with_their_letter(written: str, read: str) -> None:
    assert compose_spacing_diacritics(written) == read


def test_pdfium_line_end_hyphen_marker_becomes_the_hyphen_the_page_shows() -> None:
    assert clean_characters("decision\x02making and prefer\x02ably") == "decision-making and prefer-ably"


def test_controls_private_use_zero_width_and_bidi_controls_are_dropped_but_lines_stay() -> None:
    text = "Email\ue0f3 a@b.co\x07\r\nSkills:\tPython\u200b\u202e lanruoj\u202c\x85"
    assert clean_characters(text) == "Email a@b.co\nSkills:\tPython lanruoj"


def test_soft_hyphens_are_dropped_inside_words_and_read_as_a_dash_between_spaces() -> None:
    assert clean_characters("Ma\u00adnage\u00adment, Sep. 2023 \u00ad Mar. 2024") == (
        "Management, Sep. 2023 - Mar. 2024"
    )


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("  Jane\t\nDoe ", "Jane Doe"),
        ("\u202eeoD enaJ\u202c", "eoD enaJ"),  # a bidi override cannot make a name read backwards
        ("Jane\u2066\u2069 Doe\u200f", "Jane Doe"),
        ("J¨org\x00 M¨uller", "Jörg Müller"),
        ("Zoë\u0308", "Zoë\u0308"),  # a combining mark already composed by NFC stays as NFC gives it
    ],
)
def test_one_line_values_keep_only_visible_characters_on_one_line(name: str, clean: str) -> None:
    assert clean_line(name) == clean
    assert "\n" not in clean_line(name + "\nX")


def test_clean_text_is_nfc() -> None:
    assert clean_characters("Mu\u0308ller") == "Müller"
