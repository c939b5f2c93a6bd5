"""In a real browser at phone size (390 by 844): a person takes the survey from a card code,
without signing in, in English and in Spanish. axe-core on every page; the ``page`` fixture fails
on any Content-Security-Policy violation."""

from django.core.management import call_command

from conftest import assert_accessible
from wayfinder.core.testing import make_personas
from wayfinder.feedback import actions
from wayfinder.feedback.models import Comment, Invitation, Response


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def take_survey(page, code, *, parent_label, send):
    page.goto("/f/")
    page.wait_for_selector("#id_code")
    assert fits_the_screen(page)
    assert_accessible(page)
    page.fill("#id_code", actions.display_code(code).lower())
    page.locator("#id_code").press("Enter")
    page.wait_for_url(f"**/f/{code}/")
    page.wait_for_selector("#q-felt_safe-4")
    assert fits_the_screen(page)
    # The parenting questions show only after "yes" to "Do you care for a child?".
    parenting = page.locator('[data-item="help_as_parent"]')
    assert parenting.is_hidden()
    assert_accessible(page)
    page.check("#q-felt_safe-4")
    page.check("#q-kind_staff-3")
    page.check("#q-own_pace-declined")
    page.check("#q-would_recommend-yes")
    page.get_by_label(parent_label, exact=True).first.check()
    parenting.wait_for(state="visible")
    page.check("#q-help_as_parent-4")
    page.fill("#q-comment", "The staff listened to me.")
    assert_accessible(page)
    page.get_by_role("button", name=send).click()
    page.wait_for_url("**/f/done/")
    assert_accessible(page)


def test_survey_from_a_card_code_without_signing_in(page, live_server, transactional_db):
    call_command("createcachetable", verbosity=0)
    page.set_viewport_size({"width": 390, "height": 844})
    personas = make_personas()
    first, second = (
        actions.mint_invitation(
            agency=personas.lead, service_category="case_management", channel="card"
        )
        for _n in range(2)
    )

    take_survey(page, first, parent_label="Yes", send="Send")
    page.wait_for_selector("h1:has-text('Thank you')")
    row = Response.objects.get()
    assert row.answers == {
        "felt_safe": 4,
        "kind_staff": 3,
        "own_pace": "declined",
        "cares_for_child": "yes",
        "help_as_parent": 4,
        "would_recommend": "yes",
    }
    assert Comment.objects.get().text == "The staff listened to me."

    # The same code cannot be used again.
    page.goto(f"/f/{first}/")
    page.wait_for_selector("h1:has-text('This code does not work')")

    # In Spanish: the language menu, then the second card.
    page.goto("/f/")
    page.select_option("#survivor-language", "es")
    page.get_by_role("button", name="Change").click()
    page.wait_for_selector("h1:has-text('Díganos cómo lo hicimos')")
    take_survey(page, second, parent_label="Sí", send="Enviar")
    page.wait_for_selector("h1:has-text('Gracias')")
    assert Response.objects.count() == 2
    assert Invitation.objects.filter(used=True).count() == 2

    # In Arabic (a draft translation): right to left, still one screen wide, still accessible.
    third = actions.mint_invitation(
        agency=personas.lead, service_category="case_management", channel="card"
    )
    page.goto("/f/")
    page.select_option("#survivor-language", "ar")
    page.get_by_role("button", name="Cambiar").click()
    page.wait_for_selector("html[dir=rtl]")
    assert page.locator("html").get_attribute("lang") == "ar"
    take_survey(page, third, parent_label="نعم", send="أرسل")
    page.wait_for_selector("h1:has-text('شكرًا')")
    assert Response.objects.count() == 3
