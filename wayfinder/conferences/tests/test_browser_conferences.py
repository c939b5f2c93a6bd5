"""In a real browser: the chair runs an item; a consented and an unconsented attendee see it differently.

axe-core on every page; the ``page`` fixture fails on any CSP violation or a name in an address.
"""

from datetime import UTC, datetime

from django.core.management import call_command

from conftest import assert_accessible, sign_in
from wayfinder.conferences import actions
from wayfinder.consent.tests.factories import consent
from wayfinder.core.testing import make_personas


def test_chair_and_attendees(page, browser, live_server, transactional_db, mfa_off):
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    nav = personas.actor(personas.navigator_a)
    series = actions.create_series(
        actor=nav,
        name="Weekly case review",
        type="case_review",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_at=datetime(2030, 1, 1, 15, 0, tzinfo=UTC),
        place="Room 2",
        attendees=[personas.lawyer_b, personas.outsider_c],
    )
    meeting = actions.schedule_next_meeting(series, actor=nav)
    item = actions.add_item(meeting, actor=nav, person=personas.survivor)
    consent(personas, personas.legal, ["identity", "plan"], purposes=("case_conferencing",))

    sign_in(page, personas.navigator_a)
    page.get_by_role("link", name="Meetings").click()
    page.wait_for_selector("h1:has-text('Meetings')")
    assert_accessible(page)
    page.get_by_role("link", name="Weekly case review").click()
    page.wait_for_selector("h2:has-text('Agenda')")
    assert_accessible(page)
    page.get_by_role("link", name=personas.survivor.pseudonym).click()
    page.wait_for_selector("h2:has-text('Record minutes')")
    assert_accessible(page)
    page.locator("#id_text").fill("Housing first")
    page.get_by_role("button", name="Save minutes").click()
    page.wait_for_selector("text=Housing first")
    page.locator("#id_a-text").fill("Call the shelter")
    page.locator("#id_a-due_on").fill("2030-01-05")
    page.locator("#id_a-owner_agency").select_option(label=personas.housing.name)
    page.get_by_role("button", name="Add the action item").click()
    page.wait_for_selector("text=Call the shelter")
    page.goto(f"/conferences/m/{meeting.pk}/print/")
    assert_accessible(page)

    for user, restricted in ((personas.lawyer_b, False), (personas.outsider_c, True)):
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        other = context.new_page()
        sign_in(other, user)
        other.goto(f"/conferences/i/{item.pk}/")
        html = other.content()
        assert ("Restricted" in html) is restricted
        assert ("Ana Rivera" in html) is not restricted
        assert_accessible(other)
        context.close()
