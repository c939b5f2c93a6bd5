"""In Chromium at 390x844, with axe-core in Spanish and English: the navigator gives a code, the
person makes a PIN, signs in, marks a plan step done, withdraws a consent (the partner's next
request is "access ended"), sees who looked, answers "Did you get the help?" and leaves by quick
exit."""

from __future__ import annotations

import re

import pytest

from conftest import assert_accessible, sign_in
from wayfinder.assessments.actions import add_need, start_session
from wayfinder.core.testing import ApiClient, make_personas
from wayfinder.people.actions import add_care_team_member
from wayfinder.plans.models import Step, StepStatus
from wayfinder.plans.tests import factories as plans
from wayfinder.portal.tests.factories import sign_in_page
from wayfinder.referrals.actions import (
    ReferralRequest,
    accept_referral,
    complete_referral,
    create_referral,
    start_referral,
)
from wayfinder.referrals.models import Referral
from wayfinder.referrals.tests.factories import link, listing, referral_consent

PIN = "730194"


@pytest.fixture
def team(transactional_db, mfa_off):
    from django.core.management import call_command

    from wayfinder.accounts.actions import create_api_token

    call_command("createcachetable", verbosity=0)
    p = make_personas()
    nav = p.actor(p.navigator_a)
    add_care_team_member(p.survivor, actor=nav, user=p.lawyer_b, agency=p.legal)
    referral_consent(p, p.legal, ["identity", "legal"], purposes=("referral", "care_coordination"))
    goal = plans.goal(p, text="Find a safe place to live.", language="eng")
    plans.step(p, goal, text="Fill in the housing form", language="eng")
    service = listing(
        "org-justice", "Justice Bridge Legal Aid", ["legal_civil"], service_name="Civil Legal Aid"
    )
    link(p, p.legal, service)
    need = add_need(p.survivor, actor=nav, category="legal_civil", urgency="high", note="x")
    referral = create_referral(
        p.survivor,
        ReferralRequest(service=service, need_id=need.pk, note="", confirm_withheld=True),
        actor=nav,
    )
    lawyer = p.actor(p.lawyer_b)
    referral = accept_referral(referral, actor=lawyer)
    referral = start_referral(referral, actor=lawyer)
    complete_referral(referral, actor=lawyer, outcome="service_provided")
    _token, raw = create_api_token(actor=lawyer, agency=p.legal, name="partner")
    p.lawyer_api = ApiClient(raw)
    assert p.lawyer_api.get(f"/api/v1/persons/{p.survivor.pk}").status_code == 200  # a look
    start_session(
        p.survivor,
        actor=nav,
        instrument_id="brief_resilience_scale",
        mode="self",
        language="es",
        interpreter_used="no",
    )
    return p  # fmt: skip


def test_the_survivors_door(page, team, live_server, settings):
    page.set_viewport_size({"width": 390, "height": 844})
    person = team.survivor

    # The navigator gives a code on the person's page, and signs out.
    sign_in(page, team.navigator_a)
    page.goto(f"/people/{person.pk}/")
    page.click("#portal-invite")
    page.locator("#portal-code").wait_for()
    code = page.locator("#portal-code").inner_text()
    door = page.locator("#portal-door").inner_text()
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url(re.compile(r"/accounts/"))

    # The person uses the code and makes a PIN; the recovery sheet shows once.
    page.goto("/my/")
    assert page.locator("form[action='/my/']").get_attribute("autocomplete") == "off"
    assert page.title() == "Notes"
    assert_accessible(page)
    page.click("a[href='/my/start/']")
    page.fill("input[name=code]", code)
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url("**/my/start/choose/")
    page.check("input[name=kind][value=pin]")
    page.fill("input[name=secret]", PIN)
    page.fill("input[name=again]", PIN)
    page.locator("input[name=again]").press("Enter")
    page.locator(".portal-codes li").first.wait_for()
    assert page.locator(".portal-codes li").count() == 8
    assert_accessible(page)

    # Her portal is in her language (Spanish): sign out, and in again with the door and PIN.
    page.click("a[href='/my/home/']")
    page.wait_for_url("**/my/home/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert_accessible(page)
    page.locator("form[action='/my/signout/'] button").click()
    page.wait_for_url(re.compile(r"/my/$"))
    sign_in_page(page, door, PIN)

    page.goto("/my/sharing/")
    assert "Justice Bridge Legal Aid puede ver su nombre y su caso legal" in page.content()
    assert_accessible(page)
    page.goto("/my/plan/")
    assert_accessible(page)
    page.goto("/my/checkins/")
    page.locator(".portal-cards a").first.click()
    page.wait_for_url(re.compile(r"/my/checkins/.+/1/$"))
    assert_accessible(page)

    # She switches to English in her settings.
    page.goto("/my/settings/")
    page.select_option("#id_language", "en")
    page.fill("input[name=page_title]", "Recipes")
    page.locator("form[action='/my/settings/'] button").first.click()
    page.wait_for_url("**/my/settings/?saved=1")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.title() == "Recipes"
    assert_accessible(page)

    # My plan: mark her own step done.
    page.goto("/my/plan/")
    assert "Find a safe place to live." in page.content()
    page.get_by_role("button", name="I did this").click()
    page.wait_for_url("**/my/plan/?saved=step")
    assert Step.objects.get().status == StepStatus.DONE
    assert_accessible(page)

    # Who looked: the partner's look, by agency name.
    page.goto("/my/looked/")
    assert "Justice Bridge Legal Aid looked at your name on " in page.content()
    assert "Lee Lawyer" not in page.content()
    assert_accessible(page)

    # My sharing: withdraw; the partner's next request says access ended.
    page.goto("/my/sharing/")
    page.get_by_role("button", name="Stop sharing with Justice Bridge Legal Aid").click()
    page.wait_for_url("**/my/sharing/?withdrawn=1")
    ended = team.lawyer_api.get(f"/api/v1/persons/{person.pk}")
    assert ended.status_code == 410 and ended.json()["code"] == "access_ended"
    assert_accessible(page)

    # Where we sent you: "Did you get the help?"
    page.goto("/my/referrals/")
    page.check("input[name=answer][value=yes]")
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_url("**/my/referrals/?saved=1")
    assert Referral.objects.get().survivor_confirmation == "yes"
    assert_accessible(page)

    # Quick exit: to the neutral page, and the portal session is gone.
    page.click("#quick-exit")
    page.wait_for_url(re.compile(r"neutral\.html"))
    page.goto("/my/home/")
    page.wait_for_url(re.compile(r"/my/$"))
