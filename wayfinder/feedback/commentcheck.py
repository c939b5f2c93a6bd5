"""Does a comment look like it names someone, or says how to reach or find them?

A flagged comment waits for an agency admin's review (release or delete) before anyone reads it
in the results. The check leans towards flagging: a false alarm costs an admin one click, a miss
can cost a person their safety. It looks for:

- phone numbers: seven or more digits, with or without spaces, dots, dashes or brackets;
- e-mail addresses;
- addresses: a house number before a street word ("12 Elm Street", "Calle Mayor 12"), a
  capitalised word before a street word ("Elm Street"), a post code, "apt 4";
- names: an honorific before a capitalised word ("Mrs Lopez", "Sra. Pérez"), two capitalised
  words in a row ("Maria Lopez"), a capitalised word inside a sentence ("ask Maria"), or a word
  after "named" / "called" / "se llama".
"""

from __future__ import annotations

import re

PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]*\d){6,}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

_STREET = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    r"terrace|highway|hwy|parkway|pkwy|circle|cir|square|sq|calle|avenida|av|camino|carretera|"
    r"paseo|plaza"
)
ADDRESS = (
    # a house number, up to four words, a street word: "12 Elm Street", "4 de Mayo Av."
    re.compile(rf"\b\d{{1,6}}[a-z]?\s+(?:[\w'\u2019-]+\s+){{0,4}}(?:{_STREET})\b\.?", re.I),
    # a Spanish-style street word, a name, a number: "Calle Mayor 12", "Avenida Juárez 455"
    re.compile(
        r"\b(?:calle|avenida|av|camino|carretera|paseo)\.?\s+(?:[\w'\u2019-]+\s+){1,4}\d+", re.I
    ),
    # a capitalised word before a street word: "Elm Street", "Oak Ave"
    re.compile(
        r"\b[A-ZÁÉÍÓÚÑ][\w'\u2019-]+\s+(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|"
        r"Drive|Dr|Court|Ct|Way|Place|Terrace|Highway|Parkway)\b"
    ),
    # a flat or unit number, a post code
    re.compile(r"\b(?:apt|apartment|unit|suite|piso|depto|departamento)\.?\s*#?\s*\d+", re.I),
    re.compile(r"\b\d{5}(?:-\d{4})?\b"),
)

_HONORIFIC = (
    r"mr|mrs|ms|miss|mx|dr|prof|officer|detective|det|sgt|sergeant|judge|pastor|father|sister|"
    r"sr|sra|srta|señor|señora|señorita|don|doña|dra|lic|licenciado|licenciada|padre|madre"
)
HONORIFIC_NAME = re.compile(rf"\b(?:{_HONORIFIC})\.?\s+[A-ZÁÉÍÓÚÑ][\w'\u2019-]*", re.I)
NAMED = re.compile(
    r"\b(?:named|called|name is|names are|se llama|llamad[oa]|nombre es)\s+[\w'\u2019-]+", re.I
)
_CAP = r"[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü'\u2019-]+"
CAPITALISED_PAIR = re.compile(rf"\b{_CAP}\s+{_CAP}\b")
CAPITALISED_WORD = re.compile(rf"\b{_CAP}\b")

# Capitalised words that are not names: sentence starters, days, months, languages, the app.
NOT_NAMES = frozenset(
    """
    i i'm i've i'd i'll the a an this that these those my our your their his her its we you they it
    he she there here thank thanks please yes no not and but so if when then very all some everyone
    everybody nobody staff people everything nothing also just really what why how who where
    one two three first last next today tomorrow yesterday ok okay hi hello dear wayfinder
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december english spanish español inglés french arabic
    el la los las un una mi mis su sus nuestro nuestra yo tú usted ellos ellas nosotros gracias
    muy todo todos todas nada también pero sí si cuando entonces hola lunes martes miércoles jueves
    viernes sábado domingo enero febrero marzo abril mayo junio julio agosto septiembre octubre
    noviembre diciembre me te le les lo es fue son está estaba hay había con sin para por en de del
    que qué porque como cómo quien quién donde dónde aquí allí ahí ellos ella él
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# A capitalised word that starts a sentence and is followed by one of these reads as a subject:
# "Ana was kind", "Luis me ayudó". (Sometimes a thing: "Food was good" waits for review too.)
SUBJECT_VERB = re.compile(
    rf"(?:^|[.!?¡¿\n]\s*)({_CAP})\s+(?:was|is|were|helped|said|told|gave|took|came|called|knows|"
    r"has|had|works|listened|fue|es|era|me|nos|está|estaba|ayudó|dijo|trabaja|habló)\b"
)

# The end of a sentence: what follows starts a sentence, so its capital says nothing.
_SENTENCE_END = re.compile(r"[.!?¿¡:;\n\"“”(]\s*$")


def _name_like(text: str) -> bool:
    if HONORIFIC_NAME.search(text) or NAMED.search(text):
        return True
    if any(m.group(1).lower() not in NOT_NAMES for m in SUBJECT_VERB.finditer(text)):
        return True
    for m in CAPITALISED_PAIR.finditer(text):
        first, second = m.group().split()
        if first.lower() not in NOT_NAMES and second.lower() not in NOT_NAMES:
            return True
        # "Thank Maria", "I met Ana Ruiz": one ordinary word and a name still flag below.
    for m in CAPITALISED_WORD.finditer(text):
        word = m.group()
        if word.lower() in NOT_NAMES:
            continue
        before = text[: m.start()]
        if before.strip() == "" or _SENTENCE_END.search(before):
            continue  # starts a sentence: the capital is grammar, not a name
        return True
    return False


def check_comment(text: str) -> list[str]:
    """What this comment seems to hold, of "name", "phone", "address" and "email" (sorted)."""
    found: set[str] = set()
    if EMAIL.search(text):
        found.add("email")
    without_email = EMAIL.sub(" ", text)
    if PHONE.search(without_email):
        found.add("phone")
    if any(p.search(without_email) for p in ADDRESS):
        found.add("address")
    if _name_like(without_email):
        found.add("name")
    return sorted(found)
