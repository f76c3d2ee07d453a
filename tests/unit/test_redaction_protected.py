"""Counterfactual redaction: résumés differing in one protected attribute reach the model as one text.

The word lists below are written for this test, apart from the redaction's own lists in
`domain.protected_terms`: a test drawing from the rules' own words would prove nothing.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airecruiter.domain.redaction import redact

# --- one protected attribute, several values (independent of the redaction's lists) -------------
GENDER = [
    {"title": "Ms.", "subj": "She", "poss": "her", "obj": "her", "role": "chairwoman", "team": "women's"},
    {"title": "Mr.", "subj": "He", "poss": "his", "obj": "him", "role": "chairman", "team": "men's"},
]
AFFINITY = [
    "Society of Women Engineers",
    "National Society of Black Engineers",
    "Out in Tech",
    "Society of Hispanic Professional Engineers",
    "Lesbians Who Tech",
    "Asian American Engineers Association",
    "Girls Who Code",
    "Latinas in Tech Network",
]
RELIGION = [
    "First Baptist Church",
    "Al-Noor Mosque",
    "Temple Beth Shalom",
    "St. Paul's Cathedral",
    "Sikh Gurdwara of Houston",
    "Hillel International",
    "Muslim Students Association",
    "Catholic Student Fellowship",
]
FAMILY = ["as a mother of three", "as a father of two", "as a single dad of one", "as a working mom of twins"]
DISABILITY = ["As a deaf engineer,", "As a blind engineer,", "Living with epilepsy,", "As a wheelchair user,"]
BIRTH = ["1961", "1975", "1988", "1999"]
AGES = ["23", "37", "52", "64"]
INSTITUTIONS = [
    "Howard University",
    "Brigham Young University",
    "Wellesley College",
    "University of Notre Dame",
    "Spelman College",
    "Georgia Institute of Technology",
]
NAMES = [
    ("Andrew Fantino", "afantino951", "andrew-fantino"),
    ("Lakisha Washington", "lwashington88", "lakisha-washington"),
    ("Mohammed Rahman", "mrahman2001", "mohammed-rahman"),
    ("Mei Lin Zhao", "mzhao1990", "mei-zhao"),
]

# --- job-relevant facts that must survive --------------------------------------------------------
SKILLS = ["Python", "Kubernetes", "PostgreSQL", "forklift operation", "HACCP", "AutoCAD", "Salesforce", "Excel"]
EMPLOYERS = [
    "St. Mary's Hospital",
    "YMCA",
    "Young Men's Christian Association",
    "Baptist Health",
    "Mount Sinai Hospital",
    "Catholic Charities",
    "Acme Logistics",
    "Siemens",
]
TITLES = ["Senior Software Engineer", "Warehouse Supervisor", "Registered Nurse", "Data Analyst", "Head Chef"]
MONTHS = ["Jan", "March", "Sep.", "November"]


def resume(*, gender: dict[str, str], affinity: str, religion: str, family: str, disability: str, **rest: str) -> str:
    """A résumé with every protected slot filled; `rest` carries the name, years and job facts."""
    return (
        f"{gender['title']} {rest['name']}\n{rest['handle']}@example.com | github: {rest['handle']} | "
        f"linkedin.com/in/{rest['slug']}\n"
        f"Summary\n{gender['subj']} has led {gender['poss']} team for six years. {disability} "
        f"{gender['subj']} returned to work {family}. Colleagues call {gender['obj']} calm. I am {rest['age']} "
        f"years old, born in {rest['birth']}.\n"
        f"Experience\n{rest['title']}, {rest['employer']}, {rest['start']} - {rest['end']}\n"
        f"Used {rest['skill']} to cut costs by {rest['percent']}% for {rest['people']} people.\n"
        f"Education\nB.S. in Mechanical Engineering, {rest['institution']}, {rest['graduation']}\n"
        f"Activities\nTreasurer of the {affinity}; volunteer at {religion}; {gender['role']} of the "
        f"{gender['team']} chess team\n"
    )


FAMILIES = {
    "gender": GENDER,
    "affinity": AFFINITY,
    "religion": RELIGION,
    "family": FAMILY,
    "disability": DISABILITY,
    "birth": BIRTH,
    "age": AGES,
    "institution": INSTITUTIONS,
    "graduation": ["2001", "2009", "2016", "2023"],
    "name": NAMES,
}


@st.composite
def base(draw: st.DrawFn) -> dict[str, object]:
    """Every slot filled with one drawn value."""
    start = draw(st.integers(2005, 2018))
    slots: dict[str, object] = {key: draw(st.sampled_from(values)) for key, values in FAMILIES.items()}
    slots.update(
        title=draw(st.sampled_from(TITLES)),
        employer=draw(st.sampled_from(EMPLOYERS)),
        skill=draw(st.sampled_from(SKILLS)),
        start=f"{draw(st.sampled_from(MONTHS))} {start}",
        end=f"{draw(st.sampled_from(MONTHS))} {start + draw(st.integers(1, 6))}",
        percent=str(draw(st.integers(5, 95))),
        people=str(draw(st.integers(3, 400))),
    )
    return slots


def render(slots: dict[str, object]) -> tuple[str, str]:
    """The résumé text and the candidate's name."""
    name, handle, slug = slots["name"]  # type: ignore[misc]
    text_slots = {k: v for k, v in slots.items() if k not in ("name", "gender")}
    text = resume(name=name, handle=handle, slug=slug, gender=slots["gender"], **text_slots)  # type: ignore[arg-type]
    return text, name


