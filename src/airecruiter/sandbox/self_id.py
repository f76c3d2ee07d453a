"""Voluntary self-identification in the sandbox tenant: `Job_Applied_To_Data/Personal_Information_Data`.

Part of the seeded applications carry a self-ID, some of them declined, in the tenant's own ID
spelling (the defaults of WORKDAY_GENDER_MAP / WORKDAY_ETHNICITY_MAP). The values are synthetic and
unrelated to the seeded names on purpose: nothing may be inferred from a name. v4x shape only (the
older v31 shape the sandbox also speaks predates the element in our use).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lxml import etree

from airecruiter.sandbox.requests import Context, add_ref
from airecruiter.sandbox.xmlutil import format_bool, sub

US = "_United_States_of_America"
DECLINED_GENDER = "Not_Declared"
DECLINED_ETHNICITY = "I_do_not_wish_to_answer" + US


@dataclass(frozen=True)
class SelfId:
    """What the candidate answered: Gender_Code, Ethnicity_IDs, the Hispanic or Latino question."""

    gender: str | None = None
    ethnicities: tuple[str, ...] = ()
    hispanic_or_latino: bool | None = None


def _ethnicity(*names: str) -> tuple[str, ...]:
    return tuple(name + US for name in names)


# By Job_Application_ID; the applications not listed gave no self-ID (they count as unknown).
SEEDED_SELF_ID: dict[str, SelfId] = {
    "JA-000101": SelfId("Female", _ethnicity("Asian"), False),
    "JA-000102": SelfId("Male", _ethnicity("White"), False),
    "JA-000103": SelfId("Female", _ethnicity("White"), True),
    "JA-000104": SelfId("Male", _ethnicity("Black_or_African_American"), False),
    "JA-000105": SelfId(DECLINED_GENDER, (DECLINED_ETHNICITY,), None),
    "JA-000107": SelfId("Male", _ethnicity("Asian", "White"), False),
    "JA-000109": SelfId("Female", _ethnicity("Black_or_African_American"), False),
    "JA-000111": SelfId("Male", (DECLINED_ETHNICITY,), False),
    "JA-000112": SelfId("Female", _ethnicity("Native_Hawaiian_or_Other_Pacific_Islander"), False),
    "JA-000113": SelfId("Male", _ethnicity("American_Indian_or_Alaska_Native"), False),
    "JA-000114": SelfId(DECLINED_GENDER, _ethnicity("White"), False),
    "JA-000116": SelfId("Female", (), True),
}
SELF_ID_APPLICATION_IDS = tuple(sorted(SEEDED_SELF_ID))


def _wid(kind: str, ident: str) -> str:
    return hashlib.md5(f"{kind}:{ident}".encode(), usedforsecurity=False).hexdigest()


def render_self_id(ctx: Context, applied: etree._Element, self_id: SelfId) -> None:
    """Personal_Information_Data in the v46 order: Gender_Reference, Ethnicity_Reference*, Hispanic_or_Latino."""
    element = sub(applied, "Personal_Information_Data")
    if self_id.gender is not None:
        ids = [("WID", _wid("Gender", self_id.gender)), ("Gender_Code", self_id.gender)]
        add_ref(ctx, element, "Gender_Reference", ids, self_id.gender.replace("_", " "))
    for ethnicity in self_id.ethnicities:
        ids = [("WID", _wid("Ethnicity", ethnicity)), ("Ethnicity_ID", ethnicity)]
        add_ref(ctx, element, "Ethnicity_Reference", ids, ethnicity.removesuffix(US).replace("_", " "))
    if self_id.hispanic_or_latino is not None:
        sub(element, "Hispanic_or_Latino", format_bool(self_id.hispanic_or_latino))
