"""/help/: public, no cookie, hotline first, services near a ZIP with "open now", en and es."""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import textstat
import time_machine
from django.utils import translation

from wayfinder.matching.tests.factories import add_service
from wayfinder.prevention.models import HelpVisit, LinkCode

CHICAGO = ZoneInfo("America/Chicago")
TUESDAY_NOON = datetime(2026, 3, 3, 12, 0, tzinfo=CHICAGO)


@pytest.fixture
def services(db):
    return [
        add_service(
            "Walk-in Crisis Center",
            ["crisis_intervention"],
            zip="60623",
            days="MO,TU,WE,TH,FR",
            hours=("09:00", "17:00"),
        ),
        add_service(
            "Night Shelter",
            ["emergency_shelter"],
            zip="60608",
            days="MO,TU,WE,TH,FR,SA,SU",
            hours=("20:00", "08:00"),
        ),
        add_service("Job Club", ["employment"], zip="60623"),  # not crisis help
        add_service("Far Crisis Line", ["crisis_intervention"], zip="62701"),  # Springfield
    ]


def no_cookies(response):
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


def test_anyone_sees_the_hotline_and_911_and_no_cookie_is_set(client, db):
    response = client.get("/help/")
    assert response.status_code == 200
    no_cookies(response)
    html = response.content.decode()
    assert 'href="tel:18883737888"' in html and "1-888-373-7888" in html
    assert 'href="sms:233733"' in html
    assert 'href="tel:911"' in html
    assert "csrfmiddlewaretoken" not in html
    # The quick exit is a plain link (works with JavaScript off) and comes first.
    assert html.index('id="quick-exit"') < html.index("tel:911")
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_hotline_numbers_are_settings(client, db, settings):
    settings.WAYFINDER_HELP_HOTLINE_NAME = "Modern Slavery Helpline"
    settings.WAYFINDER_HELP_HOTLINE_PHONE = "08000 121 700"
    settings.WAYFINDER_HELP_EMERGENCY_PHONE = "999"
    html = client.get("/help/").content.decode()
    assert "Modern Slavery Helpline" in html
    assert 'href="tel:08000121700"' in html and 'href="tel:999"' in html
    assert "1-888-373-7888" not in html


@time_machine.travel(TUESDAY_NOON, tick=False)
def test_a_zip_search_lists_nearby_crisis_and_walk_in_help_with_open_now(client, services):
    response = client.get("/help/", {"zip": "60623"})
    no_cookies(response)
    found = [(r.card.service.name, r.open_now) for r in response.context["results"]]
    assert found == [("Walk-in Crisis Center", True), ("Night Shelter", False)]
    html = response.content.decode()
    assert "Open now" in html and "Closed now" in html
    # the address and hours are on the page: no link to a page that would set a cookie
    first = response.context["results"][0]
    assert first.address.endswith("Chicago, IL, 60623") and first.hours == [
        "Monday to Friday 09:00\u201317:00"
    ]
    assert first.address in html and "Monday to Friday 09:00\u201317:00" in html
    assert "/directory/" not in html
    only_open = client.get("/help/", {"zip": "60623", "open": "1"}).context["results"]
    assert [r.card.service.name for r in only_open] == ["Walk-in Crisis Center"]


def test_a_bad_zip_is_explained_and_nothing_is_searched(client, services):
    response = client.get("/help/", {"zip": "abc"})
    assert response.context["results"] == []
    assert "Enter a ZIP code of five numbers." in response.content.decode()


def test_spanish_by_browser_language_or_by_the_switch_without_a_cookie(client, db):
    by_browser = client.get("/help/", headers={"accept-language": "es-MX,es;q=0.9"})
    no_cookies(by_browser)
    html = by_browser.content.decode()
    assert '<html lang="es"' in html and "Dónde conseguir ayuda" in html
    assert by_browser.headers["Content-Language"] == "es"
    assert 'href="/help/?lang=en"' in html
    by_switch = client.get("/help/", {"lang": "es"}).content.decode()
    assert "Señales de trata sexual" in by_switch
    english = client.get("/help/", {"lang": "en"}, headers={"accept-language": "es"})
    assert "Signs of sex trafficking" in english.content.decode()


def test_a_campaign_code_is_counted_once_per_landing_without_any_cookie(client, db):
    from wayfinder.prevention.tests.factories import campaign

    link = LinkCode.objects.create(code="BUS42", campaign=campaign())
    short = client.get("/h/bus42/")
    assert short.status_code == 302 and short.headers["Location"] == "/help/?c=BUS42"
    no_cookies(short)
    landing = client.get(short.headers["Location"])
    no_cookies(landing)
    assert "c=BUS42" in landing.content.decode()  # the switch keeps the code
    client.get("/help/", {"c": "BUS42", "zip": "60623"})  # a search on the page: not a visit
    client.get("/help/")  # straight to the page
    client.get("/help/", {"c": "NOSUCH"})  # an unknown code counts as a direct visit
    assert HelpVisit.objects.get(code=link).count == 1
    assert HelpVisit.objects.get(code=None).count == 2


class _Plain(HTMLParser):
    """Collects the text inside elements of class "plain": one sentence per block or item."""

    VOID = {"input", "br", "img", "meta", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # > 0 while inside a "plain" element
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif "plain" in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if tag in ("li", "h3", "p", "a"):
                self.parts.append(". ")

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def _plain_text(html: str) -> str:
    parser = _Plain()
    parser.feed(html)
    text = re.sub(r"\s+", " ", "".join(parser.parts))
    return re.sub(r"([.?!])\s*\.", r"\1", text).strip()


def test_the_red_flags_and_help_texts_read_at_grade_six_or_below(client, db):
    text = _plain_text(client.get("/help/", {"lang": "en"}).content.decode())
    assert "Their boss keeps their ID or passport" in text
    assert "Call 1-888-373-7888" in text and "Someone else talks for them" in text
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= 6, (grade, text)
    consensus = textstat.text_standard(text, float_output=True)
    assert consensus <= 6, (consensus, text)
    # and the sources are named
    html = client.get("/help/").content.decode()
    assert "Office on Trafficking in Persons" in html and "Blue Campaign" in html


def test_every_string_of_the_page_is_in_spanish(client, db):
    """No English sentence of the page is left in the Spanish page."""
    english = client.get("/help/", {"lang": "en"}).content.decode()
    spanish = client.get("/help/", {"lang": "es"}).content.decode()
    with translation.override("en"):
        for sentence in ("Their boss keeps their ID or passport.", "Find help near you"):
            assert sentence in english and sentence not in spanish


def test_a_private_directory_lists_no_service(client, services, settings):
    settings.WAYFINDER_DIRECTORY_PUBLIC = False
    response = client.get("/help/", {"zip": "60623"})
    assert response.context["results"] == []
    assert 'id="help-zip"' not in response.content.decode()
    assert "1-888-373-7888" in response.content.decode()
