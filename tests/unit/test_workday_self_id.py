"""Self-identification read from Workday's candidates: the three self-ID fields, and nothing else.

The responses are the v4x fixture with a real-schema `Personal_Information_Data` and
`Global_Personal_Information_Data` added (checked against the v46 XSD where the reference is present).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from lxml import etree

from airecruiter.adapters.workday.parse import data_items, envelope_body, parse_candidate, payload
from airecruiter.ports.workday import Application, SelfIdentification
from tests.workday_schema import errors_where_present

FIXTURE = Path(__file__).parent / "workday_fixtures" / "f06_get_candidates_response_v4x.xml"
WD = "urn:com.workday/bsvc"

# Values that must never leave the parser: none of them is self-identification.
DATE_OF_BIRTH = "1979-04-13"
DROPPED = (
    "1979",
    DATE_OF_BIRTH,
    "Married_Marker",
    "Religion_Marker",
    "Global_Gender_Marker",
    "Global_Ethnicity_Marker",
    "Veteran_Marker",
    "Disability_Marker",
    "Visual_Survey_Marker",
)


def _ref(name: str, id_type: str, value: str) -> str:
    return (
        f'<wd:{name} wd:Descriptor="{value}"><wd:ID wd:type="WID">{abs(hash(value)):032x}</wd:ID>'
        f'<wd:ID wd:type="{id_type}">{value}</wd:ID></wd:{name}>'
    )


SELF_ID = (
    "<wd:Personal_Information_Data>"
    + _ref("Gender_Reference", "Gender_Code", "Female")
    + _ref("Ethnicity_Reference", "Ethnicity_ID", "Asian_United_States_of_America")
    + _ref("Ethnicity_Reference", "Ethnicity_ID", "White_United_States_of_America")
    + _ref("Veterans_Status_Reference", "Armed_Forces_Status_ID", "Veteran_Marker")
    + "<wd:Hispanic_or_Latino>0</wd:Hispanic_or_Latino>"
    + _ref("Disability_Status_Reference", "Self-Identification_of_Disability_Status_ID", "Disability_Marker")
    + "</wd:Personal_Information_Data>"
)
GLOBAL = (
    "<wd:Global_Personal_Information_Data>"
    + _ref("Gender_Reference", "Gender_Code", "Global_Gender_Marker")
    + f"<wd:Date_of_Birth>{DATE_OF_BIRTH}</wd:Date_of_Birth>"
    + _ref("Marital_Status_Reference", "Marital_Status_ID", "Married_Marker")
    + "<wd:Hispanic_or_Latino>1</wd:Hispanic_or_Latino>"
    + _ref("Ethnicity_Reference", "Ethnicity_ID", "Global_Ethnicity_Marker")
    + _ref("Religion_Reference", "Religion_ID", "Religion_Marker")
    + "</wd:Global_Personal_Information_Data>"
)


def _response(*extra: str) -> etree._Element:
    """The fixture with `extra` elements appended to the first Job_Applied_To_Data."""
    root = etree.fromstring(FIXTURE.read_bytes())
    applied = root.find(f".//{{{WD}}}Job_Applied_To_Data")
    assert applied is not None
    for fragment in extra:
        applied.append(etree.fromstring(f'<x xmlns:wd="{WD}">{fragment}</x>')[0])
    return root


def _applications(root: etree._Element) -> list[Application]:
    response = payload(envelope_body(etree.tostring(root)), "Get_Candidates")
    return [a for c in data_items(response, "Candidate") for a in parse_candidate(c).applications]


def test_the_three_self_id_fields_are_read_as_tenant_ids() -> None:
    root = _response(SELF_ID, GLOBAL)
    assert errors_where_present(payload(envelope_body(etree.tostring(root)), "Get_Candidates")) == []
    first, *others = _applications(root)
    assert first.self_identification == SelfIdentification(
        gender_id="Female",
        ethnicity_ids=("Asian_United_States_of_America", "White_United_States_of_America"),
        hispanic_or_latino=False,
    )
    assert all(a.self_identification is None for a in others)  # no element: no self-ID


def test_nothing_else_of_the_personal_data_leaves_the_parser() -> None:
    visual = _ref("Ethnicity_Visual_Survey_Reference", "Ethnicity_ID", "Visual_Survey_Marker")
    # A tenant variant: the observer-recorded survey inside the self-ID element is still never read.
    root = _response(
        SELF_ID.replace("</wd:Personal_Information_Data>", visual + "</wd:Personal_Information_Data>"), GLOBAL
    )
    parsed = repr([dataclasses.astuple(a) for a in _applications(root)])
    for value in DROPPED:
        assert value not in parsed


def test_the_self_id_never_shows_in_a_repr_or_a_log_line() -> None:
    [first, *_] = _applications(_response(SELF_ID))
    assert "Female" not in repr(first) and "Asian" not in repr(first)
    assert "Female" not in repr(first.self_identification)


def test_only_a_gender_or_only_the_hispanic_answer_is_still_a_self_id() -> None:
    only_hispanic = (
        "<wd:Personal_Information_Data><wd:Hispanic_or_Latino>1</wd:Hispanic_or_Latino></wd:Personal_Information_Data>"
    )
    [first, *_] = _applications(_response(only_hispanic))
    assert first.self_identification == SelfIdentification(hispanic_or_latino=True)
    empty = "<wd:Personal_Information_Data></wd:Personal_Information_Data>"
    [first, *_] = _applications(_response(empty))
    assert first.self_identification is None
