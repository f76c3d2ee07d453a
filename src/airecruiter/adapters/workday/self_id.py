"""The voluntary self-identification of one application: `Job_Applied_To_Data/Personal_Information_Data`.

Only three children are read — `Gender_Reference`, `Ethnicity_Reference*`, `Hispanic_or_Latino` —
as tenant reference IDs. Everything else that element carries (veteran and disability status,
dates) and all of `Global_Personal_Information_Data` (date of birth, marital status, religion, and
the observer-recorded `Ethnicity_Visual_Survey_Reference`) is never read, so it cannot leave here.
"""

from __future__ import annotations

from airecruiter.adapters.workday.xml import Element, child, children, reference_id, text
from airecruiter.ports.workday import SelfIdentification

GENDER_ID_TYPES = ("Gender_Code", "WID")
ETHNICITY_ID_TYPES = ("Ethnicity_ID", "WID")


def _yes_no(value: str | None) -> bool | None:
    """xsd:boolean as Workday writes it (`1`/`0`, `true`/`false`); None when absent or unreadable."""
    cleaned = (value or "").strip().lower()
    if cleaned in ("1", "true"):
        return True
    if cleaned in ("0", "false"):
        return False
    return None


def self_identification(applied: Element) -> SelfIdentification | None:
    """The self-ID of one Job_Applied_To_Data; None when the candidate gave none."""
    data = child(applied, "Personal_Information_Data")
    if data is None:
        return None
    gender = reference_id(child(data, "Gender_Reference"), *GENDER_ID_TYPES)
    ethnicities = tuple(
        found
        for ref in children(data, "Ethnicity_Reference")
        if (found := reference_id(ref, *ETHNICITY_ID_TYPES)) is not None
    )
    hispanic = _yes_no(text(data, "Hispanic_or_Latino"))
    if gender is None and not ethnicities and hispanic is None:
        return None
    return SelfIdentification(gender_id=gender, ethnicity_ids=ethnicities, hispanic_or_latino=hispanic)
