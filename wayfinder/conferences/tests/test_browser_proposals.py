"""The chair adds proposed people to the agenda in Chromium: in Spanish, 390 px wide, by
keyboard. The page lists the first proposals and counts the rest; adding one puts that person on
the agenda, with their reasons, says so, brings the next one into the list and leaves the chair
at the proposals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from conftest import assert_accessible, sign_in
from wayfinder.conferences import actions, views
from wayfinder.conferences.tests.test_proposals import more_persons, overdue_step
from wayfinder.core.testing import make_personas

pytestmark = pytest.mark.browser


def test_the_chair_adds_proposals_by_keyboard_in_spanish_at_390_px(
    phone_es, transactional_db, mfa_off, monkeypatch
):
    monkeypatch.setattr(views, "PROPOSALS_SHOWN", 2)  # the live server runs in this process
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    nav = personas.actor(personas.navigator_a)
    persons = [personas.survivor, *more_persons(personas, 2)]
    for person in persons:
        overdue_step(person, nav)
    overdue_step(persons[2], nav)  # two overdue steps: the most reasons, listed first
    series = actions.create_series(
        actor=nav,
        name="Revisión semanal",
        type="case_review",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_at=datetime(2030, 1, 1, 15, 0, tzinfo=UTC),
        place="Sala 2",
    )
    meeting = actions.schedule_next_meeting(series, actor=nav)

    page = phone_es
    sign_in(page, personas.navigator_a)
    page.goto(f"/conferences/m/{meeting.pk}/")

    proposed = page.locator("ul.proposals > li")
    assert proposed.count() == 2
    assert proposed.nth(0).inner_text().startswith(persons[2].pseudonym)
    assert "2 pasos del plan están atrasados" in proposed.nth(0).inner_text()
    assert "1 persona más está propuesta, con menos motivos." in page.content()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    first = page.get_by_role("button", name=f"Añadir {persons[2].pseudonym} al orden del día")
    first.focus()
    page.keyboard.press("Enter")
    page.locator(f"ol.agenda a:text('{persons[2].pseudonym}')").wait_for()
    item = meeting.items.get()
    assert item.person_id == persons[2].pk
    assert item.reasons == [{"code": "steps_overdue", "category": "plan", "count": 2}]
    assert page.locator(".messages").inner_text() == (
        f"{persons[2].pseudonym} ya está en el orden del día."
    )
    # The third person comes up into the list; no one is left uncounted.
    assert proposed.count() == 2
    listed = proposed.all_inner_texts()
    assert {t.split(":")[0] for t in listed} == {p.pseudonym for p in persons[:2]}
    # Back at the proposals, not the top of the page: the next Tab is the next "Add".
    assert page.url.endswith("#proposed")
    # The browser moves its focus starting point to #proposed once the page has loaded; a Tab
    # sent before that (the test is faster than any hand) starts from the top of the page.
    page.wait_for_load_state("load")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused == f"Añadir {listed[0].split(':')[0]} al orden del día"
    assert "persona más" not in page.content()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.screenshot(path="/tmp/wayfinder-proposals-es-390.png", full_page=True)
