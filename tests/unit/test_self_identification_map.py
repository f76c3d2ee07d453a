"""Tenant self-ID IDs → EEO-1 categories, by the two settings."""

from __future__ import annotations

import pytest

from airecruiter.config import Settings
from airecruiter.domain.self_identification import DEFAULT_MAPS, DemographicMaps, parse_id_map

US = "_United_States_of_America"


def classify(gender: str | None = None, *ethnicities: str, hispanic: bool | None = None) -> tuple[str, str, int]:
    found = DEFAULT_MAPS.classify(gender_id=gender, ethnicity_ids=ethnicities, hispanic_or_latino=hispanic)
    return found.sex, found.race_ethnicity, found.unmapped


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (("Female", "Asian" + US), ("Female", "Asian", 0)),
        (("male", "WHITE" + US), ("Male", "White", 0)),  # IDs compared without case
        (("Male", "Asian" + US, "White" + US), ("Male", "Two or More Races", 0)),
        (("Male", "Asian" + US, "Asian" + US), ("Male", "Asian", 0)),  # the same race twice is one race
        (("Not_Declared", "I_do_not_wish_to_answer" + US), ("declined", "declined", 0)),
        (("Female", "Nonbinary_Tenant_Code" + US), ("Female", "unknown", 1)),  # unmapped: unknown, counted
        (("Other_Code",), ("unknown", "unknown", 1)),
        ((None,), ("unknown", "unknown", 0)),
        (("Female", "Hispanic_or_Latino" + US, "White" + US), ("Female", "Hispanic or Latino", 0)),
        (
            ("Female", "I_do_not_wish_to_answer" + US, "Black_or_African_American" + US),
            ("Female", "Black or African American", 0),
        ),
    ],
)
def test_ids_map_to_categories(answer: tuple[str | None, ...], expected: tuple[str, str, int]) -> None:
    gender, *ethnicities = answer
    assert classify(gender, *[e for e in ethnicities if e]) == expected


def test_hispanic_or_latino_yes_wins_over_any_race() -> None:
    assert classify("Male", "White" + US, "Asian" + US, hispanic=True)[1] == "Hispanic or Latino"
    assert classify("Male", "White" + US, hispanic=False)[1] == "White"
    assert classify("Male", hispanic=False)[1] == "unknown"  # answered only the yes/no question with no


def test_the_maps_are_settings_in_pairs_or_json() -> None:
    settings = Settings(
        _env_file=None,
        WORKDAY_GENDER_MAP='{"1": "Female", "2": "Male", "9": "Declined"}',
        WORKDAY_ETHNICITY_MAP="E1=White,E2=asian,E9=declined",
    )
    maps = DemographicMaps.from_settings(settings.WORKDAY_GENDER_MAP, settings.WORKDAY_ETHNICITY_MAP)
    found = maps.classify(gender_id="9", ethnicity_ids=("E1", "E2"), hispanic_or_latino=None)
    assert (found.sex, found.race_ethnicity) == ("declined", "Two or More Races")


@pytest.mark.parametrize("raw", ["Male=Man", "Male", "=Male", '{"1": 2}', "{not json"])
def test_a_bad_map_is_refused_naming_the_setting(raw: str) -> None:
    with pytest.raises(ValueError, match="WORKDAY_GENDER_MAP"):
        parse_id_map(raw, "WORKDAY_GENDER_MAP", categories=("Male", "Female"))


def test_a_classification_never_shows_its_values() -> None:
    found = DEFAULT_MAPS.classify(gender_id="Female", ethnicity_ids=("Asian" + US,), hispanic_or_latino=None)
    assert "Female" not in repr(found) and "Asian" not in repr(found)


def test_a_bad_map_stops_the_start_with_a_sentence() -> None:
    from airecruiter.config import load_settings
    from airecruiter.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="WORKDAY_ETHNICITY_MAP: 'Martian' is not one of"):
        load_settings(WORKDAY_ETHNICITY_MAP="E1=Martian")
