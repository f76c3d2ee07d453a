"""More statements that reveal a protected attribute: school-leaving years, pregnancy and care, worship
days, sexual orientation and gender identity, a language spoken natively.

Tables only, like `domain.protected_terms`; `domain.redaction_protected` applies them.
"""

from __future__ import annotations

import re

_YEAR = r"(?:19|20)\d{2}"
_SCHOOL = (
    r"(?:high|secondary|grammar|grad|graduate|law|medical|nursing|business)?[ \t]*(?:school|college|university|uni"
    r"|sixth[ \t]+form|a-levels?|gcses?|abitur|matura|baccalaur[eé]at|degree|diploma|studies|bachelor['’]?s"
    r"|master['’]?s|ph\.?d|mba)"
)
# "Graduated high school in 1983", "finished school in 2009", "left university in 1990": the year of
# leaving school tells the age. "Graduated to team lead in 2019" is a promotion and stays.
SCHOOL_YEARS = re.compile(
    rf"(?i)(?<![\w-])(?:graduat(?:ed|ing)(?![ \t]+to\b)|(?:(?:finish|complet|matriculat)(?:ed|ing)|left|leaving)"
    rf"(?=[^.;\n\d]{{0,60}}?\b{_SCHOOL}\b))[^.;\n\d]{{0,60}}?(?P<v>{_YEAR})(?!\d)"
)
# "High school diploma, 1983" outside an education section.
SCHOOL_DIPLOMA_YEARS = re.compile(
    rf"(?i)(?<![\w-])(?:high|secondary)[ \t]+school(?:[ \t]+(?:diploma|graduate|graduation|leaver))?"
    rf"[ \t]*[,(:–—-]?[ \t]*(?P<v>{_YEAR})(?!\d)"
)

_CHILD = r"(?:child|children|kids?|baby|babies|twins|triplets|son|sons|daughter|daughters|newborn|toddlers?)"
_RELATIVE = (
    _CHILD + r"|family|mother|father|mom|mum|dad|parents?|grandparents?|grandmother|grandfather|husband|wife"
    r"|spouse|partner"
)
# Pregnancy, and caring for a child or a relative given as a reason: the whole reason goes, so that
# "a career break raising my twins" and "a career break to care for my mother" read the same.
PREGNANCY_AND_CARE = re.compile(
    r"(?i)(?<![\w-])(?:"
    r"(?:(?:i[ \t]+am|i['’]m|currently|while)[ \t]+)?(?:expecting|pregnant[ \t]+with)[ \t]+(?:my|our|a|an)[ \t]+"
    r"(?:(?:first|second|third|fourth|fifth|new|little)[ \t]+)?" + _CHILD + r"|(?:(?:i[ \t]+am|i['’]m)[ \t]+)?"
    r"(?:currently[ \t]+)?pregnant|expecting[ \t]+a[ \t]+baby"
    r"|(?:(?:i[ \t]+am|i['’]m|currently)[ \t]+)?(?:on|after|from)[ \t]+(?:maternity|paternity"
    r"|parental|adoption)[ \t]+leave"
    r"|(?:(?:to|for)[ \t]+)?(?:rais(?:e|ed|ing)|car(?:e|ed|ing)[ \t]+for|look(?:ed|ing)?[ \t]+after|bring(?:ing)?"
    r"[ \t]+up|brought[ \t]+up|stay(?:ed|ing)?[ \t]+(?:at[ \t]+)?home[ \t]+with|be(?:ing)?[ \t]+(?:a[ \t]+)?"
    r"(?:full-time[ \t]+)?(?:parent|carer|caregiver)[ \t]+(?:to|for))[ \t]+(?:my|our|a|an)[ \t]+"
    r"(?:(?:young|new|newborn|elderly|ill|sick|aging|ageing|two|three|four|small|growing)[ \t]+)?(?:" + _RELATIVE + r")"
    r"|(?:for[ \t]+)?family[ \t]+reasons"
    r")(?![\w-])"
)

