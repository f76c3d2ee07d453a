"""The patterns redaction looks for: dates, contact data, links, photos, phone numbers, addresses.

Tables of regular expressions only; `domain.redaction` applies them (and matches names) in order.
"""

from __future__ import annotations

import re


def _words(text: str) -> list[str]:
    return text.split()


_CAP = r"[A-ZÀ-ÖØ-ÞĀ-Ž]"
_WORD_CAP = _CAP + r"[\w'’.-]{0,40}"
_URL_CHARS = r"[^\s<>\"'\[\]{}|\\^`]"
TRAILING = ".,;:!?)'\"’"
MONTHS = sorted(
    {
        *_words("january february march april may june july august september october november december"),
        *_words("januar februar märz maerz marz mai juni juli oktober dezember"),
        *_words("janvier février fevrier mars avril juin juillet août aout septembre octobre novembre décembre"),
        *_words("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"),
        *_words("gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre"),
        *_words("janeiro fevereiro março maio junho julho setembro outubro dezembro"),
        *_words("jan feb mar apr jun jul aug sep sept oct okt nov dec dez"),
    },
    key=len,
    reverse=True,
)
_MONTH = "(?:" + "|".join(MONTHS) + r")\.?"
_YEAR = r"(?:19|20)\d{2}"
_DSEP = r"[ \t]*[./-][ \t]*"
_DATE = (
    rf"(?:\d{{1,2}}{_DSEP}\d{{1,2}}{_DSEP}(?:\d{{4}}|\d{{2}})|{_YEAR}{_DSEP}\d{{1,2}}{_DSEP}\d{{1,2}}"
    rf"|\d{{1,2}}\.?[ \t]*(?:de[ \t]+)?{_MONTH},?[ \t]*(?:de[ \t]+)?{_YEAR}"
    rf"|{_MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+{_YEAR}|{_MONTH},?[ \t]+{_YEAR}"
    rf"|\d{{1,2}}{_DSEP}{_YEAR}|{_YEAR})(?!\d)"
)


def _field(labels: str, value: str) -> re.Pattern[str]:
    """`Label: value` at a line start or after a separator; group `v` is the value."""
    return re.compile(rf"(?im)(?:^|(?<=[|•·;—]))[ \t]*(?:{labels})[ \t]*:[ \t]*(?P<v>{value})(?=[ \t]*(?:$|[|•·;—]))")


# --- personal details, dates of birth, age ---------------------------------------------------
PERSONAL = _field(
    "marital status|civil status|family status|familienstand|[ée]tat civil|situation familiale|estado civil"
    "|stato civile|burgerlijke staat|nationality|nationalit[äa]t|staatsangeh[öo]rigkeit|nationalit[ée]"
    "|nacionalidad|nazionalit[àa]|nationaliteit|religion|religious affiliation|konfession|religi[óo]n|religione"
    "|gender|sex|geschlecht|sexe|sexo|sesso|geslacht|children|kinder|enfants|hijos|figli|kinderen"
    "|place of birth|birthplace|geburtsort|lieu de naissance|lugar de nacimiento|luogo di nascita|geboorteplaats",
    r"[^\n|•·;—]{1,80}?",
)
_DOB_LABEL = (
    r"date[ \t]+of[ \t]+birth|birth[ \t]*date|birthday|d\.?[ \t]?o\.?[ \t]?b\.?|born|geburtsdatum|geburtstag"
    r"|geboren|geb\.|date[ \t]+de[ \t]+naissance|n[ée]e?[ \t]+le|fecha[ \t]+de[ \t]+nacimiento|nacid[oa]"
    r"|data[ \t]+di[ \t]+nascita|nat[oa][ \t]+il|data[ \t]+de[ \t]+nascimento|nascid[oa]|geboortedatum"
    r"|f[öo]delsedatum|f[öo]dd"
)
DOB = re.compile(
    rf"(?i)(?<![\w])(?:{_DOB_LABEL})(?![^\W\d_])[ \t]*(?:[:–-][ \t]*)?"
    rf"(?:(?:on|am|le|el|il|em|op|in|the)[ \t]+)?(?P<v>{_DATE})"
)
DOB_STAR = re.compile(rf"(?i)(?<![\w*])\*[ \t]?(?P<v>\d{{1,2}}\.[ \t]?(?:\d{{1,2}}\.|{_MONTH})[ \t]?{_YEAR})")
AGE_FIELD = re.compile(
    r"(?i)(?<![\w])(?:age|alter|âge|edad|età|leeftijd|ålder)[ \t]*:[ \t]*"
    r"(?P<v>\d{1,3}(?:[ \t]*(?:years|yrs|jahre|ans|años|anni|jaar|år)\b)?)"
)
AGE_PHRASE = re.compile(
    r"(?i)(?<![\w-])(?P<v>\d{2}[ \t-]*(?:years?|yrs?)[ \t-]*old|\d{2}[ \t]+jahre[ \t]+alt"
    r"|\d{2}[ \t]+años[ \t]+de[ \t]+edad)(?!\w)"
)

