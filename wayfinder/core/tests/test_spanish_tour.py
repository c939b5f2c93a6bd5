"""Spanish everywhere: every page of the README tour, rendered in Spanish for each demo log-in,
carries no English text from our own catalogues.

The English to look for is every msgid of our .po files whose Spanish differs from it; a page
"speaks English" when one of those strings appears in its text (words, options, labels,
aria-labels, titles, placeholders). Proper names and codes are not msgids, so they never count.
"""

from __future__ import annotations

import html
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from wayfinder.core.tests.tour import load_tour

ROOT = Path(settings.BASE_DIR)
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{[^}]*\}")
# Msgids that are also ordinary text in either language (or names): not evidence of English.
NOT_ENGLISH = {"No", "Total", "OK", "Email", "E-mail", "PDF", "CSV", "JSON", "HSDS", "FHIR"}


def _unquote(chunk: str) -> str:
    return "".join(
        bytes(s, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        for s in re.findall(r'"(.*)"', chunk)
    )


def english_strings() -> set[str]:
    """Untranslatable-looking English: msgids (and each literal piece between placeholders) of our
    own catalogues whose Spanish is different."""
    found: set[str] = set()
    for po in [ROOT / "locale", *(ROOT / "wayfinder").glob("*/locale")]:
        path = po / "es" / "LC_MESSAGES" / "django.po"
        if not path.exists():
            continue
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            if "#, fuzzy" in block:
                continue
            m = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.M)
            if not m:
                continue
            msgid, msgstr = _unquote(m.group(1)), _unquote(m.group(2))
            if not msgid or not msgstr or msgid == msgstr:
                continue
            for piece in PLACEHOLDER.split(msgid):
                piece = " ".join((piece or "").split()).strip(" .,:;")
                # A piece counts when it is a phrase, or a word long enough not to be shared
                # with Spanish by chance ("No", "Total"), and is not itself Spanish.
                if len(piece) < 4 or piece in NOT_ENGLISH or piece in msgstr:
                    continue
                if " " in piece or len(piece) >= 6:
                    found.add(piece)
    return found


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Text(HTMLParser):
    """The text a person meets: text nodes and the attributes read out or shown.

    Text marked as another language (``lang="en"``: a language's own name in the language menu,
    a form printed in the person's language) is meant to be in that language and is left out.
    """

    SHOWN = {"aria-label", "title", "placeholder", "alt", "data-label"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, skipped)

    @property
    def _skipping(self) -> bool:
        return any(skipped for _tag, skipped in self._stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang = (a.get("lang") or "es").lower()
        skipped = tag in {"script", "style", "template"} or not lang.startswith("es")
        if not (self._skipping or skipped):
            self.parts += [v for k, v in attrs if k in self.SHOWN and v]
            if tag == "input" and a.get("type") in {"submit", "button"} and a.get("value"):
                self.parts.append(a["value"])
        if tag not in VOID:
            self._stack.append((tag, skipped))

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def page_text(body: str) -> str:
    parser = _Text()
    parser.feed(body)
    return " ".join(" ".join(parser.parts).split())


def proper_names() -> list[str]:
    """Names of agencies, organisations, services and places: names, not English."""
    from wayfinder.accounts.models import Agency
    from wayfinder.directory.models import Location, Organization, Service
    from wayfinder.prevention.models import Campaign, Course

    names = {
        n
        for m in (Agency, Organization, Service, Location, Campaign)
        for n in m.objects.values_list("name", flat=True)
    }
    # A course's title and objectives are what a trainer typed, in the course's language: data,
    # not our English.
    for course in Course.objects.all():
        names |= {course.title, *course.objective_list}
    names.add("Open Referral")  # the standard's name
    return sorted((n for n in names if n), key=len, reverse=True)


def english_in(text: str, strings: set[str], names=()) -> list[str]:
    for name in names:
        text = text.replace(name, " ")
    hits = []
    for s in strings:
        # Whole words only, and not a file's name ("services.csv" in the import page's help).
        if s in text and re.search(r"(?<![\w])" + re.escape(s) + r"(?![\w]|\.\w)", text):
            hits.append(s)
    # Report the longest strings only (a short one inside a longer hit adds nothing).
    return sorted(h for h in hits if not any(h != o and h in o for o in hits))


@pytest.fixture
def tour(db, settings):
    settings.LANGUAGE_CODE = "es"
    settings.WAYFINDER_REQUIRE_MFA = False  # as in the demo
    return load_tour()


def test_the_catalogue_strings_are_found():
    """The detector itself: it knows the English of our catalogues and finds it in a page."""
    strings = english_strings()
    assert "Immediate (today)" in strings and "Case management" in strings
    html_page = "<p>Necesidad: <b>Case management</b></p><select><option>Immediate (today)"
    assert english_in(page_text(html_page), strings) == ["Case management", "Immediate (today)"]
    assert english_in(page_text("<p>Gestión de casos</p>"), strings) == []
    # A table's file name is not English: "Case management.csv" is not flagged.
    assert english_in(page_text("<p>un CSV (Case management.csv)</p>"), strings) == []


def test_every_page_of_the_tour_is_in_spanish(tour) -> None:
    strings = english_strings()
    names = proper_names()
    problems: dict[str, list[str]] = {}
    started = time.monotonic()
    seen = 0
    for user_key, paths in [("", tour.anonymous), *tour.pages.items()]:
        client = Client(HTTP_ACCEPT_LANGUAGE="es")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        if user_key:
            client.force_login(tour.net.users[user_key])
        for path in paths:
            response = client.get(path)
            assert response.status_code in {200, 404}, (user_key, path, response.status_code)
            if path != "/no-such-page/":
                assert response.status_code == 200, (user_key, path)
            seen += 1
            body = html.unescape(response.content.decode())
            assert 'lang="es"' in body, (user_key, path)
            hits = english_in(page_text(body), strings, names)
            if hits:
                problems[f"{user_key or 'anonymous'} {path}"] = hits
    assert seen >= 40 and time.monotonic() - started < 300
    assert not problems, "English on Spanish pages:\n" + "\n".join(
        f"  {where}: {hits}" for where, hits in problems.items()
    )
