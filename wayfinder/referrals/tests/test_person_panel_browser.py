"""A survivor served for years, in Chromium: in Spanish, 390 px wide, by keyboard. The person
page's referrals panel shows every open referral and the most recent finished ones, says how
many more are on the full list, and the link there shows them all."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from conftest import assert_accessible, sign_in
from wayfinder.core.testing import make_personas
from wayfinder.referrals import queries
from wayfinder.referrals.actions import ReferralRequest, create_referral
from wayfinder.referrals.models import OPEN_STATUSES
from wayfinder.referrals.tests.factories import link, listing, referral_consent
from wayfinder.referrals.tests.test_person_panel import history

pytestmark = pytest.mark.browser


def test_a_long_history_in_spanish_at_390_px_by_keyboard(phone_es, transactional_db, mfa_off):
    call_command("createcachetable", verbosity=0)
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
    made = history(first, 3, 12)

    page = phone_es
    sign_in(page, personas.navigator_a)
    page.goto(f"/people/{personas.survivor.pk}/")

    panel = page.locator("section", has=page.locator("h2:text-is('Derivaciones')"))
    assert panel.locator("tbody tr").count() == queries.PANEL_ROWS
    text = panel.inner_text()
    assert "Hay 5 derivaciones terminadas más en la lista completa." in text
    assert all(r.reference in text for r in made if r.status in OPEN_STATUSES)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    panel.screenshot(path="/tmp/wayfinder-referrals-panel-es-390.png")

    link_all = page.get_by_role("link", name="Todas las derivaciones")
    link_all.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/referrals/person/{personas.survivor.pk}/")
    full = page.locator("tbody").inner_text()
    assert all(r.reference in full for r in made)
    assert_accessible(page)
