"""In a real browser, with axe-core on every page: a navigator filters the directory by Spanish
and distance, opens "Find services" for a person and reads the reasons; a partner updates its
capacity in two clicks, and the navigator's next search shows it."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from conftest import assert_accessible, sign_in
from wayfinder.assessments.actions import add_need
from wayfinder.core.testing import make_personas
from wayfinder.matching.tests.factories import add_service, link_agency


@pytest.fixture
def world(transactional_db, mfa_off):
    call_command("createcachetable", verbosity=0)
    personas = make_personas()
    link_agency(personas, personas.legal, "justice")
    need = add_need(
        personas.survivor,
        actor=personas.actor(personas.navigator_a),
        category="legal_civil",
        urgency="high",
    )
    services = {
        "spanish": add_service(
            "Casa Legal",
            ["legal_civil"],
            org="justice",
            at=(41.8858, -87.63),  # the survivor's ZIP is 60601, the Loop
            langs=["spa", "eng"],
            feats={"trauma_informed": True},
            cap=(True, 0, 20, 2),
        ),
        "english": add_service(
            "Loop Legal Aid", ["legal_civil"], at=(41.884, -87.625), langs=["eng"], cap=None
        ),
        "far": add_service(
            "Evanston Legal Clinic", ["legal_civil"], zip="60201", langs=["spa"], cap=None
        ),
    }
    return personas, need, services


def test_navigator_matches_and_partner_capacity_shows_in_the_match(page, world):
    personas, _need, services = world

    # The navigator filters the directory by Spanish and distance.
    sign_in(page, personas.navigator_a)
    page.goto("/directory/")
    assert_accessible(page)
    page.select_option("#id_language", "spa")
    page.fill("#id_near", "60601")
    page.select_option("#id_radius", "5")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"language=spa"))
    results = page.locator(".directory-list")
    assert results.get_by_role("link", name="Casa Legal").is_visible()
    assert results.get_by_role("link", name="Evanston Legal Clinic").count() == 0  # too far
    assert results.get_by_role("link", name="Loop Legal Aid").count() == 0  # no Spanish
    assert "mi" in results.locator("li").first.inner_text()
    assert_accessible(page)

    # "Find services" from the person's page: ranked, with reasons.
    page.goto(f"/people/{personas.survivor.pk}/")
    page.get_by_role("link", name="Find services").click()
    page.wait_for_selector("#match-results")
    first = page.locator(".match").first
    assert first.get_by_role("heading").inner_text() == "Casa Legal"
    reasons = first.locator(".reasons").inner_text()
    assert "Speaks Spanish" in reasons and "Waitlist ~20 days" in reasons and " mi" in reasons
    assert "Speaks English" in page.locator(".match").nth(1).inner_text()  # her second language
    assert_accessible(page)

    # The partner types the openings and presses "Accepting referrals": two clicks.
    sign_in(page, personas.lawyer_b)
    page.goto(f"/directory/services/{services['spanish'].pk}/")
    assert_accessible(page)
    capacity = page.locator("#capacity")
    capacity.get_by_label("Openings now").fill("4")
    capacity.get_by_role("button", name="Accepting referrals").click()
    page.wait_for_selector("text=Capacity saved.")
    assert "4 openings" in capacity.inner_text()
    assert_accessible(page)

    # The navigator's next search shows it.
    sign_in(page, personas.navigator_a)
    page.goto(f"/matching/person/{personas.survivor.pk}/")
    first = page.locator(".match").first
    assert first.get_by_role("heading").inner_text() == "Casa Legal"
    assert "4 openings now" in first.locator(".reasons").inner_text()
    assert_accessible(page)


@pytest.mark.browser
def test_each_need_has_its_own_results_by_urgency_and_refer_warns_without_consent(page, world):
    personas, _legal_need, _services = world
    nav = personas.actor(personas.navigator_a)
    add_need(personas.survivor, actor=nav, category="housing", urgency="medium")
    add_need(personas.survivor, actor=nav, category="crisis_intervention", urgency="immediate")
    add_service("Crisis Line", ["crisis_intervention"], org="crisisline", langs=["eng", "spa"])
    for i in range(5):
        add_service(f"Rooms {i}", ["housing"], org=f"rooms{i}", at=(41.8858, -87.63))

    sign_in(page, personas.navigator_a)
    page.goto(f"/matching/person/{personas.survivor.pk}/")
    groups = page.locator("section.need-group")
    headings = [h.inner_text() for h in groups.locator("h3").all()]
    assert [h.split(" Immediate")[0].split(" High")[0].split(" Medium")[0] for h in headings] == [
        "Crisis intervention",
        "Civil legal aid",
        "Transitional or permanent housing",
    ]
    assert "Immediate (today)" in headings[0] and "Medium (this month)" in headings[2]
    assert groups.nth(0).locator(".match h4").all_inner_texts() == ["Crisis Line"]
    assert "Casa Legal" in groups.nth(1).locator(".match h4").all_inner_texts()
    housing = groups.nth(2)
    assert housing.locator(".match").filter(visible=True).count() == 3  # the best few
    housing.get_by_text("Show 2 more").click()
    assert housing.locator(".match").filter(visible=True).count() == 5

    # Casa Legal belongs to Justice Bridge, on Wayfinder, which no consent names yet.
    casa = groups.nth(1).locator(".match", has_text="Casa Legal")
    warning = casa.locator(".consent-gap")
    assert "has not agreed to share anything with Justice Bridge Legal Aid" in warning.inner_text()
    assert groups.nth(0).locator(".consent-gap").count() == 0  # not a member: a packet
    assert_accessible(page)
    warning.get_by_role("link", name="Record consent").click()
    page.wait_for_url(re.compile(rf"/consent/person/{personas.survivor.pk}/new/"))
