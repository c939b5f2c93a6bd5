"""In a real browser: the chair creates a series from the page, adds an item by hand, and the
navigator records the person's voice. axe-core on every page; the ``page`` fixture fails on any
CSP violation or a name in an address.
"""

from django.core.management import call_command

from conftest import assert_accessible, sign_in
from wayfinder.core.testing import make_personas


def test_series_and_item_by_hand(page, live_server, transactional_db, mfa_off):
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, personas.navigator_a)
    page.goto("/conferences/")
    page.get_by_role("link", name="New meeting series").click()
    page.wait_for_selector("h1:has-text('New meeting series')")
    assert_accessible(page)

    page.locator("#id_name").fill("Clinical review")
    page.locator("#id_type").select_option("clinical_review")
    page.locator("#id_rrule").fill("EVERY TUESDAY")
    page.locator("#id_starts_at").fill("2030-01-07T10:00")
    page.locator("#id_place").fill("Room 3")
    page.get_by_label("Lee Lawyer").check()
    page.get_by_role("button", name="Create the series").click()
    page.locator(".errorlist").first.wait_for()
    assert "Give the schedule as an RFC 5545 rule" in page.content()
    assert_accessible(page)

    page.locator("#id_rrule").fill("FREQ=WEEKLY;BYDAY=TU")
    page.get_by_role("button", name="Create the series").click()
    page.wait_for_selector("h2:has-text('Agenda')")
    assert "Clinical review" in page.content()

    page.get_by_role("link", name="Add an item by hand").click()
    page.wait_for_selector("h1:has-text('Add an item by hand')")
    assert_accessible(page)
    page.locator("#id_record_code").fill(personas.survivor.pseudonym)
    page.locator("#id_presenter").select_option(label=str(personas.lawyer_b))
    page.locator("#id_presenter").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the keyboard reaches and submits the form
    page.wait_for_selector("h2:has-text('In their own words')")
    assert personas.survivor.pseudonym in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Record their wishes").click()
    page.wait_for_selector("h1:has-text('Their wishes for the meeting')")
    assert_accessible(page)
    page.locator("#id_know").fill("Tengo miedo de volver")
    page.get_by_label("They want to attend").check()
    page.get_by_role("button", name="Save their words").click()
    page.wait_for_selector("text=Tengo miedo de volver")
    assert_accessible(page)
