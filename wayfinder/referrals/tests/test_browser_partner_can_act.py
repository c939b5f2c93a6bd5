"""A referral a partner can act on, in two browsers (issue 11, item 2).

The navigator records a consent naming the reason for referral and the communication needs as
their own items, and refers with a reason. The legal-aid partner sees the reason and the
communication needs, accepts, joins the care team in one click and finds the person in its
People list with only the consented categories. The navigator withdraws the consent: the
referral goes on hold ("consent withdrawn") and the partner is notified in the app."""

import pytest

from conftest import assert_accessible, sign_in
from wayfinder.referrals.models import Referral

# The fixture and the helpers of the first two-browser test.
from wayfinder.referrals.tests.test_browser import _browser_page, world  # noqa: F401

REASON = "Wage theft claim against the farm; the filing deadline is in March."


@pytest.mark.browser
def test_partner_sees_reason_and_communication_joins_the_team_and_hears_of_withdrawal(
    browser,
    live_server,
    world,  # noqa: F811
):
    personas, _needs, service = world
    person = personas.survivor
    nav_context, nav = _browser_page(browser, live_server)
    partner_context, partner = _browser_page(browser, live_server)
    try:
        # 1. The consent: reason for referral and communication needs are items of their own.
        sign_in(nav, personas.navigator_a)
        nav.goto(f"/consent/person/{person.pk}/new/")
        nav.select_option("select[name=recipient_agency]", str(personas.legal.pk))
        nav.check("input[name=purposes][value=referral]")
        nav.check("input[name=purposes][value=care_coordination]")
        for category in ("identity", "legal", "communication", "referral_reason"):
            nav.check(f"input[name=categories][value={category}]")
        nav.check("input[name=method][value=electronic_signature]")
        nav.check("input[name=signature_kind][value=typed]")
        nav.fill("input[name=typed_name]", "Ana Rivera")
        nav.check("input[name=explained_not_a_condition]")
        # The preview is in the person's language (Spanish): both are items of their own.
        nav.wait_for_selector("#consent-preview >> text=Por qué le derivamos")
        preview = nav.locator("#consent-preview").inner_text()
        assert "Cómo hablar con usted: sus idiomas" in preview
        assert "Sobre usted: edad, género, origen" not in preview  # not under demographics
        assert_accessible(nav)
        nav.get_by_role("button", name="Record consent").click()
        nav.wait_for_selector("text=Withdraw this consent")
        consent_url = nav.url

        # 2. The referral, with a reason written for the partner.
        nav.goto(f"/referrals/new/{person.pk}/{service.pk}/")
        nav.fill("textarea[name=reason_for_referral]", REASON)
        assert_accessible(nav)
        nav.get_by_role("button", name="Send the referral").click()
        nav.wait_for_selector("text=The referral was sent to Justice Bridge Legal Aid.")
        referral = Referral.objects.get()

        # 3. The partner sees the reason and the communication needs.
        sign_in(partner, personas.lawyer_b)
        partner.goto("/referrals/")
        partner.get_by_role("link", name=referral.reference).click()
        partner.wait_for_selector("#reason-for-referral")
        assert REASON in partner.locator("#reason-for-referral").inner_text()
        needs = partner.locator("#communication-needs").inner_text()
        assert "Spanish, English" in needs and "Through their navigator" in needs
        assert_accessible(partner)

        # 4. Accept, then join the care team in one click.
        partner.get_by_role("button", name="Accept").click()
        partner.wait_for_selector("text=You accepted the referral.")
        partner.get_by_role("button", name="Join the care team").click()
        partner.wait_for_selector("text=You are on the care team.")
        assert_accessible(partner)

        # 5. The person is in the partner's People list, with only the consented categories.
        partner.goto("/people/")
        partner.get_by_role("link", name=person.pseudonym).first.click()
        partner.wait_for_selector("h1")
        main = partner.locator("main").inner_text()
        assert "Ana María Rivera López" in main  # identity: consented
        for hidden in ("+1 555", "60601", "Woman", "Labour", "Nightmares"):
            assert hidden not in main, hidden
        assert_accessible(partner)

        # 6. The navigator withdraws the consent: on hold, and the partner is told.
        nav.goto(consent_url)
        nav.check("input[name=channel][value=phone]")
        nav.get_by_role("button", name="Withdraw consent now").click()
        nav.wait_for_selector("text=Consent withdrawn.")
        referral.refresh_from_db()
        assert referral.status == "on-hold" and referral.reason == "consent_withdrawn"
        nav.goto(f"/referrals/{referral.pk}/")
        nav.wait_for_selector(".referral-status >> text=On hold")
        assert "Consent withdrawn" in nav.locator("main").inner_text()

        partner.goto("/referrals/notifications/")
        partner.wait_for_selector("text=Consent withdrawn: the referral is on hold")
        assert referral.reference in partner.locator("main").inner_text()
        assert_accessible(partner)
    finally:
        nav_context.close()
        partner_context.close()