@settings(max_examples=300, deadline=None)
@given(base(), st.sampled_from(sorted(FAMILIES)), st.data())
def test_resumes_differing_in_one_protected_attribute_reach_the_model_as_one_text(
    slots: dict[str, object], family: str, data: st.DataObject
) -> None:
    other = data.draw(st.sampled_from([v for v in FAMILIES[family] if v != slots[family]]))
    first, first_name = render(slots)
    second, second_name = render({**slots, family: other})

    assert first != second
    assert redact(first, candidate_name=first_name).text == redact(second, candidate_name=second_name).text


@settings(max_examples=200, deadline=None)
@given(base())
def test_job_relevant_facts_survive(slots: dict[str, object]) -> None:
    text, name = render(slots)
    redacted = redact(text, candidate_name=name).text

    for fact in ("title", "employer", "skill", "start", "end"):
        assert str(slots[fact]) in redacted, fact
    assert f"cut costs by {slots['percent']}% for {slots['people']} people" in redacted
    assert "B.S. in Mechanical Engineering" in redacted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ms. Rivera said she would bring her notes to him.", "Rivera said they would bring their notes to them."),
        ("Chairwoman of the women's team", "Chair of the team"),
        ("Treasurer of the Society of Women Engineers", "Treasurer of the [AFFINITY ORGANISATION]"),
        ("Activities\nUsher, First Baptist Church", "Activities\nUsher, [RELIGIOUS ORGANISATION]"),
        ("Experience\nNurse, St. Mary's Hospital, 2015 - 2020", "Experience\nNurse, St. Mary's Hospital, 2015 - 2020"),
        (
            "Experience\nCoach, Young Men's Christian Association",
            "Experience\nCoach, Young Men's Christian Association",
        ),
        ("Class of 2012; I am 34, aged 34", "Class of [YEAR]; I am [AGE], aged [AGE]"),
        (
            "Education\nBSc Physics, University of Leeds, 2010 - 2013",
            "Education\nBSc Physics, [INSTITUTION], [YEAR] - [YEAR]",
        ),
        ("As a mother of three, I plan well.", "[PERSONAL DETAIL], I plan well."),
        ("Married with two kids. Living with ADHD.", "[PERSONAL DETAIL]. [PERSONAL DETAIL]."),
        ("Skills: pandas, Python; the double-blind study", "Skills: pandas, Python; the double-blind study"),
    ],
)
def test_protected_attributes_are_neutral_or_placeholders_and_job_facts_stay(text: str, expected: str) -> None:
    assert redact(text, candidate_name="Priya Das").text == expected


