"""A name search that matches too many people, as a navigator types it in Chromium: in Spanish,
390 px wide, by keyboard. The as-you-type box says "type more" (read out by the status line),
and the next letters find the person."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from conftest import assert_accessible, sign_in
from wayfinder.core.testing import make_personas
from wayfinder.people import queries
from wayfinder.people.actions import create_person
from wayfinder.people.models import CareTeamMember, Identity

pytestmark = pytest.mark.browser


def test_too_many_matches_then_more_letters_in_spanish_at_390_px(
    phone_es, transactional_db, mfa_off, monkeypatch
):
    monkeypatch.setattr(queries, "SEARCH_CAP", 2)  # the live server runs in this process
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    actor = personas.actor(personas.navigator_a)
    rosas = [
        create_person(actor=actor, identity=Identity(chosen_name=name), birth_year=1990)
        for name in ("Rosa Quispe", "Rosa Mamani", "Rosmery Flores")
    ]
    page = phone_es
    sign_in(page, personas.navigator_a)
    page.goto("/people/")

    box = page.get_by_label("Buscar por nombre o código de expediente")
    box.focus()
    page.keyboard.type("ros")  # as typed: the search runs by itself after a pause
    notice = page.locator("#person-results .notice")
    notice.wait_for()
    assert notice.inner_text() == (
        "Más de 2 personas de su agencia coinciden con estas palabras. Escriba más del "
        "nombre (también un apellido) para acotar la búsqueda."
    )
    assert page.locator("#search-status").inner_text() == "Más de 2 personas encontradas."
    assert page.locator("#person-results table").count() == 0
    assert page.evaluate("() => document.activeElement?.id") == "person-q"  # still typing
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px)"
    assert_accessible(page)
    page.screenshot(path="/tmp/wayfinder-search-too-many-es-390.png", full_page=True)

    page.keyboard.type("a qui")  # "rosa qui": one person
    page.locator(f"#person-results a:text('{rosas[0].pseudonym}')").wait_for()
    assert page.locator("#person-results tbody tr").count() == 1
    assert "Rosa Quispe" in page.locator("#person-results tbody").inner_text()
    assert page.locator("#search-status").inner_text() == "1 persona encontrada."
    assert_accessible(page)

    # Under "My caseload" the same letters look among the navigator's own persons: two Rosas
    # there (the third is on someone else's caseload) are listed, not refused for the agency's.
    CareTeamMember.objects.filter(person=rosas[0], user=personas.navigator_a).delete()
    page.goto("/people/?mine=1")
    page.locator("h1:text('Mi lista de casos')").wait_for()
    page.get_by_label("Buscar por nombre o código de expediente").focus()
    page.keyboard.type("ros")
    page.locator("#search-status:text('2 personas encontradas.')").wait_for()
    listed = page.locator("#person-results tbody").inner_text()
    assert rosas[1].pseudonym in listed and rosas[2].pseudonym in listed
    assert rosas[0].pseudonym not in listed
    assert page.locator("#person-results .notice").count() == 0
    assert_accessible(page)
