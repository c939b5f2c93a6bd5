"""Who looked, in Chromium at 390 px in Spanish: one line per agency and day, and the keyboard
reaches the earlier days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from conftest import assert_accessible, tab_to
from wayfinder.core.testing import make_personas
from wayfinder.portal import queries
from wayfinder.portal.tests.factories import account, sign_in_page
from wayfinder.portal.tests.test_who_looked import DAY1, DAY2, day, event


@pytest.mark.browser
def test_the_person_reads_who_looked_and_goes_back_by_keyboard(
    page, live_server, transactional_db, monkeypatch
):
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    acc, _codes = account(personas, language="es")  # first: the trail's order is time's order
    for minute in range(3):
        event(personas, personas.lawyer_b, DAY1 + timedelta(minutes=minute))
    for minute in range(4):
        event(personas, personas.lawyer_b, DAY2 + timedelta(minutes=minute), look=False)
    monkeypatch.setattr(queries, "LOOK_EVENTS", 5)  # day 2 on the first page, day 1 on the next

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_page(page, acc.door)
    page.goto("/my/looked/")
    from django.utils import translation

    with translation.override("es"):
        d1, d2 = day(DAY1), day(DAY2)
    items = page.locator("ul.portal-list li")
    assert items.all_inner_texts() == [
        f"Justice Bridge Legal Aid escribió en su expediente 4 veces el {d2}. "
        "Escribió o cambió su nombre."
    ]
    width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1]
    assert_accessible(page)

    # The keyboard reaches the link to the earlier days, after the list.
    tab_to(page, "Ver las anteriores")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my/looked/?before=*")
    assert (
        f"Justice Bridge Legal Aid miró su expediente 3 veces el {d1}. Vio su nombre."
        in items.all_inner_texts()
    )
    assert page.get_by_role("link", name="Volver a las más recientes").is_visible()
    assert_accessible(page)
