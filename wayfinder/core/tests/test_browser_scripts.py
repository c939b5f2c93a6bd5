"""In a browser, a page in each script is drawn with the served font for that script, and loads
no other script's font. (That the served fonts hold every character: test_languages.py.)"""

import re

import pytest
from django.core.management import call_command

from wayfinder.core.testing import PASSWORD, make_personas

# language -> (the served family that must draw its text, families that must not load)
SCRIPTS = {
    "zh-hans": ("WF SC", ("WF TC", "WF KR", "WF Arabic")),
    "zh-hant": ("WF TC", ("WF SC", "WF KR", "WF Arabic")),
    "ko": ("WF KR", ("WF SC", "WF TC", "WF Arabic")),
    "ar": ("WF Arabic", ("WF SC", "WF TC", "WF KR")),
    "ru": ("WF Sans", ("WF SC", "WF TC", "WF KR", "WF Arabic")),
    "vi": ("WF Sans", ("WF SC", "WF TC", "WF KR", "WF Arabic")),
}

LOADED = """() => document.fonts.ready.then(() =>
  [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, '')))"""


@pytest.fixture
def signed_in(page, transactional_db, mfa_off):
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", personas.navigator_a.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    return personas


def test_each_script_is_drawn_with_its_served_font(page, signed_in):
    person = signed_in.survivor
    for language, (family, others) in SCRIPTS.items():
        page.goto(f"/plans/person/{person.pk}/print/?lang={language}")
        assert page.locator("article.printable h1").inner_text() != "My plan", language
        loaded = page.evaluate(LOADED)
        assert family in loaded, (language, loaded)
        assert not set(others) & set(loaded), (language, loaded)
        page.screenshot(path=f"/tmp/wayfinder-script-{language}.png")
