"""Tenant self-ID reference IDs → EEO-1 categories (WORKDAY_GENDER_MAP, WORKDAY_ETHNICITY_MAP).

Workday's gender and ethnicity IDs are tenant data; a setting maps each to a category of
`domain.demographics` or to "declined". The EEO-1 rules: Hispanic or Latino (the yes/no question, or an
ethnicity that maps to it) wins over any race; more than one race is "Two or More Races". An ID no
setting maps gives "unknown" and is counted, so the sync can log how many without saying which.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from airecruiter.domain.demographics import (
    DECLINED,
    RACE_ETHNICITY_CATEGORIES,
    SEX_CATEGORIES,
    UNKNOWN,
)

HISPANIC = "Hispanic or Latino"
TWO_OR_MORE = "Two or More Races"

# The sandbox tenant's IDs, spelled as US Workday tenants commonly spell them.
DEFAULT_GENDER_MAP = "Male=Male,Female=Female,Not_Declared=declined"
DEFAULT_ETHNICITY_MAP = ",".join(
    f"{key}_United_States_of_America={value}"
    for key, value in (
        ("Hispanic_or_Latino", HISPANIC),
        ("White", "White"),
        ("Black_or_African_American", "Black or African American"),
        ("Native_Hawaiian_or_Other_Pacific_Islander", "Native Hawaiian or Other Pacific Islander"),
        ("Asian", "Asian"),
        ("American_Indian_or_Alaska_Native", "American Indian or Alaska Native"),
        ("Two_or_More_Races", TWO_OR_MORE),
        ("I_do_not_wish_to_answer", DECLINED),
    )
)


def _canonical(value: str, allowed: tuple[str, ...], variable: str) -> str:
    for category in allowed:
        if value.strip().casefold() == category.casefold():
            return category
    raise ValueError(f"{variable}: {value.strip()!r} is not one of {', '.join(allowed)}")


def parse_id_map(raw: str, variable: str, *, categories: tuple[str, ...]) -> dict[str, str]:
    """`ID=Category,ID=Category` or a JSON object → {casefolded ID: category}; ValueError naming the variable."""
    allowed = (*categories, DECLINED)
    if raw.strip().startswith("{"):
        try:
            pairs = list(json.loads(raw).items())
        except (ValueError, AttributeError) as exc:
            raise ValueError(f"{variable}: not a JSON object of ID to category") from exc
    else:
        pairs = [part.partition("=")[::2] for part in raw.split(",") if part.strip()]
    mapping: dict[str, str] = {}
    for key, value in pairs:
        if not isinstance(key, str) or not isinstance(value, str) or not key.strip() or not value.strip():
            raise ValueError(f"{variable}: expected ID=Category pairs, got {key!r}")
        mapping[key.strip().casefold()] = _canonical(value, allowed, variable)
    return mapping


@dataclass(frozen=True)
class Classification:
    """The categories one application's self-ID maps to, and how many of its IDs no setting maps."""

    sex: str
    race_ethnicity: str
    unmapped: int = 0

    def __repr__(self) -> str:
        return f"Classification(<withheld>, unmapped={self.unmapped})"


def _race(races: set[str], declined: bool) -> str:
    if HISPANIC in races:
        return HISPANIC
    if TWO_OR_MORE in races or len(races) > 1:
        return TWO_OR_MORE
    if races:
        return next(iter(races))
    return DECLINED if declined else UNKNOWN


@dataclass(frozen=True)
class DemographicMaps:
    """The tenant's gender and ethnicity IDs, each mapped to a category or "declined"."""

    gender: Mapping[str, str]
    ethnicity: Mapping[str, str]

    @classmethod
    def from_settings(cls, gender_map: str, ethnicity_map: str) -> DemographicMaps:
        """Both maps from their settings' text (validated)."""
        return cls(
            MappingProxyType(parse_id_map(gender_map, "WORKDAY_GENDER_MAP", categories=SEX_CATEGORIES)),
            MappingProxyType(
                parse_id_map(ethnicity_map, "WORKDAY_ETHNICITY_MAP", categories=RACE_ETHNICITY_CATEGORIES)
            ),
        )

    def classify(
        self, *, gender_id: str | None, ethnicity_ids: tuple[str, ...], hispanic_or_latino: bool | None
    ) -> Classification:
        """The EEO-1 sex and race/ethnicity of one self-ID (IDs compared without case)."""
        unmapped = 0
        sex = UNKNOWN
        if gender_id is not None:
            found = self.gender.get(gender_id.strip().casefold())
            unmapped += found is None
            sex = found or UNKNOWN
        races: set[str] = set()
        declined = False
        for ethnicity_id in ethnicity_ids:
            value = self.ethnicity.get(ethnicity_id.strip().casefold())
            if value is None:
                unmapped += 1
            elif value == DECLINED:
                declined = True
            else:
                races.add(value)
        race = HISPANIC if hispanic_or_latino else _race(races, declined)
        return Classification(sex=sex, race_ethnicity=race, unmapped=unmapped)


DEFAULT_MAPS = DemographicMaps.from_settings(DEFAULT_GENDER_MAP, DEFAULT_ETHNICITY_MAP)
