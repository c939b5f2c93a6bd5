"""GET /api/v1/matching/persons/{id}/services: ranked services with reasons, through the gate."""

from __future__ import annotations

import uuid

import pytest

from wayfinder.audit.models import AuditEvent
from wayfinder.consent.tests.factories import consent, on_team
from wayfinder.matching.tests.factories import add_service

FULL = (True, 2, 0, 1)  # accepting, 2 openings, no waitlist, updated a day ago


def url(person, **params) -> str:
    from urllib.parse import urlencode

    query = f"?{urlencode(params)}" if params else ""
    return f"/api/v1/matching/persons/{person.pk}/services{query}"


@pytest.fixture
def directory(db):
    """Housing near the survivor's ZIP (60601, the Loop) and further out."""
    return {
        "spanish": add_service(
            "Casa Segura",
            ["housing"],
            at=(41.8858, -87.63),
            langs=["spa", "eng"],
            feats={"trauma_informed": True},
            cap=FULL,
        ),
        "english": add_service(
            "Loop Housing", ["housing"], at=(41.8858, -87.62), langs=["eng"], cap=FULL
        ),
        "far": add_service("Evanston Rooms", ["housing"], zip="60201", langs=["spa"], cap=FULL),
        "full": add_service("Full House", ["housing"], at=(41.886, -87.62), cap=(False, 0, 30, 1)),
        "men": add_service("Men Only", ["housing"], at=(41.886, -87.62), only=["man"], cap=FULL),
        "medical": add_service("Clinic", ["medical"], at=(41.886, -87.62), cap=FULL),
    }


def test_owner_gets_ranked_results_with_reasons_and_the_read_is_audited(
    personas, api_as, housing_need, directory
):
    response = api_as(personas.navigator_a).get(url(personas.survivor, radius=5))
    assert response.status_code == 200
    body = response.json()
    assert body["person"] == personas.survivor.pseudonym
    assert body["origin"] == "postal_code"
    assert [n["id"] for n in body["needs"]] == [str(housing_need.pk)]
    names = [r["service"]["name"] for r in body["results"]]
    # Hard filters: not accepting, men only, another category and beyond 5 miles are out.
    assert names == ["Casa Segura", "Loop Housing"]
    top = body["results"][0]
    texts = [r["text"] for r in top["reasons"]]
    assert "Speaks Spanish" in texts and "Trauma-informed" in texts
    assert any(t.endswith(" mi") for t in texts)
    assert "2 openings now" in texts
    assert {"code": "speaks", "score": "language", "good": True, "text": "Speaks Spanish"} in top[
        "reasons"
    ]
    second = body["results"][1]
    assert "Speaks English" in [r["text"] for r in second["reasons"]]

    event = AuditEvent.objects.filter(action="matching.run").latest("seq")
    assert event.person_pseudonym == personas.survivor.pseudonym
    assert set(event.categories) >= {"needs", "demographics", "contact"}
    assert event.detail["results"] == 2 and event.detail["origin"] == "postal_code"
    assert "60601" not in str(event.detail)


def test_reasons_come_in_spanish(personas, api_as, housing_need, directory):
    client = api_as(personas.navigator_a)
    response = client.client.get(
        url(personas.survivor, radius=5),
        headers={**client.headers, "Accept-Language": "es"},
    )
    texts = [r["text"] for r in response.json()["results"][0]["reasons"]]
    assert "Habla español" in texts  # language names come from the people catalog


def test_near_overrides_the_postal_code_and_a_bad_place_is_422(
    personas, api_as, housing_need, directory
):
    api = api_as(personas.navigator_a)
    body = api.get(url(personas.survivor, near="60201", radius=3)).json()
    assert body["origin"] == "typed"
    assert [r["service"]["name"] for r in body["results"]] == ["Evanston Rooms"]
    response = api.get(url(personas.survivor, near="not a place"))
    assert response.status_code == 422 and response.json()["code"] == "invalid_place"


def test_one_need_by_id_and_an_unknown_need_is_404(personas, api_as, housing_need, directory):
    api = api_as(personas.navigator_a)
    assert api.get(url(personas.survivor, need=housing_need.pk)).status_code == 200
    response = api.get(url(personas.survivor, need=uuid.uuid4()))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("who", ["outsider_c", "analyst", "lawyer_b"])
def test_outsider_analyst_and_partner_without_consent_get_404(
    personas, api_as, housing_need, directory, who
):
    response = api_as(getattr(personas, who)).get(url(personas.survivor))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found."}
    assert not AuditEvent.objects.filter(action="matching.run").exists()


def test_unknown_person_is_404(personas, api_as):
    response = api_as(personas.navigator_a).get(f"/api/v1/matching/persons/{uuid.uuid4()}/services")
    assert response.status_code == 404


def test_partner_sees_no_reason_drawn_from_data_it_may_not_see(
    personas, api_as, housing_need, directory
):
    """With consent for needs only, languages, age, gender and postal code are not used."""
    on_team(personas, personas.lawyer_b, personas.legal)
    consent(personas, personas.legal, ["needs"])
    body = api_as(personas.lawyer_b).get(url(personas.survivor)).json()
    assert body["origin"] == ""
    assert set(body["unknown"]) >= {"languages", "place", "age", "gender"}
    codes = {r["code"] for result in body["results"] for r in result["reasons"]}
    assert not codes & {"speaks", "interpreter", "no_interpreter", "distance", "remote"}
    # Gender unknown to this reader: the men-only service stays, marked "check eligibility".
    men = next(r for r in body["results"] if r["service"]["name"] == "Men Only")
    assert "check_gender" in {r["code"] for r in men["reasons"]}
    event = AuditEvent.objects.filter(action="matching.run").latest("seq")
    assert "contact" not in event.categories and event.detail["consents"]


def test_no_open_needs_gives_no_results(personas, api_as, directory):
    body = api_as(personas.navigator_a).get(url(personas.survivor)).json()
    assert body["needs"] == [] and body["results"] == []
