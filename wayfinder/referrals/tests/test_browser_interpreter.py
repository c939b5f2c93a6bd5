"""In a browser, with axe on every page (issue 17, item 4): a navigator starts an assessment
for a person who needs a Vietnamese interpreter and records a phone interpreter from the
directory; then finds services and refers, and is told an interpreter will be needed."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import assert_accessible, sign_in
from wayfinder.assessments.actions import add_need
from wayfinder.assessments.models import Session
from wayfinder.core.testing import make_personas
from wayfinder.matching.tests.factories import add_service, link_agency
from wayfinder.people.models import Person


@pytest.fixture
def world(transactional_db, settings, live_server, mfa_off):
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    Person.objects.filter(pk=personas.survivor.pk).update(
        preferred_languages=["vie"], interpreter_needed="yes"
    )
    nav = personas.actor(personas.navigator_a)
    add_need(personas.survivor, actor=nav, category="legal_civil", urgency="high")
    interpreters = add_service("Community Interpreters", ["interpretation"], org="interp")
    legal = add_service(
        "Civil Legal Aid Clinic",
        ["legal_civil"],
        org="justice",
        langs=["eng"],
        feats={"interpreter_available": True},
    )
    link_agency(personas, personas.legal, "justice")
    return personas, interpreters, legal


def test_a_phone_interpreter_is_recorded_and_the_referral_says_one_will_be_needed(page, world):
    personas, interpreters, _legal = world
    person = personas.survivor
    sign_in(page, personas.navigator_a)

    # 1. Start an assessment: the form asks who interpreted.
    page.goto(reverse("assessments:start", args=[person.pk]))
    page.wait_for_selector("#interpreter-step")
    assert page.locator("select[name=interpreter_language]").input_value() == "vie"
    assert_accessible(page)
    page.check("input[name=mode][value=in_person]")
    page.check("input[name=interpretation][value=interpreted]")
    page.select_option("select[name=interpreter_provider]", f"service:{interpreters.pk}")
    page.check("input[name=interpreter_mode][value=phone]")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/section/1/$"))
    session = Session.objects.get(person=person)
    assert (session.interpretation, session.interpreter_mode, session.interpreter_language) == (
        "interpreted",
        "phone",
        "vie",
    )
    assert session.interpreter_provider_name == "Community Interpreters"

    # 2. Find services: the match says an interpreter will be needed.
    page.goto(f"/matching/person/{person.pk}/")
    page.wait_for_selector("text=Civil Legal Aid Clinic")
    line = page.locator(".language-line").first.inner_text()
    assert line == (
        "An interpreter will be needed (Vietnamese) — the service offers interpretation"
    )
    assert_accessible(page)

    # 3. Refer: the referral form says it too, and asks who interpreted.
    page.get_by_role("link", name="Refer to Civil Legal Aid Clinic").first.click()
    page.wait_for_selector("#language-access")
    assert "An interpreter will be needed" in page.locator("#language-access").inner_text()
    assert page.locator("#interpreter-step").is_visible()
    assert_accessible(page)
