"""In a real browser, with axe-core on each page: a navigator records a consent with a drawn
signature (the form text follows the choices, in Spanish), withdraws it after a phone call, and
the partner is told plainly that its access ended."""

import pytest

from conftest import assert_accessible, sign_in
from wayfinder.consent.models import Consent
from wayfinder.core.testing import make_personas
from wayfinder.people.actions import add_care_team_member


@pytest.fixture
def team(transactional_db, mfa_off):
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    add_care_team_member(
        personas.survivor,
        actor=personas.actor(personas.navigator_a),
        user=personas.lawyer_b,
        agency=personas.legal,
    )
    return personas


def test_record_draw_sign_withdraw_and_access_ended(page, team, live_server):
    person = team.survivor
    sign_in(page, team.navigator_a)
    page.goto(f"/consent/person/{person.pk}/new/")
    assert page.locator("article.consent-text").get_attribute("lang") == "es"
    assert_accessible(page)

    page.select_option("select[name=recipient_agency]", str(team.legal.pk))
    # Opt-in: nothing is ticked for the person; the navigator ticks what they agreed to.
    assert page.locator("input[name=purposes]:checked").count() == 0
    page.check("input[name=purposes][value=care_coordination]")
    page.check("input[name=categories][value=identity]")
    page.check("input[name=categories][value=legal]")
    # The form text (Spanish, the person's language) follows the choices through htmx.
    page.wait_for_selector("article.consent-text >> text=Sus asuntos legales")
    assert "Justice Bridge Legal Aid" in page.locator("article.consent-text").inner_text()
    page.check("input[name=categories][value=substance_use]")
    page.wait_for_selector("article.consent-text >> text=42 CFR Parte 2")
    page.uncheck("input[name=categories][value=substance_use]")
    page.wait_for_selector("article.consent-text >> text=42 CFR Parte 2", state="detached")

    page.check("input[name=method][value=electronic_signature]")
    page.check("input[name=signature_kind][value=drawn]")
    pad = page.locator("[data-signature-pad] canvas")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(box["x"] + 20 + i * 25, box["y"] + 40 + (i % 3) * 20)
    page.mouse.up()
    assert page.input_value("input[name=drawn_png]").startswith("data:image/png;base64,")
    page.check("input[name=explained_not_a_condition]")
    page.get_by_role("button", name="Record consent").click()
    page.wait_for_selector("text=Withdraw this consent")
    assert_accessible(page)
    consent = Consent.objects.get()
    assert consent.signature_kind == "drawn" and consent.categories == ["identity", "legal"]

    # Printable copy: the drawn signature, the form in Spanish.
    page.get_by_role("link", name="Printable copy").click()
    page.wait_for_selector("img.drawn-signature")
    assert "no es una condición para recibir servicios" in page.content()
    assert_accessible(page)
    page.go_back()

    # The person phones to withdraw: one step.
    page.check("input[name=channel][value=phone]")
    page.get_by_role("button", name="Withdraw consent now").click()
    page.wait_for_selector("text=Consent withdrawn.")
    assert_accessible(page)
    consent.refresh_from_db()
    assert consent.revoked_via == "phone" and consent.revoked_recorded_by == team.navigator_a

    # The lawyer, still on the team, is told plainly — and shown nothing else.
    page.context.clear_cookies()
    sign_in(page, team.lawyer_b)
    response = page.goto(f"/people/{person.pk}/")
    assert response.status == 410
    text = page.locator("main").inner_text()
    assert "because the person withdrew their consent" in text and person.pseudonym in text
    assert "Ana" not in text
    assert_accessible(page)
