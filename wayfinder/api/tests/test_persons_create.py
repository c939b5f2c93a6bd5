"""POST /api/v1/persons/: intake with only the chosen name required; duplicates need a confirm."""

import pytest

from wayfinder.api.tests.conftest import person_url
from wayfinder.audit.models import AuditEvent
from wayfinder.people.models import CareTeamMember, Person
from wayfinder.people.sealing import identity_of


def test_only_the_chosen_name_is_required(personas, api_as):
    response = api_as(personas.navigator_a).post(person_url(), {"chosen_name": "  Rosa  "})

    assert response.status_code == 201
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert response["Location"] == f"/api/v1/persons/{person.pk}"
    assert body["pseudonym"] == person.pseudonym and body["chosen_name"] == "Rosa"
    assert body["legal_name"] is None and body["preferred_languages"] == []
    assert "possible_duplicates" not in body
    assert person.owner_agency == personas.lead and identity_of(person).chosen_name == "Rosa"
    assert CareTeamMember.objects.get(person=person).user == personas.navigator_a

    event = AuditEvent.objects.get(action="person.create", person_pseudonym=person.pseudonym)
    assert event.actor_id == personas.navigator_a.pk and event.via == "api"


def test_full_record_with_declined_answers(personas, api_as):
    body = {
        "chosen_name": "Mateo",
        "legal_name": "Mateo Quispe Huamán",
        "aliases": ["Teo", ""],
        "date_of_birth": "1988-01-30",
        "phone": "declined",
        "email": "mateo@example.org",
        "postal_code": "60609",
        "safe_contact_method": "through_agency",
        "gender_identity": "declined",
        "pronouns": "declined",
        "preferred_languages": ["quc", "spa"],
        "interpreter_needed": "yes",
        "country_of_origin": "GT",
        "trafficking_form": "labour",
        "exploitation_ended_on": "declined",
        "safety_level": "concerns",
        "referral_source": "hotline",
        "staff_gender_preference": "men",
        "faith_preference": "none",
        "communication_needs": "Prefers spoken over written.\nK'iche' interpreter.",
    }
    response = api_as(personas.navigator_a).post(person_url(), body)

    assert response.status_code == 201, response.json()
    out = response.json()
    assert out["phone"] == out["gender_identity"] == out["pronouns"] == "declined"
    assert out["exploitation_ended_on"] == "declined"
    assert out["birth_year"] == 1988  # follows the date of birth, as on the intake form
    assert out["aliases"] == ["Teo"]
    person = Person.objects.get(pk=out["id"])
    assert person.gender_identity == "declined"  # a choice of its own
    assert sorted(person.declined) == ["exploitation_ended_on", "pronouns"]
    assert person.pronouns == "" and person.exploitation_ended_on is None
    identity = identity_of(person)
    assert identity.declined == ["phone"] and identity.phone == ""
    assert identity.legal_name == "Mateo Quispe Huamán"

    read = api_as(personas.navigator_a).get(person_url(person)).json()
    assert {k: read[k] for k in out if k != "updated_at"} == {
        k: v for k, v in out.items() if k != "updated_at"
    }


def test_likely_duplicate_is_409_until_confirmed(personas, api_as):
    api = api_as(personas.navigator_a)
    body = {"chosen_name": "Ana Rivera", "date_of_birth": "1996-04-12"}

    refused = api.post(person_url(), body)
    assert refused.status_code == 409
    assert refused.json()["code"] == "possible_duplicate"
    assert refused.json()["duplicates"] == [
        {"id": str(personas.survivor.pk), "pseudonym": personas.survivor.pseudonym}
    ]
    assert Person.objects.count() == 1

    confirmed = api.post(person_url(), {**body, "confirm_not_duplicate": True})
    assert confirmed.status_code == 201
    assert confirmed.json()["possible_duplicates"] == [personas.survivor.pseudonym]
    assert Person.objects.count() == 2


def test_duplicates_are_never_looked_for_across_agencies(personas, api_as):
    response = api_as(personas.outsider_c).post(person_url(), {"chosen_name": "Ana Rivera"})
    assert response.status_code == 201
    assert Person.objects.get(pk=response.json()["id"]).owner_agency == personas.housing


@pytest.mark.parametrize("who", ["analyst", "lawyer_b", "network_admin"])
def test_roles_that_do_not_take_people_in_get_404(personas, api_as, who):
    response = api_as(getattr(personas, who)).post(person_url(), {"chosen_name": "X"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Person.objects.count() == 1


def test_outsider_gets_404_on_the_survivor_after_creating_elsewhere(personas, api_as):
    api = api_as(personas.outsider_c)
    assert api.post(person_url(), {"chosen_name": "Someone"}).status_code == 201
    assert api.get(person_url(personas.survivor)).status_code == 404
