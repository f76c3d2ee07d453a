"""Redaction of personal data from résumé text: what the language model must never see, and what it must."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airecruiter.adapters.llm.prompting import keep_verbatim_evidence
from airecruiter.domain.prompt_defaults import DEFAULT_PROMPTS
from airecruiter.domain.redaction import (
    KINDS,
    LONGEST_REPLACEMENT,
    MAX_PASSES,
    PLACEHOLDERS,
    RedactionIncompleteError,
    redact,
)
from airecruiter.errors import policy_for
from airecruiter.ports.llm import Evidence, Finding, ResumeAnalysisContent


@dataclass(frozen=True)
class Resume:
    country: str
    name: str
    email: str
    phone: str
    text: str
    personal: tuple[str, ...]  # must not survive
    kept: tuple[str, ...]  # must survive verbatim


RESUMES = [
    Resume(
        "US",
        "Taylor Swift",
        "taylor.swift@example.com",
        "(555) 123-4567",
        """TAYLOR SWIFT
1600 Amphitheatre Parkway, Mountain View, CA 94043 · (555) 123-4567 · taylor.swift@example.com
https://www.linkedin.com/in/taylor-swift-dev | github.com/tswift | Twitter: @tswift
[Photo]

SUMMARY
iOS engineer with 8 years of experience in Swift and Kotlin. Taylor's apps serve 2M users.

EXPERIENCE
Senior iOS Engineer, Stripe, San Francisco — 03/2019 - present
- Led a team of 6 engineers building the payments SDK in Swift 5.9.
Mobile Developer, Square — 2015-2019
- Shipped 40 releases; reduced crash rate by 35%.
""",
        (
            "TAYLOR SWIFT",
            "1600 Amphitheatre Parkway",
            "94043",
            "123-4567",
            "taylor.swift@",
            "taylor-swift-dev",
            "tswift",
            "Taylor's",
        ),
        (
            "iOS engineer with 8 years of experience in Swift and Kotlin.",
            "Senior iOS Engineer, Stripe",
            "03/2019 - present",
            "Led a team of 6 engineers building the payments SDK in Swift 5.9.",
            "Mobile Developer, Square — 2015-2019",
            "reduced crash rate by 35%",
        ),
    ),
    Resume(
        "DE",
        "Hans Müller",
        "h.mueller@web.de",
        "+49 171 2345678",
        """Lebenslauf — Hans Müller
Anschrift: Lindenallee 7a, 50968 Köln
Mobil: 0171 2345678 | E-Mail: h.mueller@web.de | xing.com/profile/Hans_Mueller
Geburtsdatum: 02.02.1980 | Familienstand: verheiratet, 2 Kinder | Staatsangehörigkeit: deutsch
Foto: bewerbungsfoto_mueller.jpg

Berufserfahrung
04/2016 – heute  Softwarearchitekt, Siemens AG, München — Java 17, Spring Boot, Kafka
2010 – 2016      Entwickler, SAP SE, Walldorf — ABAP, SAP HANA
Herr Mueller leitete ein Team von 12 Entwicklern. MÜLLERS Projekte erreichten 99,9 % Verfügbarkeit.
""",
        (
            "Müller",
            "Mueller",
            "MÜLLERS",
            "Lindenallee 7a",
            "50968",
            "0171 2345678",
            "h.mueller@web.de",
            "Hans_Mueller",
            "02.02.1980",
            "verheiratet",
            "deutsch",
            "bewerbungsfoto_mueller.jpg",
        ),
        (
            "Softwarearchitekt, Siemens AG, München — Java 17, Spring Boot, Kafka",
            "04/2016 – heute",
            "2010 – 2016      Entwickler, SAP SE, Walldorf — ABAP, SAP HANA",
            "leitete ein Team von 12 Entwicklern",
            "99,9 % Verfügbarkeit",
        ),
    ),
    Resume(
        "FR",
        "Jean-Luc Picard",
        "jl.picard@orange.fr",
        "06 12 34 56 78",
        """JEAN-LUC PICARD
12 rue de la Paix, 75002 Paris — 06 12 34 56 78 — jl.picard@orange.fr
Né le 13 juillet 1975 — Nationalité : française
https://jlpicard.fr

