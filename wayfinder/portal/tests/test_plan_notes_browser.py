"""My plan's notes in Chromium at 390 px in Spanish: the newest three with their day, the older
ones opened by keyboard."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from conftest import assert_accessible, tab_to
from wayfinder.core.testing import make_personas
from wayfinder.plans.tests import factories as plans
from wayfinder.portal.tests.factories import account, sign_in_page


@pytest.mark.browser
def test_the_person_opens_the_older_notes_by_keyboard(page, live_server, transactional_db):
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    acc, _codes = account(personas, language="es")
    goal = plans.goal(personas)
    start = timezone.now() - timedelta(days=10)
    for i in range(5):
        with time_machine.travel(start + timedelta(days=i), tick=False):
            plans.note(personas, text=f"Nota número {i}.", goal=goal)

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_page(page, acc.door)
    page.goto("/my/plan/")
    assert page.get_by_text("Nota número 4.").is_visible()
    older = page.get_by_text("Nota número 0.")
    assert not older.is_visible()
    summary = page.locator("details.older-notes > summary")
    assert summary.inner_text() == "2 notas anteriores"
    assert_accessible(page)

    tab_to(page, "2 notas anteriores")
    page.keyboard.press("Enter")
    assert older.is_visible()
    width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1]
    assert_accessible(page)
