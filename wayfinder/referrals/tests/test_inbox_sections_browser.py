"""A partner with more referrals than the inbox shows, in Chromium: in Spanish, 390 px wide, by
keyboard. The inbox says how many there are and links to the rest of a section, whose page
continues where the inbox stopped; axe-core finds nothing serious on either page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import assert_accessible
from wayfinder.core.testing import PASSWORD, make_personas
from wayfinder.referrals import queries
from wayfinder.referrals.actions import ReferralRequest, create_referral
from wayfinder.referrals.models import Referral
from wayfinder.referrals.tests.factories import link, listing, referral_consent


@pytest.fixture
def crowded(transactional_db, live_server, mfa_off, settings, monkeypatch):
    """Five new referrals to legal aid, the inbox showing two of each section."""
    call_command("createcachetable", verbosity=0)
    settings.WAYFINDER_QUICK_EXIT_URL = live_server.url + "/static/wayfinder/neutral.html"
    monkeypatch.setattr(queries, "INBOX_ROWS", 2)
    personas = make_personas()
    nav = personas.actor(personas.navigator_a)
    service = listing("org-justice", "Justice Bridge Legal Aid", ["legal_civil"])
    link(personas, personas.legal, service)
    referral_consent(personas, personas.legal, ["identity", "legal"])
    first = create_referral(
        personas.survivor,
        ReferralRequest(service=service, note="", confirm_withheld=True),
        actor=nav,
    )
    now = timezone.now()
    for i in range(4):
        r = Referral.objects.get(pk=first.pk)
        r.pk, r.reference = None, f"REF-BRW-{i}"  # references are 12 characters at most
        r.sent_at = r.last_activity_at = now - timedelta(hours=i + 1)
        r.save()
    return personas


def test_the_rest_of_a_section_in_spanish_at_390_px_by_keyboard(phone_es, crowded):
    page = phone_es
    page.goto("/accounts/login/")
    page.fill("input[name=login]", crowded.lawyer_b.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/referrals/")
    assert page.locator("#new-heading").inner_text() == "Nuevas 5"
    assert "Se muestran las primeras 2 de 5." in page.locator("main").inner_text()
    assert_accessible(page)
    link = page.get_by_role("link", name="Ver las siguientes derivaciones nuevas")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/referrals/received/new/\?after="))
    assert page.locator("h1").inner_text() == "Derivaciones nuevas, esperan su respuesta"
    assert page.locator("tbody tr").count() == 2  # the third and fourth, by keyset
    assert page.get_by_role("link", name="Siguientes 2").is_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Siguientes 2").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == 1  # the fifth: the last page
    assert page.get_by_role("link", name="Primera página").is_visible()