# --- email, links, photos --------------------------------------------------------------------
EMAIL = re.compile(
    r"(?i)(?<![\w.+%-])(?:mailto:)?[\w.+%-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[^\W\d_]{2,24}(?![\w-])"
    r"|(?<![\w.+%-])[\w.+-]{1,64}[ \t]?[\[({][ \t]?at[ \t]?[\])}][ \t]?[\w-]{1,63}"
    r"(?:[ \t]?(?:\.|[\[({][ \t]?dot[ \t]?[\])}])[ \t]?[\w-]{1,63}){1,4}"
)
_PROFILE_SITES = (
    r"linkedin\.com|xing\.com|github\.com|gitlab\.com|bitbucket\.org|twitter\.com|x\.com|facebook\.com"
    r"|fb\.com|instagram\.com|medium\.com|stackoverflow\.com|behance\.net|dribbble\.com|t\.me|tiktok\.com"
    r"|youtube\.com|kaggle\.com|about\.me|linktr\.ee|wa\.me|researchgate\.net|orcid\.org|scholar\.google\.com"
    r"|mastodon\.social|threads\.net|vk\.com"
)
LINKS = (
    re.compile(rf"(?i)(?<![\w@])(?:https?://|www\.){_URL_CHARS}{{1,300}}"),
    re.compile(rf"(?i)(?<![\w.@/-])(?:[\w-]{{1,63}}\.)?(?:{_PROFILE_SITES})/{_URL_CHARS}{{1,200}}"),
    # Pages glued together ("a.github.iob.github.io") are one link, not a chain each hiding the next.
    re.compile(rf"(?i)(?<![\w.@/-])(?:[\w-]{{1,63}}\.github\.io){{1,50}}(?:/{_URL_CHARS}{{0,200}})?"),
    re.compile(r"(?<![\w@.\-/])@[A-Za-z0-9_]{2,30}(?:\.[A-Za-z0-9_]{1,30}){0,2}(?![\w@])"),
)
LABELLED_PROFILE = _field(
    r"(?i:linkedin|xing|github|gitlab|bitbucket|twitter|instagram|facebook|skype|telegram|discord|mastodon"
    r"|stack[ \t]?overflow|kaggle|website|homepage|portfolio|blog|webseite|site web|sitio web)",
    r"(?://[ \t]*)?@?\w[\w.\-/]{0,99}",
)
BARE_DOMAIN = re.compile(
    rf"(?i)(?<![\w.@/-])[\w-]{{1,63}}(?:\.[\w-]{{1,63}}){{0,4}}\.(?:com|net|org|dev|io|me|info|de|at|ch|fr|es"
    rf"|it|nl|uk|co|eu|app|page|site|online|tech|blog|xyz)(?:/{_URL_CHARS}{{0,200}})?(?![\w-])"
)
PHOTOS = (
    re.compile(r"!\[[^\]\n]{0,200}\]\([^)\s]{0,500}\)"),
    re.compile(r"(?i)<img\b[^>]{0,500}>"),
    re.compile(r"(?i)data:image/[\w.+-]{1,20};base64,[A-Za-z0-9+/=]+"),
    re.compile(r"(?i)(?<![\w.-])[\w.-]{1,100}\.(?:jpe?g|png|gif|webp|heic|heif|bmp|tiff?)(?!\w)"),
    re.compile(r"(?i)[\[(](?:photo|foto|picture|image|bild|lichtbild|headshot|portrait)(?:[ \t]?\d{1,3})?[\])]"),
    _field(r"(?i:photo|foto|picture|headshot|portrait|lichtbild|bewerbungsfoto)", r"[^\n|•·;—]{1,200}?"),
)

# --- phone numbers ---------------------------------------------------------------------------
PHONE_INTERNATIONAL = re.compile(
    r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[ .\-/]?\(0\))?(?:[ .\-/]?\(?\d{1,5}\)?){2,6}(?![\w])"
)
PHONE_LOCAL = (
    re.compile(r"(?<![\w+(.\-/])\(?\d{3}\)?[ .\-]\d{3}[ .\-]\d{4}(?![\w]|[.\-/]\d)"),
    re.compile(r"(?<![\w+.\-/])\(0?\d{2,5}\)[ \t]?\d{2,4}(?:[ .\-]?\d{2,4}){0,3}(?![\w]|[.\-/]\d)"),
    re.compile(r"(?<![\w+(.\-/])0\d{1,5}(?:[ \t]?[/\-][ \t]?|[ .\t])?\d{2,8}(?:[ .\-]\d{2,8}){0,4}(?![\w]|[.\-/]\d)"),
)
PHONE_LABELLED = re.compile(
    r"(?i)(?<![\w])(?:phone|telephone|tel|mobile|mob|cell|handy|telefon|mobil|t[ée]l[ée]phone|t[ée]l"
    r"|portable|tel[ée]fono|m[óo]vil|celular|telefone|telemóvel|cellulare|telefoonnummer|mobiel|fax|whatsapp)"
    r"\.?[ \t]*(?:\([^)\n]{0,20}\)[ \t]*)?[:–-]?[ \t]*(?P<v>[+(]?\d[\d \t().\-/]{4,22}\d)"
)
PHONE_LOOSE = re.compile(r"(?<![\w+])[+(]?\d[\d \t().\-/]{5,24}\d(?!\d)")
IP = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")