def test_blind_education_off_keeps_institutions_and_still_blinds_graduation_years() -> None:
    text = "Education\nBSc Physics, University of Leeds, 2013"

    assert redact(text, candidate_name="Jo Park", blind_education=False).text == (
        "Education\nBSc Physics, University of Leeds, [YEAR]"
    )


@pytest.mark.parametrize(
    ("name", "text", "kept"),
    [
        (
            "Debarghya Das",
            "debarghyadas.com| fb.co/dd\nGithub:// deedydas\nYouTube:// DeedyDash007\n[1] A. Jain, D. Das",
            "a. jain",
        ),
        ("Andrew Fantino", "US | (951) 355-8530 | Andrew.Fantino.951@gmail.com | andrew-fantino | afantino951", "us |"),
    ],
)
def test_handles_domains_and_initials_made_from_the_name_go(name: str, text: str, kept: str) -> None:
    redacted = redact(text, candidate_name=name).text.lower()

    for leak in ("deedy", "debarghya", "das", "fantino", "andrew", "/dd"):
        assert leak not in redacted
    assert kept in redacted


# --- a held-out probe: pairs written after the rules, to measure rather than to pass ------------------
# Some differ in presence rather than value (a veteran or a hearing statement against a neutral phrase)
# or name an organisation no rule knows (Knights of Columbus): the rate is measured, not assumed.
HELD_OUT = [
    ("Mrs. Lee said the idea was hers and she did it herself.", "Mr. Lee said the idea was his and he did it himself."),
    ("Businesswoman of the year 2019", "Businessman of the year 2019"),
    ("President of Alpha Phi sorority", "President of Sigma Chi fraternity"),
    ("Member, National Association of Black Accountants", "Member, Association of Latino Professionals for America"),
    ("Volunteer at Grace Church food bank", "Volunteer at Beth Israel Synagogue food bank"),
    ("I graduated in 1998 with honours.", "I graduated in 2010 with honours."),
    ("I'm 58 and still learning.", "I'm 26 and still learning."),
    ("I moved here with my wife.", "I moved here with my husband."),
    ("Speaker at Women in Cloud summit", "Speaker at Out & Equal Workplace Advocates summit"),
    ("She is a proud grandmother.", "He is a proud grandfather."),
    ("Captain of the girls' soccer team", "Captain of the boys' soccer team"),
    ("Took parental leave in 2020 after my daughter was born.", "Took parental leave in 2020 after my son was born."),
    ("As a veteran of the US Army, I lead calmly.", "As a graduate of a US college, I lead calmly."),
    ("Hard of hearing; I use captions in meetings.", "Detail-oriented; I use captions in meetings."),
    ("Fluent in Hebrew and English", "Fluent in Arabic and English"),
    ("Chairwoman, Muslim Women's Association", "Chairman, Knights of Columbus"),
    ("Waitress at Joe's Diner, 2010 - 2012", "Waiter at Joe's Diner, 2010 - 2012"),
    ("Education\nMIT, B.S. Physics, 2004", "Education\nHoward University, B.S. Physics, 1994"),
    ("Mentor at Black Girls Code", "Mentor at Girls Who Code"),
    ("She/her", "He/him"),
]
HELD_OUT_FLOOR = 0.70  # 14 of 20 when written


def test_the_identity_rate_on_held_out_pairs_stays_above_its_floor() -> None:
    same = [redact(a, candidate_name="Sam Lee").text == redact(b, candidate_name="Sam Lee").text for a, b in HELD_OUT]

    assert sum(same) / len(same) >= HELD_OUT_FLOOR, [pair for pair, ok in zip(HELD_OUT, same, strict=True) if not ok]


@pytest.mark.parametrize("copies", [1, 100, 2000])
def test_protected_rules_settle_in_a_fixed_number_of_passes_however_many_terms(copies: int) -> None:
    text = "She told her chairwoman; Ms. Lee joined the Society of Women Engineers in 1990, aged 30.\n" * copies

    result = redact("Education\n" + text, candidate_name="Jane Doe")

    assert result.passes <= 2
    assert result.counts["gendered_word"] == 4 * copies  # She, her, chairwoman, "Ms. "
    assert result.counts["affinity_organisation"] == copies and result.counts["year"] == copies
