"""Adding someone to a care team in Chromium: in Spanish, 390 px wide, by keyboard. The record's
page shows a button; the form is fetched into the care-team section with focus on its staff list;
the new member's row appears with the status read out; axe-core finds nothing serious."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from conftest import assert_accessible
from wayfinder.core.testing import PASSWORD, make_personas

pytestmark = pytest.mark.browser


def test_add_a_member_in_spanish_at_390_px_by_keyboard(phone_es, transactional_db, mfa_off):
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    page = phone_es
    page.goto("/accounts/login/")
    page.fill("input[name=login]", personas.navigator_a.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"/people/{personas.survivor.pk}/")
    assert page.locator("#id_member").count() == 0  # not built until asked for

    page.get_by_role("link", name="Añadir a alguien al equipo de atención").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement?.id === 'id_member'")
    assert page.locator("#care-team h3").inner_text() == "Añadir a alguien al equipo de atención"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px)"
    assert_accessible(page)
    page.locator("#care-team").screenshot(path="/tmp/wayfinder-care-team-form-es-390.png")

    page.keyboard.press("ArrowDown")  # the first staff member in the list
    chosen = page.evaluate(
        "() => document.activeElement.selectedOptions[0].textContent.split(' — ')[0]"
    )
    page.get_by_role("button", name="Añadir al equipo de atención", exact=True).focus()
    page.keyboard.press("Enter")
    status = page.locator("#care-team .message-success")
    status.wait_for()
    page.wait_for_function("() => document.activeElement?.matches('.message-success')")
    assert chosen in status.inner_text() and "se unió al equipo" in status.inner_text()
    assert page.locator("#care-team tbody th", has_text=chosen).count() == 1
    # The form gives way to the button again.
    assert page.locator("#id_member").count() == 0
    assert page.get_by_role("link", name="Añadir a alguien al equipo de atención").count() == 1
    page.locator("#care-team").screenshot(path="/tmp/wayfinder-care-team-es-390.png")