# --- street addresses ------------------------------------------------------------------------
_POSTAL_TAIL = (
    rf"(?:,?[ \t]*\n?[ \t]*(?:\d{{4,5}}[ \t]+{_WORD_CAP}(?:[ \t-]{_WORD_CAP})?|\d{{4}}[ \t]?[A-Z]{{2}}\b"
    rf"(?:[ \t]+{_WORD_CAP})?|\d{{2}}-\d{{3}}[ \t]+{_WORD_CAP}|(?:{_WORD_CAP},?[ \t]+)?[A-Z]{{1,2}}\d[A-Z\d]?"
    rf"[ \t]?\d[A-Z]{{2}}\b|{_WORD_CAP}(?:[ \t]{_WORD_CAP}){{0,2}},?[ \t]+[A-Z]{{2}}[ \t]+\d{{5}}(?:-\d{{4}})?"
    rf"|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d))?"
)
_HOUSE = r"\d{1,4}[ \t]?[a-zA-Z]?(?:[ \t]?[-/][ \t]?\d{1,4}[a-zA-Z]?)?(?![\w])"
_LEAD_POSTAL = rf"(?:\d{{4,5}}[ \t]+{_WORD_CAP},?[ \t]+)?"
_EN_TYPES = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|crescent"
    r"|close|square|sq|parkway|pkwy|highway|hwy|circle|cir|row|mews|grove|gardens|walk"
)
_COMPOUND = (
    r"straße|strasse|str\.|weg|allee|gasse|platz|damm|ufer|chaussee|steig|pfad|straat|laan|gracht|plein"
    r"|kade|singel|dijk|gatan|vägen|gata|vej|gade|veien|vegen"
)
_SEPARATE = r"Straße|Strasse|Str\.|Weg|Allee|Gasse|Platz|Ring|Damm|Ufer|Straat|Laan|Plein|Gatan|gate|vej|gade"
_ROMANCE = (
    r"Calle|C/|Avenida|Avda\.|Av\.|Paseo|Plaza|Pza\.|Camino|Carrer|Via|Viale|Piazza|Piazzale|Corso|Largo"
    r"|Vicolo|Rua|Travessa|Praça|Estrada|ul\.|Ulica|Rue"
)
_LINKING = r"de|del|la|las|los|da|do|dos|das|di|della|delle|dei|degli"
_FRENCH = r"rue|avenue|av\.|boulevard|bd|chemin|allée|allee|impasse|quai|place|route|cours|square"
_UNIT = r"(?:,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\.?[ \t]*[\w-]{1,6})?"
ADDRESSES = (
    re.compile(
        rf"(?<![\w.,])\d{{1,5}}[A-Za-z]?(?:-\d{{1,5}})?,?[ \t]+(?:{_CAP}[\w'’.-]*[ \t]+){{1,4}}"
        rf"(?i:{_EN_TYPES})\.?(?![\w]){_UNIT}{_POSTAL_TAIL}"
    ),
    re.compile(rf"(?<![\w-]){_LEAD_POSTAL}{_CAP}[\w'’-]{{0,40}}?(?i:{_COMPOUND})[ \t]+{_HOUSE}{_POSTAL_TAIL}"),
    re.compile(rf"(?<![\w-]){_LEAD_POSTAL}(?:{_WORD_CAP}[ \t]+){{1,3}}(?:{_SEPARATE})[ \t]+{_HOUSE}{_POSTAL_TAIL}"),
    re.compile(
        rf"(?<![\w]){_LEAD_POSTAL}(?:{_ROMANCE})[ \t]+(?:(?:{_WORD_CAP}|{_LINKING})[ \t]+){{0,5}}?{_WORD_CAP},?[ \t]+"
        rf"{_HOUSE}{_POSTAL_TAIL}"
    ),
    re.compile(
        rf"(?<![\w.,])\d{{1,4}}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?i:{_FRENCH})[ \t]+(?:de|du|des|d'|d’|la|le|l'|l’|{_CAP})"
        rf"[\w'’-]{{0,40}}(?:[ \t]+[\w'’-]{{1,40}}){{0,5}}{_POSTAL_TAIL}"
    ),
    re.compile(
        r"(?i)(?<![\w])(?:p\.?[ \t]?o\.?[ \t]?box|postfach|apartado(?: de correos)?|bo[iî]te postale)[ \t]*\d{1,6}"
    ),
    _field(
        r"(?i:(?:home[ \t]+|postal[ \t]+|mailing[ \t]+)?address|adresse|anschrift|wohnadresse|direcci[óo]n|domicilio"
        r"|indirizzo|endere[çc]o|adres)",
        r"[^\n|•·;—]{3,200}?",
    ),
)
