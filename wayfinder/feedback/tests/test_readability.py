"""Plain words: every English string of the survey and its public pages at grade 6 or below."""

import re
from pathlib import Path

import textstat

from wayfinder.feedback.actions import survey

MAX_GRADE = 6
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "feedback"
PUBLIC_PAGES = [
    "code_entry.html",
    "code_unusable.html",
    "survey.html",
    "done.html",
    "about_wayfinder.html",
    "about_wayfinder_done.html",
]


def survey_strings() -> list[str]:
    inst = survey()
    out = [inst.title["en"], inst.description["en"]]
    for section in inst.sections:
        out.append(section.title["en"])
        if section.intro:
            out.append(section.intro["en"])
        for item in section.items:
            out.append(item.text["en"])
            if item.help:
                out.append(item.help["en"])
            out.extend(o.label["en"] for o in item.options)
    out.extend(s.label["en"] for s in inst.scores)
    for name in PUBLIC_PAGES:
        text = (TEMPLATES / name).read_text()
        out.extend(re.findall(r'{% translate "([^"]+)" %}', text))
    from django.utils import translation

    from wayfinder.feedback.models import Sender

    with translation.override("en"):
        out.extend(str(label) for _v, label in Sender.choices)
    return sorted(set(out))


def test_every_survey_string_is_grade_six_or_below():
    strings = survey_strings()
    assert len(strings) > 40
    too_hard = [(round(textstat.flesch_kincaid_grade(s), 1), s) for s in strings]
    too_hard = [(g, s) for g, s in too_hard if g > MAX_GRADE]
    assert not too_hard, "Above grade 6:\n" + "\n".join(f"{g}: {s}" for g, s in too_hard)