EXPÉRIENCE
Directeur technique, Thales, Paris (2012 – 2023) : 40 ingénieurs, budget 5 M€.
Chef de projet, Capgemini (09/2005 - 08/2012).
Les équipes de M. Picard ont livré 3 plateformes critiques.
""",
        (
            "PICARD",
            "Picard",
            "12 rue de la Paix",
            "75002",
            "06 12 34 56 78",
            "jl.picard@",
            "13 juillet 1975",
            "française",
            "jlpicard.fr",
        ),
        (
            "Directeur technique, Thales, Paris (2012 – 2023) : 40 ingénieurs, budget 5 M€.",
            "Chef de projet, Capgemini (09/2005 - 08/2012).",
            "ont livré 3 plateformes critiques",
        ),
    ),
    Resume(
        "ES",
        "José García López",
        "jose.garcia@correo.es",
        "+34 612 345 678",
        """Jose GARCIA LOPEZ
Calle Mayor 5, 28013 Madrid | Tel: +34 612 345 678 | jose.garcia@correo.es
Fecha de nacimiento: 3 de marzo de 1985
LinkedIn: jose-garcia-lopez

Experiencia
Ingeniero de datos, Telefónica, Madrid — 2017 – 2024
- Diseñé pipelines con Spark y Airflow para 30 millones de clientes.
La tesis de José García trató sobre optimización de consultas en PostgreSQL 15.
""",
        (
            "Jose",
            "José",
            "GARCIA",
            "García",
            "LOPEZ",
            "Calle Mayor 5",
            "28013",
            "612 345 678",
            "jose.garcia@",
            "3 de marzo de 1985",
            "jose-garcia-lopez",
        ),
        (
            "Ingeniero de datos, Telefónica, Madrid — 2017 – 2024",
            "Diseñé pipelines con Spark y Airflow para 30 millones de clientes.",
            "optimización de consultas en PostgreSQL 15",
        ),
    ),
    Resume(
        "UK",
        "Siobhán O'Brien",
        "siobhan.obrien@gmail.com",
        "07700 900123",
        """Siobhan O’Brien — 221B Baker Street, London NW1 6XE — 07700 900123 — siobhan.obrien@gmail.com
DOB: 4 May 1992 · Age: 32 · https://siobhanobrien.dev · instagram.com/siobhan.designs

Product Designer, Monzo, London — May 2020 – present
UX Designer, BBC — Sep 2016 – Apr 2020; Figma, user research, accessibility audits (WCAG 2.1).
O'Brien's redesign lifted conversion by 18%.
""",
        (
            "Siobhan",
            "O’Brien",
            "O'Brien",
            "Baker Street",
            "NW1 6XE",
            "07700 900123",
            "siobhan.obrien@",
            "4 May 1992",
            "32",
            "siobhanobrien.dev",
            "siobhan.designs",
        ),
        (
            "Product Designer, Monzo, London — May 2020 – present",
            "UX Designer, BBC — Sep 2016 – Apr 2020; Figma, user research, accessibility audits (WCAG 2.1).",
            "redesign lifted conversion by 18%",
        ),
    ),
    Resume(
        "NL/IT",
        "Giulia de Vries",
        "giulia@devries.nl",
        "+31 6 12345678",
        """Giulia de Vries
Keizersgracht 123, 1015 CJ Amsterdam · +31 6 12345678 · giulia(at)devries.nl
Precedente: Via Roma 10, 00184 Roma · data di nascita: 21/09/1990

