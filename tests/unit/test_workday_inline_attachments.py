"""Candidate_Data/Candidate_Attachment_Data that comes inline with a v4x Get_Candidates answer."""

from __future__ import annotations

import base64

from lxml import etree

from airecruiter.adapters.workday.parse import inline_attachments
from airecruiter.adapters.workday.xml import WD_NS, Element

RESUME = b"%PDF-1.4\n%resume\n%%EOF\n"
CATEGORIES = ("CANDIDATE_RESUME_AND_COVER_LETTER",)


def _candidate(*attachments: tuple[str, str, bytes | None]) -> Element:
    """A Candidate whose Candidate_Data ends with these (WID, category, bytes or no Attachment_Data)."""
    wd = f"{{{WD_NS}}}"
    candidate = etree.Element(f"{wd}Candidate", nsmap={"wd": WD_NS})
    data = etree.SubElement(candidate, f"{wd}Candidate_Data")
    etree.SubElement(data, f"{wd}Candidate_ID").text = "C1"
    for wid, category, content in attachments:
        item = etree.SubElement(data, f"{wd}Candidate_Attachment_Data")
        ref = etree.SubElement(item, f"{wd}Candidate_Attachment_Reference")
        etree.SubElement(ref, f"{wd}ID", {f"{wd}type": "WID"}).text = wid
        if content is not None:
            file = etree.SubElement(item, f"{wd}Attachment_Data")
            etree.SubElement(file, f"{wd}Filename").text = f"{wid}.pdf"
            etree.SubElement(file, f"{wd}File_Content").text = base64.b64encode(content).decode()
        cat = etree.SubElement(item, f"{wd}Document_Category_Reference")
        etree.SubElement(cat, f"{wd}ID", {f"{wd}type": "Document_Category__Workday_Owned__ID"}).text = category
    return candidate


def test_only_the_resume_categories_are_decoded_compared_without_case() -> None:
    found = inline_attachments(
        _candidate(("w1", "EDUCATION", b"diploma"), ("w2", "candidate_resume_and_cover_letter", RESUME)),
        categories=CATEGORIES,
    )
    assert found.complete
    [resume] = found.matching
    assert (resume.attachment_id, resume.content, resume.filename) == ("w2", RESUME, "w2.pdf")


def test_no_inline_attachments_or_one_without_its_bytes_is_no_proof_of_absence() -> None:
    assert not inline_attachments(_candidate(), categories=CATEGORIES).complete
    partial = inline_attachments(
        _candidate(("w1", "CANDIDATE_RESUME_AND_COVER_LETTER", None), ("w2", "EDUCATION", b"x")), categories=CATEGORIES
    )
    assert not partial.complete and partial.matching == []
