"""The person's page on a phone, in Spanish, by keyboard: "En esta página" opens, and a link
lands on its part of the page below the quick-exit bar (not under it)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from conftest import assert_accessible, sign_in, tab_to
from wayfinder.core.testing import make_personas


@pytest.mark.browser
def test_on_this_page_takes_the_navigator_to_a_part_of_the_page(
    phone_es, transactional_db, mfa_off
):
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    page = phone_es
    sign_in(page, personas.navigator_a)
    page.goto(f"/people/{personas.survivor.pk}/")
    toc = page.locator("nav.page-toc")
    link = toc.get_by_role("link", name="Derivaciones")
    assert not link.is_visible()  # folded to one line until asked for
    assert_accessible(page)

    tab_to(page, "En esta página")
    assert page.evaluate("document.activeElement.textContent") == "En esta página"
    page.keyboard.press("Enter")
    assert link.is_visible()
    assert_accessible(page)
    tab_to(page, "Derivaciones")
    page.keyboard.press("Enter")
    page.wait_for_url("**#referrals")
    heading = page.locator("#referrals h2").bounding_box()
    bar = page.locator(".quick-exit-form").bounding_box()
    assert bar["y"] + bar["height"] <= heading["y"] < 844, (bar, heading)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