Data Scientist, Booking.com, Amsterdam — 2019 – 2024: Python, PyTorch, A/B testing at scale.
Analyst, UniCredit, Milano — 2014 – 2019.
""",
        (
            "Giulia",
            "Vries",
            "Keizersgracht 123",
            "1015 CJ",
            "12345678",
            "giulia(at)devries.nl",
            "Via Roma 10",
            "00184",
            "21/09/1990",
        ),
        (
            "Data Scientist, Booking.com, Amsterdam — 2019 – 2024: Python, PyTorch, A/B testing at scale.",
            "Analyst, UniCredit, Milano — 2014 – 2019.",
        ),
    ),
]


def _redact(resume: Resume) -> str:
    return redact(resume.text, candidate_name=resume.name, email=resume.email, phone=resume.phone).text


@pytest.mark.parametrize("resume", RESUMES, ids=[r.country for r in RESUMES])
def test_no_personal_data_from_a_resume_survives(resume: Resume) -> None:
    text = _redact(resume)

    leaked = [value for value in resume.personal if value.casefold() in text.casefold()]
    assert leaked == [], text
    national = re.sub(r"\D", "", resume.phone)[-7:]
    assert national not in re.sub(r"[\s().\-/]", "", text)


@pytest.mark.parametrize("resume", RESUMES, ids=[r.country for r in RESUMES])
def test_skills_employers_titles_and_dates_of_employment_survive_verbatim(resume: Resume) -> None:
    text = _redact(resume)

    assert [line for line in resume.kept if line not in text] == [], text


def test_the_redacted_resume_reads_with_placeholders_where_the_data_was() -> None:
    redaction = redact(RESUMES[0].text, candidate_name="Taylor Swift")

    assert redaction.text.splitlines()[:4] == [
        "[NAME]",
        "[ADDRESS] · [PHONE] · [EMAIL]",
        "[PROFILE LINK] | [PROFILE LINK] | Twitter: [PROFILE LINK]",
        "[PHOTO]",
    ]
    assert redaction.counts == {"address": 1, "email": 1, "name": 2, "phone": 1, "photo": 1, "profile_link": 3}


def test_counts_say_what_was_removed_never_the_values() -> None:
    for resume in RESUMES:
        counts = redact(resume.text, candidate_name=resume.name).counts

        assert set(counts) <= KINDS and all(isinstance(n, int) and n > 0 for n in counts.values())
        assert not any(value.casefold() in repr(counts).casefold() for value in resume.personal)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("Jane Doe", "Jane Doe, jane DOE, JANE and Doe", "[NAME], [NAME], [NAME] and [NAME]"),
        (
            "Jane Doe",
            "Jane's code and Doe’s review; the Jones' house",
            "[NAME] code and [NAME] review; the Jones' house",
        ),
        ("José Núñez", "Jose Nunez and JOSÉ NÚÑEZ", "[NAME] and [NAME]"),
        ("Jose Nunez", "José Núñez wrote it", "[NAME] wrote it"),
        ("Jürgen Groß", "Juergen Gross, Jurgen Groß, JÜRGEN", "[NAME], [NAME], [NAME]"),
        ("Mary-Kate van der Berg", "Mary-Kate van der Berg; Ms. van der Berg; M. Berg", "[NAME]; [NAME]; [NAME]"),
        ("Doe, Jane", "Jane Doe", "[NAME]"),
        ("Dr. Anna Schmidt", "Dr. Anna Schmidt, MariaDB", "Dr. [NAME], MariaDB"),
        ("Jane Doe", "Janet Doerr, who does", "Janet Doerr, who does"),
    ],
)
def test_every_part_of_the_name_goes_whatever_its_case_accents_or_possessive(
    name: str, text: str, expected: str
) -> None:
    assert redact(text, candidate_name=name).text == expected


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("June Schneider", "June 2019 – present: Engineer at Schneider Electric"),
        ("Taylor Swift", "Skills: Swift, SwiftUI, Objective-C"),
        ("Will Cook", "I will cook for 200 guests as Head Cook"),
        ("Julia Rust", "Languages: Julia, Rust, Go"),
        ("Li Wei", "Led the LI team"),
    ],
)
def test_name_parts_that_are_also_words_survive_where_they_are_words(name: str, text: str) -> None:
    assert redact(text, candidate_name=name).text == text


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("June Schneider", "JUNE SCHNEIDER", "[NAME]"),
        ("Will Cook", "Will Cook, Senior Chef", "[NAME], Senior Chef"),
        ("Li Wei", "Li Wei; Wei's thesis", "[NAME]; [NAME] thesis"),
    ],
)
def test_such_name_parts_go_when_they_appear_as_the_name(name: str, text: str, expected: str) -> None:
    assert redact(text, candidate_name=name).text == expected


@pytest.mark.parametrize(
    "phone",
    [
        "+49 30 1234567",
        "+49 (0)30 123 456 78",
        "+1 (555) 123-4567",
        "+44 20 7946 0958",
        "0044 20 7946 0958",
        "+33 6 12 34 56 78",
        "+91 98765 43210",
        "(555) 123-4567",
        "555-123-4567",
        "555.123.4567",
        "030 1234567",
        "030/1234567",
        "(030) 1234567",
        "0171-234 56 78",
        "020 7946 0958",
        "06 12 34 56 78",
        "079 123 45 67",
    ],
)
def test_phone_numbers_go_in_international_and_local_formats(phone: str) -> None:
    assert redact(f"Reach me on {phone} after six.", candidate_name="A B").text == "Reach me on [PHONE] after six."


@pytest.mark.parametrize("label", ["Phone", "Tel.", "Mobile", "Handy", "Telefon", "Tél", "Teléfono", "WhatsApp"])
def test_a_labelled_number_goes_even_in_an_unusual_format(label: str) -> None:
    assert redact(f"{label}: 612 345 678", candidate_name="A B").text == f"{label}: [PHONE]"


def test_the_candidates_own_number_goes_in_whatever_form_it_is_written() -> None:
    text = "Call 1712-34-5678 or 0171 23 45 678 (mornings)."

    assert redact(text, candidate_name="A B", phone="+49 171 2345678").text == "Call [PHONE] or [PHONE] (mornings)."


@pytest.mark.parametrize(
    "text",
    [
        "Software Engineer 2018-2022",
        "2018 – 2022",
        "01/2019 - 03/2021",
        "03.2015 – 11.2018",
        "2019-05-01 to now",
        "Python 3.11.4, Node 18.17.1, Windows 10.0.19041",
        "Server at 192.168.100.200",
        "Budget $1,250,000",
        "Revenue 1.000.000 EUR",
        "ISO 27001:2013",
        "Served 1 000 000 users",
        "Released v2.3.4 and 10.2.0.1",
        "12.05.2019 – 30.06.2021",
        "Employee ID 2020 2021",
    ],
)
def test_years_ranges_dates_versions_and_amounts_are_not_phone_numbers(text: str) -> None:
    assert redact(text, candidate_name="A B").text == text


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("221B Baker Street, London NW1 6XE", "[ADDRESS]"),
        ("12 Main St. Apt 4B, Springfield, IL 62704", "[ADDRESS]"),
        ("Hauptstraße 5, 10115 Berlin", "[ADDRESS]"),
        ("Musterstr. 12a\n80331 München", "[ADDRESS]"),
        ("Berliner Platz 1", "[ADDRESS]"),
        ("10115 Berlin, Hauptstraße 5", "[ADDRESS]"),
        ("5, avenue des Champs-Élysées, 75008 Paris", "[ADDRESS]"),
        ("Calle de Alcalá 45, 28014 Madrid", "[ADDRESS]"),
        ("Via Roma 10, 00184 Roma", "[ADDRESS]"),
        ("Rua Augusta 100", "[ADDRESS]"),
        ("Keizersgracht 123, 1015 CJ Amsterdam", "[ADDRESS]"),
        ("Storgatan 12", "[ADDRESS]"),
        ("ul. Marszałkowska 10, 00-590 Warszawa", "[ADDRESS]"),
        ("P.O. Box 1234", "[ADDRESS]"),
        ("Address: Flat 3, Rosewood Court, Leeds", "Address: [ADDRESS]"),
    ],
)
def test_street_addresses_go_with_their_postal_codes(address: str, expected: str) -> None:
    assert redact(address, candidate_name="A B").text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Five years of Wall Street experience",
        "Designed 3 route planning algorithms",
        "Spring 5 and Spring Boot 3",
        "Led 2 Senior Engineers",
        "Kafka Streams 3.6",
        "Deployed via Jenkins",
        "IP address: managed DHCP and DNS",
        "Won 1st Place in the 2019 hackathon",
        "Rebuilt the 12 Factor App guide",
    ],
)
def test_numbers_near_street_words_are_not_addresses(text: str) -> None:
    assert redact(text, candidate_name="A B").text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.linkedin.com/in/jane-doe-123/.", "[PROFILE LINK]."),
        ("linkedin.com/in/jdoe", "[PROFILE LINK]"),
        ("(github.com/jdoe)", "([PROFILE LINK])"),
        ("XING: https://www.xing.com/profile/J_Doe", "XING: [PROFILE LINK]"),
        ("x.com/jdoe and twitter.com/jdoe", "[PROFILE LINK] and [PROFILE LINK]"),
        ("facebook.com/jane.doe.77, instagram.com/jd.photos", "[PROFILE LINK], [PROFILE LINK]"),
        ("Portfolio: jdoe-design.com", "Portfolio: [PROFILE LINK]"),
        ("GitHub: jdoe", "GitHub: [PROFILE LINK]"),
        ("jdoe.github.io/blog", "[PROFILE LINK]"),
        ("see www.example.org/about", "see [PROFILE LINK]"),
        ("Mastodon: @jdoe@mastodon.social", "Mastodon: @[EMAIL]"),
    ],
)
def test_links_to_profiles_and_personal_sites_go(text: str, expected: str) -> None:
    assert redact(text, candidate_name="Jane Doe").text == expected


def test_a_personal_domain_goes_even_without_a_scheme() -> None:
    assert redact("Blog at janedoe.dev and jane-doe.com", candidate_name="Jane Doe").text == (
        "Blog at [PROFILE LINK] and [PROFILE LINK]"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Node.js, Vue.js, ASP.NET, socket.io and D3.js",
        "GitHub Actions, GitLab CI",
        "Photoshop and photography",
        "image processing (OpenCV)",
        "C#/.NET 8",
    ],
)
def test_technology_names_that_look_like_domains_or_photos_survive(text: str) -> None:
    assert redact(text, candidate_name="Jane Doe").text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[Photo]", "[PHOTO]"),
        ("Foto: attached", "Foto: [PHOTO]"),
        ("portrait_2023.JPG", "[PHOTO]"),
        ("![headshot](me.png)", "[PHOTO]"),
        ('<img src="cid:photo1">', "[PHOTO]"),
        ("data:image/png;base64,iVBORw0KGgo=", "[PHOTO]"),
    ],
)
def test_photo_references_go(text: str, expected: str) -> None:
    assert redact(text, candidate_name="A B").text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date of birth: 12.03.1990", "Date of birth: [DATE OF BIRTH]"),
        ("DOB 1990-03-12", "DOB [DATE OF BIRTH]"),
        ("D.O.B.: March 12, 1990", "D.O.B.: [DATE OF BIRTH]"),
        ("Born 1990 in Leeds", "Born [DATE OF BIRTH] in Leeds"),
        ("born on 3rd? no: born on 12 March 1990", "born on 3rd? no: born on [DATE OF BIRTH]"),
        ("Geburtsdatum: 12. März 1990", "Geburtsdatum: [DATE OF BIRTH]"),
        ("geboren am 12.03.1990 in Köln", "geboren am [DATE OF BIRTH] in Köln"),
        ("* 12.03.1990 in Köln", "* [DATE OF BIRTH] in Köln"),
        ("Date de naissance : 12/03/1990", "Date de naissance : [DATE OF BIRTH]"),
        ("Fecha de nacimiento: 12 de marzo de 1990", "Fecha de nacimiento: [DATE OF BIRTH]"),
        ("Geboortedatum: 12-03-1990", "Geboortedatum: [DATE OF BIRTH]"),
        ("Age: 34", "Age: [AGE]"),
        ("a 34-year-old engineer", "a [AGE] engineer"),
    ],
)
def test_dates_of_birth_and_ages_go_with_their_label_kept(text: str, expected: str) -> None:
    assert redact(text, candidate_name="A B").text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Born to lead: 10 years of management",
        "12.03.2019 – 30.06.2021 Engineer",
        "Since March 2020",
        "8 years of experience, 3 years old codebase rewritten",
    ],
)
def test_dates_that_are_not_birth_dates_survive(text: str) -> None:
    assert redact(text, candidate_name="A B").text == text


def test_email_addresses_go_including_obfuscated_ones_and_the_candidates_own() -> None:
    text = "jane.doe+cv@example.co.uk, mailto:j@x.io, jane [at] example [dot] com, jane@intranet"

    redaction = redact(text, candidate_name="A B", email="jane@intranet")

    assert redaction.text == "[EMAIL], [EMAIL], [EMAIL], [EMAIL]"


def test_an_evidence_quote_taken_from_the_redacted_text_is_verified_against_it() -> None:
    redacted = redact(RESUMES[0].text, candidate_name="Taylor Swift").text
    quotes = ["[NAME] apps serve 2M users.", "Led a team of 6 engineers building the payments SDK in Swift 5.9."]
    analysis = ResumeAnalysisContent(
        risk_score=0.2,
        relevance_summary="Strong iOS fit.",
        cons=[],
        red_flags=[],
        suggested_questions=[],
        pros=[Finding(text="iOS at scale", evidence=[Evidence(quote=q) for q in quotes])],
    )

    kept = keep_verbatim_evidence(analysis, redacted)

    assert all(quote in redacted for quote in quotes)
    assert [e.quote for e in kept.pros[0].evidence] == quotes


def test_the_analysis_prompt_explains_every_placeholder_the_model_can_meet() -> None:
    assert [p for p in PLACEHOLDERS.values() if p not in DEFAULT_PROMPTS["resume_analysis"]] == []


def test_placeholders_already_in_the_text_are_left_alone() -> None:
    text = "[NAME] and [PROFILE LINK] stay; Link goes"

    assert redact(text, candidate_name="Rebecca Link").text == "[NAME] and [PROFILE LINK] stay; [NAME] goes"


# --- properties ------------------------------------------------------------------------------
_FRAGMENTS = [
    *(line for r in RESUMES for line in r.text.splitlines()),
    *(v for r in RESUMES for v in r.personal),
    "Jane",
    "Doe's",
    "+49 30 1234567",
    "2018-2022",
    "https://x.com/a",
    "@jd",
    "Straße 5",
    "12345",
    "[NAME]",
    "[PHONE",
    "LINK]",
    "Born 1990",
    "0",
    "(",
    ")",
    "-",
    "/",
    ".",
    "'",
    "’",
    "\n",
    " ",
    "José",
    "Nuñez",
]
_NAMES = st.one_of(
    st.sampled_from([r.name for r in RESUMES] + ["Jane Doe", "Link", "Name", "A", "", "Will June", "de la"]),
    st.text(max_size=30),
)
_TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=8)), max_size=25).map("".join),
    st.lists(st.sampled_from(_FRAGMENTS), max_size=25).map(" ".join),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_TEXTS,
    name=_NAMES,
    email=st.one_of(st.none(), st.emails(), st.text(max_size=10)),
    phone=st.one_of(st.none(), st.text(alphabet="+0123456789 -()", max_size=18)),
)
def test_redact_never_fails_never_grows_beyond_its_placeholders_and_is_idempotent(
    text: str, name: str, email: str | None, phone: str | None
) -> None:
    once = redact(text, candidate_name=name, email=email, phone=phone)
    twice = redact(once.text, candidate_name=name, email=email, phone=phone)

    allowance = sum(LONGEST_REPLACEMENT[kind] * n for kind, n in once.counts.items())
    assert len(once.text) <= len(text) + allowance
    assert twice.text == once.text
    assert twice.counts == {}


# --- work linear in the text: a bounded number of scans, whatever the text ----------------------
STALLING = "a.github.io" * 60 + "\n" + "| address: a " * 7615  # took 218 s on the event loop


@pytest.mark.parametrize("copies", [1, 2, 4])
def test_redaction_scans_the_text_a_fixed_number_of_times_however_long_it_is(copies: int) -> None:
    result = redact("\n".join([STALLING] * copies), candidate_name="Jane Doe")
    assert result.passes <= 3  # was one pass per exposed detail, up to 50, each quadratic
    assert result.counts["address"] == 7615 * copies
    assert "address: a" not in result.text and "github.io" not in result.text


def test_glued_pages_are_one_link_not_a_chain_that_needs_a_pass_each() -> None:
    result = redact("Portfolio: a.github.iob.github.ioc.github.io", candidate_name="Jane Doe")
    assert result.text == "Portfolio: [PROFILE LINK]"
    assert result.passes == 2  # one to redact, one to see nothing changes


def test_a_text_that_keeps_exposing_details_is_refused_rather_than_passed_on_half_redacted() -> None:
    # Each birth date hides the label of the next one until it is replaced.
    chain = "Fecha de nacimiento0de marde 1900" * (MAX_PASSES + 2)
    with pytest.raises(RedactionIncompleteError, match="could not be cleared of personal details") as failure:
        redact(chain, candidate_name="Jane Doe")
    assert not policy_for(failure.value).retries
    assert "1900" not in failure.value.message


def test_an_existing_placeholder_is_kept_and_not_counted() -> None:
    result = redact("[NAME] wrote to jane@doe.example", candidate_name="Jane Doe")
    assert result.text == "[NAME] wrote to [EMAIL]"
    assert result.counts == {"email": 1}
