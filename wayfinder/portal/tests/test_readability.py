"""Every string the person reads in the portal scores grade 6 or below (textstat, English).

The strings are the msgids of the portal's message catalogue, less those only staff read (the
invitation page, the panel on the person's page, the navigator's notices). Placeholders are filled
with short sample words before scoring; markup is dropped. A failure lists every offender.

Flesch-Kincaid is made for running text: a lone label such as "Settings" (one word of three
syllables) scores grade 8 by itself. So a fragment (no closing punctuation) is scored the way
it is read, inside a sentence: "You can see {fragment} here."
"""

from __future__ import annotations

import re
from pathlib import Path

import textstat
from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parents[1] / "locale" / "es" / "LC_MESSAGES" / "django.po"
STAFF_ONLY = ("invitation.html", "person_panel.html", "apps.py", "models.py")
GRADE = 6
SAMPLES = {
    "agency": "Legal Aid",
    "what": "your name",
    "date": "1 March",
    "who": "Legal Aid",
    "when": "1 March",
    "door": "ABCD-EFGH",
    "first": "your name",
    "last": "your plan",
}


def person_strings() -> list[str]:
    catalog = read_po(PO.open("rb"))
    out = []
    for message in catalog:
        if not message.id or not message.locations:
            continue
        if all(path.endswith(STAFF_ONLY) for path, _line in message.locations):
            continue
        out.append(str(message.id))
    return out


def plain(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"%\((\w+)\)s", lambda m: SAMPLES.get(m.group(1), "it"), text).strip()
    if not text.endswith((".", "?", "!", ":")):
        text = f"You can see {text} here."
    return text


def test_the_catalogue_is_the_portal_strings():
    strings = person_strings()
    assert len(strings) > 100
    assert "My sharing" in strings and "Portal invitation" not in strings


def test_every_portal_string_is_grade_6_or_below():
    offenders = []
    for s in person_strings():
        grade = textstat.flesch_kincaid_grade(plain(s))
        if grade > GRADE:
            offenders.append(f"{grade:5.1f}  {s}")
    assert not offenders, f"Above grade {GRADE} (textstat Flesch-Kincaid):\n" + "\n".join(offenders)
