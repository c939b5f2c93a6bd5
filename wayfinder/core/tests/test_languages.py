"""Language access (issue 17): every survivor-facing page, in each of the ten interface
languages, carries no English from our catalogues or instruments; Arabic pages run right to
left; the served fonts draw every character; each catalogue states its review status."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from wayfinder.assessments import testing as assessment_testing
from wayfinder.assessments.instruments import get_instrument
from wayfinder.core.survivor import catalog, missing_msgids, survivor_msgids

ROOT = Path(settings.BASE_DIR)
LANGS = [code for code, _name in settings.LANGUAGES]
NEW_LANGS = [c for c in LANGS if c not in ("en", "es")]
PLACEHOLDER = re.compile(r"%\(\w+\)s|<[^>]+>")
INSTRUMENTS = (
    "brief_resilience_scale",
    "protective_factors",
    "self_sufficiency_matrix",
    "needs_assessment",
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Text(HTMLParser):
    """What a person meets on the page (text, labels read out), leaving out text marked as
    another language (a language's own name in the switch, a step written in English)."""

    SHOWN = {"aria-label", "title", "placeholder", "alt", "data-label"}

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang = (a.get("lang") or self.language).lower()
        skipped = tag in {"script", "style", "template"} or lang != self.language
        if not (any(s for _t, s in self._stack) or skipped):
            self.parts += [v for k, v in attrs if k in self.SHOWN and v]
        if tag not in VOID:
            self._stack.append((tag, skipped))

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if not any(s for _t, s in self._stack):
            self.parts.append(data)


def page_text(body: str, language: str) -> str:
    parser = _Text(language)
    parser.feed(body)
    return " ".join(" ".join(parser.parts).split())


def english_pieces(language: str, instruments=()) -> set[str]:
    """The English a page in ``language`` must not show: each literal piece of every survivor
    msgid (and instrument text) whose translation differs from it."""
    have = catalog(language)
    sources = [(m, have.get(m, "")) for m in survivor_msgids()]
    for inst in instruments:
        for text in _texts(inst):
            sources.append((text["en"], text.get(language, "")))
    found = set()
    for msgid, translated in sources:
        if msgid == translated:
            continue  # the same word in both ("Plan" in Haitian Creole)
        for piece in PLACEHOLDER.split(msgid):
            piece = " ".join(piece.split()).strip(" .,:;()·")
            if len(piece) >= 3 and not piece.isdigit() and piece not in translated:
                found.add(piece)
    return found


def _texts(inst):
    out = [inst.title, *(s.title for s in inst.sections)]
    for item in inst.all_items():
        out.append(item.text)
        out += [o.label for o in item.options]
        if item.help:
            out.append(item.help)
    return out


def english_in(text: str, pieces: set[str]) -> list[str]:
    hits = [p for p in pieces if re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", text)]
    return sorted(h for h in hits if not any(h != o and h in o for o in hits))


@pytest.fixture
def survivor_pages(personas, web, settings):
    """``pages(language)`` -> {name: (html, text language)} of every survivor-facing page."""
    from wayfinder.consent.tests.factories import consent
    from wayfinder.plans import actions as plan_actions

    nav = personas.actor(personas.navigator_a)
    goal = plan_actions.add_goal(
        personas.survivor, actor=nav, text="Quiero mi salario", domain="housing"
    )
    plan_actions.add_step(
        goal,
        actor=nav,
        text="Llamar",
        assignee="person",
        language="spa",
        due_on=timezone.localdate() + timedelta(days=7),
    )

    def pages(language: str) -> dict[str, str]:
        client = web(personas.navigator_a)
        out: dict[str, str] = {}
        for inst_id in INSTRUMENTS:
            session = assessment_testing.run_session(
                personas.survivor, nav, inst_id, {}, complete=False, language=language
            )
            client.post(reverse("assessments:handover", args=[session.pk]))
            section = reverse("assessments:section", args=[session.pk, 1])
            out[f"{inst_id} section"] = client.get(section).content.decode()
            first = session.instrument.sections[0].items[0]
            bad = client.post(section, {f"a-{first.id}": "not-an-option", "nav": "next"})
            assert bad.status_code == 200 and 'class="errorlist"' in bad.content.decode()
            out[f"{inst_id} answer error"] = bad.content.decode()
            for name in ("crisis", "break", "thanks"):
                response = client.get(reverse(f"assessments:{name}", args=[session.pk]))
                out[f"{inst_id} {name}"] = response.content.decode()
            # staff takes the device back for the next pages
            client = web(personas.navigator_a)
        signed = consent(
            personas,
            personas.legal,
            ["identity", "needs", "substance_use"],
            form_language=language,
            substance_use_description="x",
            part2_revocation_explained=True,
        )
        out["consent print"] = client.get(
            reverse("consent:print", args=[signed.pk])
        ).content.decode()
        blank = client.post(
            reverse("consent:blank_form", args=[personas.survivor.pk]),
            {
                "form_language": language,
                "recipient_agency": str(personas.legal.pk),
                "purposes": ["referral", "care_coordination"],
                "categories": ["identity", "contact", "needs"],
                "grantor_capacity": "guardian_of_minor",
            },
        )
        out["consent blank form"] = blank.content.decode()
        plan = client.get(reverse("plans:print", args=[personas.survivor.pk]), {"lang": language})
        out["plan print"] = plan.content.decode()
        return out

    return pages


def test_every_survivor_message_has_a_translation_in_every_language():
    assert len(survivor_msgids()) > 100
    missing = {lang: missing_msgids(lang)[:5] for lang in LANGS if missing_msgids(lang)}
    assert not missing, missing


@pytest.mark.parametrize("language", LANGS)
def test_every_survivor_page_is_wholly_in_the_language(language, survivor_pages):
    instruments = [get_instrument(i) for i in INSTRUMENTS]
    assert all(language in inst.languages for inst in instruments)
    pieces = english_pieces(language, instruments) if language != "en" else set()
    if language != "en":
        assert "Quick exit" in pieces and "Prefer not to say" in pieces  # the detector works
    problems = {}
    for name, body in survivor_pages(language).items():
        body = html.unescape(body)
        assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in body, (
            name
        )
        assert 'id="survivor-language"' in body, f"{name}: no language switch"
        hits = english_in(page_text(body, language), pieces)
        if hits:
            problems[name] = hits
    assert not problems, f"English on {language} pages:\n" + "\n".join(
        f"  {name}: {hits}" for name, hits in problems.items()
    )


def test_the_language_switch_names_each_language_in_its_own_script(survivor_pages):
    body = survivor_pages("vi")["brief_resilience_scale section"]
    for code, own in [("vi", "Tiếng Việt"), ("ar", "العربية"), ("zh-hant", "繁體中文")]:
        assert f'<option value="{code}" lang="{code}"' in body and own in body
    assert re.search(r'<option value="vi" lang="vi" selected>', body)


def test_the_persons_language_is_the_default_and_the_switch_changes_it(personas, web):
    from wayfinder.assessments.models import Session
    from wayfinder.audit.models import AuditEvent

    # Somali first (no forms in it yet), then Arabic: Arabic is the default everywhere.
    personas.survivor.preferred_languages = ["som", "ara", "eng"]
    personas.survivor.save(update_fields=["preferred_languages"])
    client = web(personas.navigator_a)
    plan = client.get(reverse("plans:print", args=[personas.survivor.pk])).content.decode()
    assert '<html lang="ar" dir="rtl">' in plan and "خطتي" in plan
    start = client.get(reverse("assessments:start", args=[personas.survivor.pk])).content.decode()
    assert re.search(r'<option value="ar"[^>]*\bselected\b[^>]*>العربية \(Arabic\)</option>', start)

    nav = personas.actor(personas.navigator_a)
    session = assessment_testing.run_session(
        personas.survivor, nav, "brief_resilience_scale", {}, complete=False, language="ar"
    )
    client.post(reverse("assessments:handover", args=[session.pk]))
    section = reverse("assessments:section", args=[session.pk, 1])
    response = client.post(
        reverse("assessments:language", args=[session.pk]), {"language": "uk", "next": section}
    )
    assert response["Location"] == section
    assert Session.objects.get(pk=session.pk).language == "uk"
    assert AuditEvent.objects.filter(action="assessment.language_changed").exists()
    assert '<html lang="uk" dir="ltr">' in client.get(section).content.decode()
    # A language the instrument lacks, or a foreign "next", changes nothing and goes nowhere else.
    response = client.post(
        reverse("assessments:language", args=[session.pk]),
        {"language": "xx", "next": "https://example.org/"},
    )
    assert response["Location"] == reverse("assessments:session", args=[session.pk])
    assert Session.objects.get(pk=session.pk).language == "uk"


def test_staff_pages_offer_only_their_complete_languages(personas, web):
    body = web(personas.navigator_a).get("/").content.decode()
    switch = body.split('id="language-switch"')[1].split("</select>")[0]
    assert 'value="es"' in switch and 'value="ar"' not in switch


def test_each_new_catalogue_and_instrument_translation_states_its_review_status():
    from wayfinder.assessments.instruments import registry, translation_status

    docs = (ROOT / "docs" / "languages.md").read_text(encoding="utf-8")
    for lang in NEW_LANGS:
        locale = lang.replace("-hans", "_Hans").replace("-hant", "_Hant")
        catalogues = sorted(ROOT.glob(f"**/locale/{locale}/LC_MESSAGES/django.po"))
        catalogues = [p for p in catalogues if ".venv" not in p.parts]
        assert catalogues, lang
        for po in catalogues:
            head = po.read_text(encoding="utf-8").split("\n\n")[0]
            status = re.search(r'"X-Translation-Status: (\w+)\\n"', head)
            assert status and status.group(1) in {"draft", "reviewed"}, po
        row = re.search(rf"^\| `{re.escape(lang)}` \|.*$", docs, re.M)
        assert row and ("draft" in row.group(0) or "reviewed" in row.group(0)), lang
    for inst in registry().values():
        for lang, meta in translation_status(inst).items():
            assert meta["status"] in {"draft", "reviewed"}, (inst.key, lang)
            if meta["status"] == "reviewed":
                assert meta["reviewed_by"] and meta["reviewed_on"], (inst.key, lang)


def test_draft_status_never_shows_to_the_person(survivor_pages):
    for name, body in survivor_pages("ko").items():
        assert "draft" not in page_text(body, "ko").lower(), name


@pytest.mark.parametrize("language", [c for c in NEW_LANGS])
def test_the_served_fonts_draw_every_character_of_the_language(language):
    """No tofu: each character our catalogues, instruments, language names and dates show in
    this language is in the cmap of a served font of its stack (fontTools)."""
    from wayfinder.core import fonts

    assert fonts.missing_glyphs(language) == ""
    assert len(fonts.language_text(language)) > 60


def test_a_chart_mirrors_right_to_left(personas, nav):
    from django.utils import translation

    from wayfinder.assessments import charts, queries

    for day, score in ((100, 2), (10, 4)):
        assessment_testing.run_session(
            personas.survivor,
            nav,
            "brief_resilience_scale",
            {f"brs_{n}": score for n in range(1, 7)},
            on=timezone.localdate() - timedelta(days=day),
        )
    from wayfinder.access.gate import get_access

    access = get_access(nav, personas.survivor.pk)
    series = next(
        s for s in queries.trajectory(nav, access) if s.instrument.id == "brief_resilience_scale"
    )
    ltr = charts.line_chart(series, language="en", chart_id="c")
    with translation.override("ar"):
        rtl = charts.line_chart(series, language="ar", chart_id="c")
    assert ltr["dots"][0]["x"] < ltr["dots"][-1]["x"]  # time runs left to right
    assert rtl["dots"][0]["x"] > rtl["dots"][-1]["x"]  # and right to left
    assert rtl["ylabel"]["x"] > rtl["dots"][0]["x"] and ltr["ylabel"]["x"] < ltr["dots"][0]["x"]
    assert rtl["xticks"][-1]["anchor"] == "start"


# Languages with a Flesch reading-ease formula in textstat (English; Fernández Huerta for
# Spanish; Oborneva for Russian). 60 and above reads as plain language.
READABILITY = {"en": 60, "es": 60, "ru": 60}


@pytest.mark.parametrize("language", sorted(READABILITY))
def test_the_survivor_words_stay_plain_where_a_measure_exists(language):
    import textstat

    from wayfinder.assessments.instruments import texts_in

    have = catalog(language) if language != "en" else {}
    texts = [have.get(m) or m for m in survivor_msgids()] + texts_in(language)
    texts = [PLACEHOLDER.sub("", t).strip() for t in texts]
    corpus = " ".join(t if t.endswith((".", "?", "!")) else f"{t}." for t in texts if t)
    textstat.set_lang(language)
    try:
        assert textstat.flesch_reading_ease(corpus) >= READABILITY[language]
    finally:
        textstat.set_lang("en")
