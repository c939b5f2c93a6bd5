"""The page of services for open needs: every need with its own results, most urgent first;
"Refer" warns where consent does not cover it; services not accepting are marked, not hidden."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wayfinder.assessments.actions import add_need
from wayfinder.matching.tests.factories import add_service, link_agency
from wayfinder.referrals.tests.factories import referral_consent


def url(person) -> str:
    return f"/matching/person/{person.pk}/"


@pytest.fixture
def needs(personas):
    nav = personas.actor(personas.navigator_a)
    person = personas.survivor
    return {
        "housing": add_need(person, actor=nav, category="housing", urgency="medium"),
        "crisis": add_need(person, actor=nav, category="crisis_intervention", urgency="immediate"),
        "legal": add_need(person, actor=nav, category="legal_civil", urgency="high"),
    }


@pytest.fixture
def many_housing(db):
    # Twelve housing services near the person: before, they filled the top 10 by themselves.
    return [
        add_service(f"Rooms {i:02d}", ["housing"], at=(41.8858, -87.63), langs=["spa"], cap=(True, 3, 0, 1))
        for i in range(12)
    ]  # fmt: skip


def test_each_need_has_its_own_results_most_urgent_first(personas, login, needs, many_housing):
    crisis = add_service("Crisis Line", ["crisis_intervention"], org="crisis", langs=["eng"])
    legal = add_service("Civil Help", ["legal_civil"], org="justice", langs=["eng"])
    response = login(personas.navigator_a).get(url(personas.survivor))
    groups = response.context["groups"]
    assert [g["need"].category for g in groups] == ["crisis_intervention", "legal_civil", "housing"]
    assert [r["service"].pk for r in groups[0]["shown"]] == [crisis.pk]
    assert [r["service"].pk for r in groups[1]["shown"]] == [legal.pk]
    housing = groups[2]
    assert len(housing["shown"]) == 3 and len(housing["more"]) == 7  # 10 ranked, 3 shown
    assert housing["count"] == 10
    content = response.content.decode()
    assert content.index("Crisis Line") < content.index("Civil Help") < content.index("Rooms")
    assert "Show 7 more" in content and "<details" in content


def test_one_need_at_a_time_still_works(personas, login, needs, many_housing):
    client = login(personas.navigator_a)
    response = client.post(url(personas.survivor), {"need": str(needs["housing"].pk), "radius": ""})
    assert [g["need"].pk for g in response.context["groups"]] == [needs["housing"].pk]


def test_query_count_does_not_grow_with_needs_or_services(personas, login, needs, many_housing):
    client = login(personas.navigator_a)
    add_service("Crisis Line", ["crisis_intervention"], org="crisis", langs=["eng"])
    client.get(url(personas.survivor))  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(url(personas.survivor))
    nav = personas.actor(personas.navigator_a)
    for category in ("medical", "basic_needs", "employment", "education"):
        add_need(personas.survivor, actor=nav, category=category, urgency="low")
        add_service(f"{category} place", [category], org=category, langs=["eng"])
    for i in range(5):
        add_service(f"More Rooms {i}", ["housing"], org=f"rooms{i}", langs=["spa"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(personas.survivor))
    assert len(response.context["groups"]) == 7
    assert len(many) == len(few)
    candidate = [
        q["sql"]
        for q in many.captured_queries
        if "dir_match" in q["sql"].lower() or "servicecategoryindex" in q["sql"].lower()
    ]
    assert len(candidate) == 1  # one candidate query for every need together
    assert (
        len(many) <= 20
    )  # measured: 20 (session, user, gate, needs, candidates, display, consent)


def test_refer_warns_when_no_consent_names_the_agency(personas, login, needs):
    link_agency(personas, personas.legal, "justice")
    add_service("Civil Help", ["legal_civil"], org="justice", langs=["eng"])
    response = login(personas.navigator_a).get(url(personas.survivor))
    row = response.context["groups"][1]["shown"][0]
    assert row["consent_gap"] == "none"
    content = response.content.decode()
    assert "has not agreed to share anything with Justice Bridge Legal Aid" in content
    assert f"/consent/person/{personas.survivor.pk}/new/" in content


def test_refer_warns_when_the_consent_leaves_out_what_the_need_reveals(personas, login, needs):
    link_agency(personas, personas.legal, "justice")
    add_service("Justice Crisis Desk", ["crisis_intervention"], org="justice", langs=["eng"])
    add_service("Civil Help", ["legal_civil"], org="justice", langs=["eng"])
    referral_consent(personas, personas.legal, ["identity", "legal"])
    response = login(personas.navigator_a).get(url(personas.survivor))
    crisis, legal = response.context["groups"][0], response.context["groups"][1]
    # A crisis referral reveals health information, which this consent does not name.
    assert crisis["shown"][0]["consent_gap"] == "health"
    assert "does not include it" in response.content.decode()
    assert legal["shown"][0]["consent_gap"] is None


def test_no_warning_for_an_organisation_outside_the_network(personas, login, needs):
    add_service("Civil Help", ["legal_civil"], org="elsewhere", langs=["eng"])
    response = login(personas.navigator_a).get(url(personas.survivor))
    assert response.context["groups"][1]["shown"][0]["consent_gap"] is None
    assert b"consent-gap" not in response.content


def test_the_referral_form_marks_not_accepting_the_same_way(personas, login, needs):
    from wayfinder.directory.actions import update_capacity

    service = add_service("Civil Help", ["legal_civil"], org="elsewhere", cap=(True, 1, 0, 1))
    update_capacity(service, actor=None, accepting_referrals=False)
    client = login(personas.navigator_a)
    matching = client.get(url(personas.survivor)).content.decode()
    form = client.get(
        f"/referrals/new/{personas.survivor.pk}/{service.pk}/{needs['legal'].pk}/"
    ).content.decode()
    marker = '<span class="badge warn not-accepting">Not accepting referrals at present</span>'
    assert marker in matching and marker in form


def test_the_grouped_page_speaks_spanish(personas, login, needs, many_housing):
    from wayfinder.directory.actions import update_capacity

    link_agency(personas, personas.legal, "justice")
    add_service("Civil Help", ["legal_civil"], org="justice", langs=["eng"])
    update_capacity(many_housing[0], actor=None, accepting_referrals=False)
    response = login(personas.navigator_a).get(url(personas.survivor), HTTP_ACCEPT_LANGUAGE="es")
    content = response.content.decode()
    assert "Servicios para 3 necesidades, la más urgente primero." in content
    assert "Mostrar 8 más" in content
    assert "No acepta derivaciones por ahora" in content
    assert "Sin consentimiento: la persona no ha aceptado compartir nada" in content
    assert "Registrar el consentimiento" in content
    assert "Ningún servicio cumple todos los requisitos para esta necesidad" in content
