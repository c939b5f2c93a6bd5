"""Two people in two browsers, axe-core on every page: the navigator records a referral consent
(identity and legal only), finds a service and refers; the legal-aid partner sees the referral
without the person's health or substance use information and accepts; the navigator sees
"Accepted"; the navigator withdraws the consent and the partner's page stops showing the person."""

import pytest
from django.core.management import call_command

from conftest import _only_local, assert_accessible, sign_in
from wayfinder.assessments.actions import add_need
from wayfinder.core.testing import make_personas
from wayfinder.matching.tests.factories import add_service, link_agency
from wayfinder.referrals.models import Referral


@pytest.fixture
def world(transactional_db, settings, live_server, mfa_off):
    call_command("createcachetable", verbosity=0)
    settings.WAYFINDER_QUICK_EXIT_URL = live_server.url + "/static/wayfinder/neutral.html"
    personas = make_personas()
    nav = personas.actor(personas.navigator_a)
    needs = {
        "legal": add_need(personas.survivor, actor=nav, category="legal_civil", urgency="high",
                          note="Wage theft claim against the farm"),
        "health": add_need(personas.survivor, actor=nav, category="mental_health",
                           urgency="medium", note="Nightmares since leaving"),
        "sud": add_need(personas.survivor, actor=nav, category="substance_use", urgency="medium",
                        note="Drinks to sleep"),
    }  # fmt: skip
    service = add_service("Civil Legal Aid Clinic", ["legal_civil"], org="justice")
    link_agency(personas, personas.legal, "justice")
    return personas, needs, service


def _browser_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.route("**/*", _only_local(live_server.url))
    page = context.new_page()
    page.set_default_timeout(20000)
    return context, page


def test_consent_refer_accept_and_withdraw_in_two_browsers(browser, live_server, world):
    personas, needs, _service = world
    person = personas.survivor
    nav_context, nav = _browser_page(browser, live_server)
    partner_context, partner = _browser_page(browser, live_server)
    try:
        # 1. The navigator records a referral consent for legal aid: identity and legal only.
        sign_in(nav, personas.navigator_a)
        nav.goto(f"/consent/person/{person.pk}/new/")
        nav.select_option("select[name=recipient_agency]", str(personas.legal.pk))
        nav.check("input[name=purposes][value=referral]")
        nav.uncheck("input[name=purposes][value=care_coordination]")
        nav.check("input[name=categories][value=identity]")
        nav.check("input[name=categories][value=legal]")
        nav.check("input[name=method][value=electronic_signature]")
        nav.check("input[name=signature_kind][value=typed]")
        nav.fill("input[name=typed_name]", "Ana Rivera")
        nav.check("input[name=explained_not_a_condition]")
        assert_accessible(nav)
        nav.get_by_role("button", name="Record consent").click()
        nav.wait_for_selector("text=Withdraw this consent")
        consent_url = nav.url

        # 2. Find services, and refer from the match.
        nav.goto(f"/matching/person/{person.pk}/")
        nav.wait_for_selector("text=Civil Legal Aid Clinic")
        assert_accessible(nav)
        nav.get_by_role("link", name="Refer to Civil Legal Aid Clinic").first.click()
        nav.wait_for_selector("#shared-categories")
        shared = nav.locator("#shared-categories").inner_text()
        assert "Identity" in shared and "Legal" in shared and "Substance" not in shared
        assert_accessible(nav)
        nav.get_by_role("button", name="Send the referral").click()
        nav.wait_for_selector("text=The referral was sent to Justice Bridge Legal Aid.")
        assert_accessible(nav)
        referral = Referral.objects.get()
        assert referral.status == "requested" and referral.need_id == needs["legal"].pk

        # 3. The partner sees it in the inbox, opens it: name yes, health and substance use no.
        sign_in(partner, personas.lawyer_b)
        partner.goto("/referrals/")
        partner.wait_for_selector(f"text={referral.reference}")
        assert "Ana" not in partner.locator("main").inner_text()  # no names in the inbox
        assert_accessible(partner)
        partner.get_by_role("link", name=referral.reference).click()
        partner.wait_for_selector("text=What the person agreed to share with you")
        main = partner.locator("main").inner_text()
        assert "Ana María Rivera López" in main
        assert "Do not contact the person directly" in main
        for hidden in ("Nightmares", "Drinks", "Mental health", "Substance use", "+1 555"):
            assert hidden not in main, hidden
        assert_accessible(partner)
        partner.get_by_role("button", name="Accept").click()
        partner.wait_for_selector("text=You accepted the referral.")
        assert_accessible(partner)

        # 4. The navigator sees "Accepted".
        nav.reload()
        nav.wait_for_selector(".referral-status >> text=Accepted")
        assert_accessible(nav)

        # 5. The navigator withdraws the consent; the partner's page stops showing the person.
        nav.goto(consent_url)
        nav.check("input[name=channel][value=phone]")
        nav.get_by_role("button", name="Withdraw consent now").click()
        nav.wait_for_selector("text=Consent withdrawn.")
        response = partner.reload()
        assert response.status == 410
        main = partner.locator("main").inner_text()
        assert "because the person withdrew their consent" in main
        assert "Ana" not in main and "Rivera" not in main
        assert_accessible(partner)
        partner.goto("/referrals/")
        assert referral.reference not in partner.locator("main").inner_text()
    finally:
        nav_context.close()
        partner_context.close()
