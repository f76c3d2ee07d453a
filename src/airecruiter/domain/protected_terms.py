"""Words and patterns that reveal a protected attribute: the data `domain.redaction_protected` applies.

Tables only. Gendered words map to neutral ones; organisations are recognised by a keyword inside a
capitalised name; family, disability, birth and graduation statements by phrase patterns; sections
of a résumé by their headings (an employer's name stays in an experience entry, an institution is
blinded in an education entry).
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- gendered words → neutral forms ------------------------------------------------------------
# "her" is "their" or "them" by what follows; "him" follows the same rule, so that a pair differing
# only in the pronoun always reads the same (decided by `domain.redaction_protected`).
OBJECT_PRONOUNS = frozenset({"her", "him"})
# "his" is "their" before a word and "theirs" otherwise, like "hers" ("the idea was his").
POSSESSIVE_PRONOUNS = frozenset({"his"})
NEUTRAL: dict[str, str] = {
    "she": "they",
    "he": "they",
    "hers": "theirs",
    "himself": "themselves",
    "herself": "themselves",
    "chairwoman": "chair",
    "chairman": "chair",
    "chairwomen": "chairs",
    "chairmen": "chairs",
    "spokeswoman": "spokesperson",
    "spokesman": "spokesperson",
    "businesswoman": "businessperson",
    "businessman": "businessperson",
    "saleswoman": "salesperson",
    "salesman": "salesperson",
    "congresswoman": "member of congress",
    "congressman": "member of congress",
    "forewoman": "supervisor",
    "foreman": "supervisor",
    "stewardess": "flight attendant",
    "steward": "flight attendant",
    "waitress": "server",
    "waiter": "server",
    "actress": "actor",
    "hostess": "host",
    "headmistress": "head teacher",
    "headmaster": "head teacher",
    "sorority": "student society",
    "fraternity": "student society",
    "mother": "parent",
    "father": "parent",
    "mothers": "parents",
    "fathers": "parents",
    "wife": "spouse",
    "husband": "spouse",
    "girlfriend": "partner",
    "boyfriend": "partner",
    "daughter": "child",
    "son": "child",
    "daughters": "children",
    "sons": "children",
    "sister": "sibling",
    "brother": "sibling",
    "sisters": "siblings",
    "brothers": "siblings",
    "grandmother": "grandparent",
    "grandfather": "grandparent",
    "grandmothers": "grandparents",
    "grandfathers": "grandparents",
    "grandma": "grandparent",
    "grandpa": "grandparent",
    "granddaughter": "grandchild",
    "grandson": "grandchild",
    "aunt": "relative",
    "uncle": "relative",
    "niece": "relative",
    "nephew": "relative",
    "woman": "person",
    "man": "person",
    "women": "people",
    "men": "people",
    "girl": "person",
    "boy": "person",
    "girls": "people",
    "boys": "people",
    "lady": "person",
    "gentleman": "person",
    "ladies": "people",
    "gentlemen": "people",
}
# Removed with the space after them: "women's team" → "team", "Ms. Lee" → "Lee", "female engineer" → "engineer".
GENDERED_QUALIFIERS = re.compile(
    r"(?i)(?<![\w'’-])(?:women|men|girls|boys|ladies|gentlemen|female|male|woman|man)['’]s?[ \t]+(?=\w)"
    r"|(?i:(?<![\w'’-])(?:female|male|feminine|masculine)[ \t]+(?=\w))"
)
TITLES = re.compile(r"(?<![\w.])(?:Mrs|Ms|Mr|Mx|Miss|Frau|Herr|Mme|Mlle|Madame|Monsieur)\b\.?[ \t]*(?=[A-ZÀ-Þ\[])")
NEUTRAL_WORDS = re.compile(
    r"(?i)(?<![\w'’-])(?:her|him|his|" + "|".join(sorted(NEUTRAL, key=len, reverse=True)) + r")(?![\w'’-])"
)
# Words after which "her"/"him" is an object ("them"); before any other word it is a possessive ("their").
AFTER_OBJECT = _words(
    "to for as with and or in on at from by the a an that about into up out back off over through during after"
    " before since until when while because if but so who which how what this these those is was"
)
WORD_AFTER = re.compile(r"[ \t]+(?P<w>[^\W\d_]+)")

# --- organisations ----------------------------------------------------------------------------
# Places and bodies of worship name a religious organisation alone; the adjectives only beside an
# organisation noun ("Christian Fellowship"), since "Christian" is also a given name.
RELIGIOUS_PLACES = _words(
    "church churches chapel cathedral parish diocese archdiocese mosque masjid synagogue temple gurdwara mandir"
    " ministry ministries bible hillel chabad yeshiva madrasa congregation"
)
RELIGIOUS_KEYWORDS = RELIGIOUS_PLACES | _words(
    "christian christians catholic catholics protestant baptist methodist lutheran"
    " presbyterian episcopal evangelical pentecostal adventist mormon lds orthodox jewish hebrew hillel chabad"
    " muslim muslims islamic hindu sikh buddhist jain quaker anglican gospel yeshiva madrasa torah quran"
    " interfaith congregation"
)
AFFINITY_KEYWORDS = _words(
    # both sexes: "Men in Computing Society" is an affinity group as "Women in Computing Society" is
    "women woman women's womens female females girls girl ladies men men's mens male males boys gentlemen"
    " black african afro latina latino latinas latinos"
    " latinx latine hispanic asian lgbt lgbtq lgbtq+ lgbtqia lgbtqia+ queer gay lesbian lesbians bisexual trans"
    " transgender pride veterans veteran disabled disability deaf native indigenous minority minorities"
    " arab chinese korean indian vietnamese filipino japanese turkish nigerian persian iranian pakistani"
    " mexican caribbean heritage irish italian polish greek german russian ukrainian armenian cuban dominican"
    " haitian jamaican ethiopian somali ghanaian kenyan egyptian lebanese syrian brazilian colombian peruvian"
    " thai cambodian hmong taiwanese bangladeshi nepali punjabi"
)
ORGANISATION_NOUNS = _words(
    "society association network club council alliance union coalition collective foundation chapter group"
    " circle committee organization organisation fellowship league guild forum community initiative engineers"
    " professionals scientists leaders students tech stem engineering computing code business leadership"
    " caucus federation sisterhood brotherhood movement centre center service services charity charities mission"
)
# A name that starts with a saint's title is a parish, an order or its charity (outside employment entries).
SAINT_TITLES = _words("st ste sta saint sainte")
_GREEK_LETTER = (
    "Alpha|Beta|Gamma|Delta|Epsilon|Zeta|Eta|Theta|Iota|Kappa|Lambda|Mu|Nu|Xi|Omicron|Pi|Rho|Sigma|Tau|Upsilon"
    "|Phi|Chi|Psi|Omega"
)
# "Sigma Nu fraternity", "Delta Gamma Sorority": the letters name a single-sex society.
GREEK_LETTER_SOCIETY = re.compile(rf"(?<![\w-])(?:(?:{_GREEK_LETTER})[ \t]+){{1,3}}(?i:fraternity|sorority)(?![\w-])")
# Lower-case places of worship in a sentence ("prayers at the mosque"); capitalised names are organisations.
WORSHIP_PLACE = re.compile(
    r"(?<![\w-])(?:church|chapel|cathedral|mosque|masjid|synagogue|temple|gurdwara|mandir)(?![\w-])"
)
# Organisations known by a name without a keyword above, or whose keyword is also an ordinary word.
NAMED_AFFINITY = (
    "Out in Tech",
    "Lesbians Who Tech",
    "Girls Who Code",
    "Women Who Code",
    "Black Girls Code",
    "AnitaB.org",
    "oSTEM",
    "SHPE",
    "NSBE",
    "SASE",
    "AISES",
    "Grace Hopper Celebration",
    "Rewriting the Code",
    "Techqueria",
)
NAMED_AFFINITY_PATTERN = re.compile(
    r"(?<![\w.-])(?:" + "|".join(re.escape(n) for n in sorted(NAMED_AFFINITY, key=len, reverse=True)) + r")(?![\w-])"
    # "Women in Cloud", "Black Women in AI", "Queer Who Design": the usual shape of an affinity group's name
    r"|(?<![\w.-])(?:(?:Black|Latinx?|Latin[ao]s?|Asian|Queer|LGBTQ\+?|Indigenous|Native)[ \t]+)?"
    r"(?:Women|Men|Girls|Boys|Ladies|Black|Latinx|Latin[ao]s|Queer|LGBTQ\+?|Trans)[ \t]+(?:in|Who)[ \t]+"
    r"[A-Z][\w&+-]*(?![\w-])"
)
CONNECTORS = _words("of for in the and & who at de du des der für di del la")
CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-Þ0-9][\w'’.&+-]*|&")

# --- institutions -----------------------------------------------------------------------------
INSTITUTION_KEYWORDS = _words(
    "university universität universite université universidad università universiteit universidade"
    " college institute hochschule polytechnic polytechnique politecnico academy école ecole school gymnasium"
    " lyceum lycée"
)
# Known by a short name alone; blinded only inside an education section ("MIT License" stays elsewhere).
NAMED_INSTITUTIONS = _words(
    "MIT Caltech CMU UCLA UCSD UCSB NYU USC UIUC UPenn Stanford Harvard Yale Princeton Oxford Cambridge Columbia"
    " Cornell Berkeley Georgia Tech ETH EPFL TUM KIT RWTH IIT IITs IIM IISc BITS NUS NTU KAIST Tsinghua Peking"
    " Imperial LSE UCL Sorbonne"
)

NAMED_INSTITUTION_PATTERN = re.compile(
    r"(?<![\w.-])(?:"
    + "|".join(re.escape(n) for n in sorted(NAMED_INSTITUTIONS, key=len, reverse=True))
    + r")(?![\w-])"
)

# --- sections of a résumé ---------------------------------------------------------------------
SECTION_HEADINGS: dict[str, frozenset[str]] = {
    "employment": _words(
        "experience experiences employment work history career positions berufserfahrung praxiserfahrung"
        " expérience expériences experiencia esperienza werkervaring"
    ),
    "education": _words(
        "education educational academic academics qualifications studies ausbildung studium bildungsweg"
        " formation formations educación formación istruzione opleiding coursework"
    ),
    "other": _words(
        "volunteer volunteering activities affiliations leadership memberships interests community involvement"
        " extracurricular extra-curricular awards honors honours projects skills publications certifications"
        " certificates languages summary profile objective references personal hobbies service contact"
        " engagement ehrenamt interessen"
    ),
}
HEADING_LINE = re.compile(r"(?m)^[ \t#*•|]*(?P<h>[^\W\d_][^\n\d]{0,50}?)[ \t:*]*$")

# --- years, family, disability ----------------------------------------------------------------
_YEAR = r"(?:19|20)\d{2}"
YEAR = re.compile(rf"(?<![\w.-]){_YEAR}(?![\w])")
BIRTH_AND_GRADUATION_YEARS = re.compile(
    rf"(?i)(?<![\w])(?:born(?:[ \t]+in)?|b\.|year[ \t]+of[ \t]+birth[ \t]*:?|class[ \t]+of|graduat(?:ed|ing|ion)"
    rf"(?:[ \t]+(?:year|date))?[ \t]*(?:in|:)?|expected(?:[ \t]+graduation)?[ \t]*:?|jahrgang|promotion)"
    rf"[ \t]+(?:[^\W\d_]{{3,9}}\.?[ \t]+)?(?P<v>{_YEAR})(?!\d)"
)
AGE_STATEMENT = re.compile(
    r"(?i)(?<![\w])(?:aged?|i[ \t]+am|i['’]m)[ \t]+(?P<v>\d{2})(?=[ \t]*(?:years|yrs|y/o|and\b|[,;!)]|\.(?!\d)|$))"
)
# A relative's first name says their sex ("my husband Mark"): one or two capitalised words after the relation.
_GIVEN_NAMES = r"(?-i:,?[ \t]+[A-ZÀ-Þ][a-zß-ÿ'’-]+(?:[ \t]+[A-ZÀ-Þ][a-zß-ÿ'’-]+)?)"
FAMILY_STATEMENTS = re.compile(
    r"(?i)(?<![\w])(?:"
    r"(?:(?:as[ \t]+)?an?[ \t]+)?(?:(?:single|working|proud|stay[ \t-]at[ \t-]home)[ \t]+)?"
    r"(?:mother|father|mom|mum|dad|parent)[ \t]+(?:of|to)[ \t]+(?:one|two|three|four|five|six|\d{1,2}|twins)"
    r"(?:[ \t]+(?:young[ \t]+)?(?:children|kids|boys|girls|sons|daughters))?"
    r"|stay[ \t-]at[ \t-]home[ \t]+(?:mother|father|mom|mum|dad|parent)"
    r"|(?:(?:happily|i[ \t]+am|i['’]m)[ \t]+)?(?:married|divorced|widowed)"
    r"(?:[ \t]+with[ \t]+(?:\w+[ \t]+)?(?:children|kids)|[ \t]+to" + _GIVEN_NAMES + ")?"
    r"|(?:maternity|paternity|parental)[ \t]+leave"
    r"|(?:career[ \t]+break|time[ \t]+off)[ \t]+to[ \t]+(?:raise|care[ \t]+for)[ \t]+my[ \t]+(?:children|kids|family)"
    # the name may come first: "Mark, my husband"
    r"|(?-i:[A-ZÀ-Þ][a-zß-ÿ'’-]+),?[ \t]+(?:\(|my[ \t]+)(?:husband|wife|spouse|fianc[eé]e?)\)?"
    r"|my[ \t]+(?:husband|wife|spouse|girlfriend|boyfriend|fianc[eé]e?|children|kids|son|daughter|sons|daughters"
    r"|twins|baby)(?:" + _GIVEN_NAMES + ")?"
    # "partner" alone is also a business word: only with a name after it
    r"|my[ \t]+partner" + _GIVEN_NAMES + r"|(?:i[ \t]+am|i['’]m)[ \t]+(?:pregnant|single|engaged|separated)"
    r"|(?:as[ \t]+)?(?:someone|a[ \t]+person)[ \t]+(?:with[ \t]+no|without)[ \t]+(?:children|kids)"
    r"|(?:with[ \t]+)?no[ \t]+(?:children|kids)|childless|child-free|unmarried|single(?=[ \t]*[,;])"
    r")(?![\w])"
)
DISABILITY_STATEMENTS = re.compile(
    # "I am deaf" goes whole, as "I have ADHD" does: the two read the same
    r"(?i)(?<![\w-])(?:(?:i[ \t]+am|i['’]m)[ \t]+)?(?:(?:as[ \t]+)?an?[ \t]+)?(?:"
    r"(?:deaf|blind|disabled|autistic|dyslexic|diabetic|epileptic|neurodivergent|hard[ \t]+of[ \t]+hearing"
    r"|visually[ \t]+impaired|hearing[ \t]+impaired)(?:[ \t]+(?:person|individual|engineer|developer|woman|man"
    r"|student|professional|candidate))?(?=[ \t]*(?:[,.;:!]|$|and\b|who\b|with\b))"
    r"|(?:living|diagnosed|who[ \t]+lives?|i[ \t]+live)[ \t]+with[ \t]+(?:an?[ \t]+)?"
    r"(?:disability|adhd|autism|dyslexia|epilepsy"
    r"|cerebral[ \t]+palsy|multiple[ \t]+sclerosis|diabetes|cancer|depression|anxiety|bipolar[ \t]+disorder|ptsd"
    r"|chronic[ \t]+(?:illness|pain)|hearing[ \t]+loss|vision[ \t]+loss)"
    r"|(?:i[ \t]+)?use[sd]?[ \t]+a[ \t]+wheelchair|wheelchair[ \t]+user|legally[ \t]+blind"
    r"|(?:i[ \t]+have|i['’]ve[ \t]+got|with)[ \t]+(?:a[ \t]+)?(?:disability|adhd|autism|dyslexia|epilepsy)"
    # "as someone who is hard of hearing", "as a person with dyslexia"
    r"|(?:as[ \t]+)?(?:someone|a[ \t]+person)[ \t]+(?:who[ \t]+is|with)[ \t]+(?:an?[ \t]+)?(?:deaf|blind|disabled"
    r"|autistic|dyslexic|hard[ \t]+of[ \t]+hearing|visually[ \t]+impaired|partially[ \t]+sighted|disability|adhd"
    r"|autism|dyslexia|epilepsy|hearing[ \t]+loss|vision[ \t]+loss)"
    # saying there is none is a disclosure too: both must read the same
    r"|(?:i[ \t]+have[ \t]+)?no[ \t]+(?:disabilit(?:y|ies)|impairments?|health[ \t]+(?:limitations?|conditions?|issues"
    r"|problems))|(?:fully|partially|partly)[ \t]+sighted|able[ \t-]bodied"
    r")(?![\w])"
)
# Removed with the space after them, like a gendered qualifier: "wheelchair basketball league" → "basketball league".
DISABILITY_QUALIFIERS = re.compile(
    r"(?i)(?<![\w-])(?:wheelchair|deaf|blind|paralympic|para)[ \t]+(?=(?:basketball|rugby|tennis|sports?|leagues?"
    r"|teams?|clubs?|athletics|swimming|football|soccer|fencing|hockey|volleyball)(?![\w-]))"
)
# Where a candidate comes from, said in a sentence: the place goes, the sentence stays.
ORIGIN_PLACE = re.compile(
    r"(?i:born(?:[ \t]+and[ \t]+raised)?[ \t]+in|(?:grew|growing)[ \t]+up[ \t]+in|originally[ \t]+from"
    r"|hail(?:s|ed|ing)?[ \t]+from|a[ \t]+native[ \t]+of|(?:immigrated|emigrated|moved[ \t]+here|came[ \t]+here"
    r"|relocated[ \t]+here)[ \t]+from)[ \t]+(?:the[ \t]+)?"
    # a full stop ends the place unless a letter follows at once ("U.S.") or it abbreviates "St."
    r"(?P<v>(?:St\.[ \t]+)?[A-ZÀ-Þ](?:[\w'’-]|\.(?=\w))*(?:(?:,[ \t]*|[ \t]+)[A-ZÀ-Þ](?:[\w'’-]|\.(?=\w))*){0,3})"
)

# --- assistive technology, religious practice -------------------------------------------------
# A device or service the candidate relies on discloses a disability ("I use a screen reader"); testing
# with one is a skill and stays ("I test every page with a screen reader").
_ASSISTIVE_SOFTWARE = (
    r"(?:screen[ \t-]?readers?|screen[ \t-]?reading|screen[ \t-]?magnifi(?:er|cation)|magnification|braille"
    r"|JAWS|NVDA|dictation|speech[ \t-]to[ \t-]text|text[ \t-]to[ \t-]speech|eye[ \t-]tracking)"
    r"(?:[ \t]+(?:software|tools?|apps?|displays?|devices?))?"
)
_ASSISTIVE_AIDS = (
    r"hearing[ \t]+aids?|cochlear[ \t]+implants?|(?:sign[ \t-]language|ASL|BSL|Auslan)[ \t]+interpreters?"
    r"|(?:guide|service|assistance|hearing)[ \t]+dogs?|service[ \t]+animals?|white[ \t]+canes?|mobility[ \t]+(?:aids?"
    r"|scooters?)|crutches|walking[ \t]+(?:sticks?|frames?)|prosthe(?:tic|sis)(?:[ \t]+(?:legs?|arms?|limbs?|hands?))?"
    r"|insulin[ \t]+pumps?|live[ \t]+captions|captioning|CART"
)
_RELYING = (
    r"(?:i[ \t]+)?(?:use[sd]?|using|rel(?:y|ies|ied|ying)[ \t]+on|depend(?:s|ed|ing)?[ \t]+on|need(?:s|ed)?"
    r"|wear(?:s|ing)?|wore)[ \t]+"
)
_ARTICLE = r"(?:an?[ \t]+|my[ \t]+|two[ \t]+)?"
ASSISTIVE_TECHNOLOGY = re.compile(
    r"(?i)(?<![\w-])(?:"
    r"(?:"
    + _RELYING
    + _ARTICLE
    + r"|my[ \t]+)(?:"
    + _ASSISTIVE_SOFTWARE
    + "|"
    + _ASSISTIVE_AIDS
    + r")"
    # "with" is also how one tests ("I test with a screen reader"): only before an aid
    + r"|(?:with(?:[ \t]+the[ \t]+help[ \t]+of)?|through|via)[ \t]+"
    + _ARTICLE
    + r"(?:"
    + _ASSISTIVE_AIDS
    + r")"
    # the next aid of a list whose first one has gone: "[PERSONAL DETAIL] and a guide dog"
    + r"|(?:(?<=\] and )|(?<=\] or )|(?<=\], ))"
    + _ARTICLE
    + r"(?:"
    + _ASSISTIVE_SOFTWARE
    + "|"
    + _ASSISTIVE_AIDS
    + r"))(?![\w-])(?![ \t]+(?:to|for|when|while|in)[ \t]+(?:test|audit|check|review|qa|verif)\w*)"
    # the reason given names the condition: "because of RSI", up to the end of the clause
    r"(?:[ \t]+(?:because[ \t]+of|due[ \t]+to)[ \t]+[^.,;:!?\n]{1,40}?(?=[.,;:!?\n]|$))?"
)
# Observances, days, diet and dress of a faith. Said with a verb the whole statement goes ("Keeps Shabbat",
# "fasts during Lent"); the unambiguous words alone go anywhere ("Fridays off for Jumu'ah").
_OBSERVANCES = (
    r"shabbat|shabbos|sabbath|ramadan|jumu['’]?ah|yom[ \t]+kippur|rosh[ \t]+hashan(?:ah|a)|passover|pesach"
    r"|hanukkah|chanukah|sukkot|diwali|deepavali|navratri|vaisakhi|baisakhi|gurpurab|namaz"
    # "eID" is an electronic identity and "Salah" a surname: the feast only with its capital and its name
    r"|(?-i:Eid)(?:[ \t-](?:al|ul)[ \t-](?:fitr|adha))?"
)
_FAITH_WORDS = (
    r"muslim|jew|jewish|christian|catholic|protestant|evangelical|mormon|hindu|sikh|buddhist|jain|quaker"
    r"|orthodox[ \t]+jew|atheist"
)
RELIGIOUS_PRACTICE = re.compile(
    # "to keep Shabbat" and "for Jumu'ah prayers" read the same
    r"(?i)(?<![\w-])(?:(?:to|for|during|over|on|at)[ \t]+)?(?:"
    r"(?:keep(?:s|ing)?|kept|observ(?:e|es|ed|ing)|celebrat(?:e|es|ed|ing)|mark(?:s|ed)?|fast(?:s|ed|ing)?"
    r"(?:[ \t]+(?:during|for|on|through|at))?|practi[sc](?:e|es|ed|ing))[ \t]+(?:the[ \t]+)?"
    r"(?:" + _OBSERVANCES + r"|(?-i:Lent|Easter|Christmas|Holi)|kosher|halal|the[ \t]+fast)"
    r"|(?:keep(?:s|ing)?|kept|eat(?:s|ing)?|ate|follow(?:s|ed|ing)?|need(?:s|ed)?)[ \t]+(?:only[ \t]+|strictly[ \t]+"
    r"|an?[ \t]+(?:strict[ \t]+)?)?(?:kosher|halal)(?:[ \t]+(?:diet|food|meals?))?"
    r"|(?:kosher|halal)[ \t]+diet|(?:during|for|over)[ \t]+(?-i:Lent)"
    r"|(?:pray(?:s|ed|ing)?|prayers?)[ \t]+(?:five|5|three|3|several)[ \t]+times[ \t]+(?:a|each|per)[ \t]+day"
    r"|(?:(?:my|five|5)[ \t]+)?(?:daily|friday|sunday|morning|evening)[ \t]+prayers?"
    r"|(?:attend(?:s|ed|ing)?|go(?:es)?[ \t]+to|went[ \t]+to)[ \t]+(?:sunday[ \t]+)?mass"
    r"|(?:wear(?:s|ing)?|wore)[ \t]+(?:an?[ \t]+|my[ \t]+)?(?:hijab|headscarf|turban|kippah|yarmulke|niqab|burqa"
    r"|patka|crucifix)|hijab|kippah|yarmulke|niqab"
    r"|(?:(?:i[ \t]+am|i['’]m)[ \t]+|as[ \t]+)(?:an?[ \t]+)?(?:(?:practi[cs]ing|devout|observant|religious)[ \t]+)?"
    r"(?:" + _FAITH_WORDS + r")"
    r"|(?:practi[cs]ing|devout|observant)[ \t]+(?:" + _FAITH_WORDS + r")"
    r"|" + _OBSERVANCES + r")(?:[ \t]+(?:prayers?|services?|fast(?:ing)?|celebrations?|holidays?))?"
    r"(?:[ \t]+(?:daily|weekly|every[ \t]+(?:day|week|sunday|friday|saturday)|each[ \t]+(?:day|week)))?(?![\w-])"
)