_DAYS = r"(?:sun|mon|tues|wednes|thurs|fri|satur)days?|weekends?|sabbath|holy[ \t]+days"
_WORSHIP = (
    # "services" alone is also a word of the trade ("deployed services on Sundays")
    r"church|chapel|mass|synagogue|shul|mosque|masjid|temple|gurdwara|mandir|worship|prayers?|praying"
    r"|(?:attend(?:s|ed|ing)?|church|religious|worship)[ \t]+services?"
    r"|shabbat|shabbos|sabbath|jumu['’]?ah|religious|faith|bible[ \t]+study"
)
# "Unavailable on Sundays for church", "Saturdays off for synagogue": a day tied to worship, up to the
# end of the clause, goes whole, so the day itself does not tell the faith.
WORSHIP_DAYS = re.compile(
    # every stretch bounded, so each start costs a constant: the scan stays linear in the text
    rf"(?i)(?<![^\s(])(?=[^\s.,;:!?()\n])[^.,;:!?()\n]{{0,60}}?\b(?:(?:{_DAYS})\b[^.,;:!?()\n]{{0,40}}?\b(?:{_WORSHIP})"
    rf"|(?:{_WORSHIP})\b[^.,;:!?()\n]{{0,40}}?\b(?:{_DAYS}))\b(?:[^.,;:!?()\n]{{0,60}}[^\s.,;:!?()\n])?"
)

_ORIENTATION = (
    r"gay|lesbian|bisexual|queer|transgender|non-?binary|pansexual|asexual|genderqueer|genderfluid|intersex"
    r"|heterosexual|homosexual|cisgender"
)
_PERSON = r"(?:woman|man|person|engineer|developer|professional|individual|student|parent|employee|candidate)"
# "As a trans woman", "I am gay", "I identify as non-binary", "a proud member of the LGBTQ+ community".
ORIENTATION_STATEMENTS = re.compile(
    r"(?i)(?<![\w-])(?:"
    r"(?:(?:as|i[ \t]+am|i['’]m|being)[ \t]+(?:an?[ \t]+)?(?:(?:openly|proud(?:ly)?|out)[ \t]+)?"
    r"|(?:i[ \t]+)?identify(?:ing)?[ \t]+as[ \t]+(?:an?[ \t]+)?)(?:(?:" + _ORIENTATION + r")(?:[ \t]+" + _PERSON + r")?"
    r"|(?:trans|straight|cis|bi)[ \t]+" + _PERSON + r")"
    r"|(?:(?:an?[ \t]+)?(?:proud[ \t]+)?(?:member|part)[ \t]+of[ \t]+(?:the[ \t]+)?)?"
    r"(?:lgbt\w*\+?|queer|gay|trans)[ \t]+communit(?:y|ies)"
    r"|(?:" + _ORIENTATION + r"|trans)[ \t]+" + _PERSON + r")(?![\w-])"
)
# Events and groups of a Pride or LGBTQ+ movement: affinity organisations.
PRIDE_GROUPS = re.compile(
    r"(?<![\w-])(?:(?-i:Pride)[ \t]+(?i:parades?|march(?:es)?|month|festivals?|events?|committee|network|week"
    r"|celebrations?)|(?i:lgbt\w*\+?|queer|trans)[ \t]+(?:(?i:employee|staff|student|students['’]?|youth)[ \t]+)?"
    r"(?i:network|group|alliance|society|club|association|committee|erg|resource[ \t]+group|centre|center))(?![\w-])"
)

# "Mandarin (native)", "Spanish – native speaker", "native Hindi speaker": the word that says the
# language is a first one becomes "fluent"; the language, a job skill, stays.
NATIVE_LANGUAGE = re.compile(
    r"(?<=[A-Za-zÀ-ÿ])(?:[ \t]*[(:–—-][ \t]*|[ \t]*,[ \t]*)(?P<v>(?i:native(?:[ \t-]level)?|mother[ \t]+tongue"
    r"|first[ \t]+language))(?=[ \t]*(?:speaker)?[ \t]*(?:[),;/\n]|$|\.(?!\w)))"
    r"|(?<![\w-])(?P<w>(?i:native))(?=[ \t]+(?:[A-Z][a-z]+[ \t]+)?(?i:speaker)\b)"
)
