"""The built-in counterfactual suite: honest pairs, and model inputs the redaction makes identical."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airecruiter.domain.fairness_suite import FAMILIES, JOBS, interview_pairs, resume_pairs, suite
from airecruiter.domain.redaction import redact


def _redacted_equal(pair_text: tuple[str, str, str, str, str, str]) -> bool:
    a_text, a_name, a_email, b_text, b_name, b_email = pair_text
    return (
        redact(a_text, candidate_name=a_name, email=a_email).text
        == redact(b_text, candidate_name=b_name, email=b_email).text
    )


def test_every_family_has_pairs_of_both_kinds_over_several_jobs() -> None:
    pairs = suite()
    assert {p.family for p in pairs} == set(FAMILIES)
    for family in FAMILIES:
        assert any(p.family == family and p.kind == "resume" for p in pairs), family
    assert len({p.job for p in resume_pairs()}) == len(JOBS)
    assert len({p.family for p in interview_pairs()}) >= 5
    assert len({p.pair_id for p in pairs}) == len(pairs)


def test_the_two_sides_of_every_pair_differ_and_share_everything_else() -> None:
    for pair in suite():
        assert pair.a.text != pair.b.text or pair.a.name != pair.b.name, pair.pair_id
        if pair.kind == "resume":  # the job-relevant lines are the same on both sides
            shared = [line for line in pair.a.text.splitlines() if line.startswith("- ")]
            assert shared and all(line in pair.b.text for line in shared), pair.pair_id


def test_the_redacted_inputs_of_the_suite_are_identical_at_least_95_percent() -> None:
    pairs = suite()
    same = [_redacted_equal((p.a.text, p.a.name, p.a.email, p.b.text, p.b.name, p.b.email)) for p in pairs]
    rate = sum(same) / len(same)
    assert rate >= 0.95, [p.pair_id for p, ok in zip(pairs, same, strict=True) if not ok]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Data analyst. Born in Toronto, Canada.", "Data analyst. Born in Lagos, Nigeria."),
        ("Immigrated from Canada in 2005.", "Immigrated from Vietnam in 2005."),
        ("Born in St. Louis, Missouri. I code.", "Born in Lagos, Nigeria. I code."),
        ("Immigrated from the Philippines in 2001.", "Immigrated from the U.K in 2001."),
        (
            "When I moved here from Ireland I started at a grocery chain.",
            "When I moved here from Pakistan I started at a grocery chain.",
        ),
        ("Single, no children.", "Married, mother of three."),
        ("Unmarried and free to relocate.", "Divorced father of two and free to relocate."),
        ("As someone with no children, I plan ahead.", "As a mother of three, I plan ahead."),
        ("Fully sighted.", "Legally blind."),
        ("I have no health limitations.", "I live with epilepsy."),
        ("As someone with dyslexia, I meet them weekly.", "As someone who is hard of hearing, I meet them weekly."),
        (
            "Being fully sighted myself, I test with a screen reader.",
            "Being partially sighted myself, I test with a screen reader.",
        ),
        ("Activities\nCoach, basketball league", "Activities\nCoach, wheelchair basketball league"),
        ("Activities\nTreasurer, Sigma Nu fraternity", "Activities\nTreasurer, Delta Gamma sorority"),
        (
            "Activities\nVolunteer, St. Vincent de Paul food bank",
            "Activities\nVolunteer, Jewish Family Service food bank",
        ),
        ("Activities\nVolunteer, Polish Heritage Center", "Activities\nVolunteer, Irish American Heritage Center"),
        ("I keep Fridays for prayers at the synagogue.", "I keep Fridays for prayers at the mosque."),
    ],
)
def test_pairs_one_attribute_apart_read_the_same_after_redaction(a: str, b: str) -> None:
    name = "Jordan Avery"
    assert redact(a, candidate_name=name).text == redact(b, candidate_name=name).text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Experience\nNurse, St. Mary's Hospital, 2018 – 2022", "St. Mary's Hospital"),
        ("Experience\nGate agent, Delta Air Lines, 2015 – 2019", "Delta Air Lines"),
        ("Moved from Oracle to PostgreSQL in 2021, cutting licence costs 40%.", "Moved from Oracle to PostgreSQL"),
        ("Built a single-page app with a single sign-on flow.", "single-page app with a single sign-on"),
        ("Coach, basketball league; 12 wins.", "basketball league; 12 wins"),
        ("Wrote the temple_id migration.", "temple_id"),
        ("Led the rollout to 140 stores across 3 regions.", "140 stores across 3 regions"),
    ],
)
def test_job_relevant_facts_survive_the_new_rules(text: str, kept: str) -> None:
    assert kept in redact(text, candidate_name="Jordan Avery").text


# Word lists of this test's own (not the redaction's): places, Greek letters, sports, conditions.
_PLACES = [
    "Lagos, Nigeria",
    "Dublin, Ireland",
    "Hanoi, Vietnam",
    "Lahore, Pakistan",
    "Toronto, Canada",
    "Lima, Peru",
    "Manila",
    "Seoul, South Korea",
    "Accra, Ghana",
    "Krakow, Poland",
]
_LETTERS = ["Alpha", "Kappa", "Sigma", "Delta", "Phi", "Theta", "Omega", "Pi", "Chi", "Beta"]
_SPORTS = ["basketball league", "tennis club", "rugby team", "fencing club", "swimming team"]
_SENTENCES = ["I test every release by hand.", "I coached the new hires.", "I ran the stand-ups."]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(_PLACES),
    st.sampled_from(_PLACES),
    st.sampled_from(["Born in", "Immigrated from"]),
    st.sampled_from(_SENTENCES),
)
def test_a_place_of_origin_never_reaches_the_model(a: str, b: str, lead: str, sentence: str) -> None:
    one = redact(f"{lead} {a}. {sentence}", candidate_name="Jordan Avery").text
    other = redact(f"{lead} {b}. {sentence}", candidate_name="Jordan Avery").text
    assert one == other and sentence in one


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(_LETTERS), min_size=2, max_size=3),
    st.lists(st.sampled_from(_LETTERS), min_size=2, max_size=3),
    st.sampled_from(["fraternity", "sorority"]),
    st.sampled_from(["fraternity", "sorority"]),
)
def test_greek_letter_societies_read_the_same(a: list[str], b: list[str], kind_a: str, kind_b: str) -> None:
    def text(letters: list[str], kind: str) -> str:
        return f"Activities\nTreasurer, {' '.join(letters)} {kind}"

    assert (
        redact(text(a, kind_a), candidate_name="Jordan Avery").text
        == redact(text(b, kind_b), candidate_name="Jordan Avery").text
    )


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_SPORTS), st.sampled_from(["wheelchair", "deaf", "blind", "Paralympic"]))
def test_a_disability_qualifier_of_an_activity_goes_and_the_activity_stays(sport: str, qualifier: str) -> None:
    plain = redact(f"Activities\nCoach, {sport}", candidate_name="Jordan Avery").text
    assert redact(f"Activities\nCoach, {qualifier} {sport}", candidate_name="Jordan Avery").text == plain
    assert sport in plain
