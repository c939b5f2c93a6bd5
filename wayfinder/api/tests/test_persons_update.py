"""PATCH /api/v1/persons/{id}: only the fields sent change; owner's casework staff only; audited."""

import pytest

from wayfinder.api.tests.conftest import person_url
from wayfinder.audit.models import AuditEvent
from wayfinder.people.sealing import identity_of


def test_changes_only_what_is_sent_and_audits_field_names(personas, api_as):
    survivor = personas.survivor
    response = api_as(personas.navigator_a).patch(
        person_url(survivor),
        {"pronouns": "she/her", "phone": "declined", "safety_level": "unsafe", "postal_code": None},
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["pronouns"] == "she/her" and body["phone"] == "declined"
    assert body["safety_level"] == "unsafe" and body["postal_code"] is None
    assert body["chosen_name"] == "Ana Rivera" and body["date_of_birth"] == "1996-04-12"

    survivor.refresh_from_db()
    identity = identity_of(survivor)
    assert identity.phone == "" and identity.declined == ["phone"] and identity.postal_code == ""
    assert identity.legal_name == "Ana María Rivera López"  # untouched
    event = AuditEvent.objects.get(action="person.update")
    assert set(event.detail["fields"]) == {
        "declined",
        "phone",
        "postal_code",
        "pronouns",
        "safety_level",
    }
    assert "555 0100" not in str(event.detail) and event.via == "api"


def test_answering_a_declined_question_clears_the_mark(personas, api_as):
    api = api_as(personas.navigator_a)
    url = person_url(personas.survivor)
    assert api.patch(url, {"country_of_origin": "declined"}).json()["country_of_origin"] == (
        "declined"
    )
    personas.survivor.refresh_from_db()
    assert personas.survivor.declined == ["country_of_origin"]

    assert api.patch(url, {"country_of_origin": "MX"}).json()["country_of_origin"] == "MX"
    personas.survivor.refresh_from_db()
    assert personas.survivor.declined == [] and personas.survivor.country_of_origin == "MX"


def test_new_date_of_birth_moves_the_year_and_a_mismatch_is_refused(personas, api_as):
    api = api_as(personas.navigator_a)
    url = person_url(personas.survivor)
    assert api.patch(url, {"date_of_birth": "1997-05-01"}).json()["birth_year"] == 1997
    mismatch = api.patch(url, {"date_of_birth": "1997-05-01", "birth_year": 1990})
    assert mismatch.status_code == 422
    # The year comes from the date: both at once is refused even when they agree (the OpenAPI
    # schema says so with a "not"), while a declined date with a year is fine.
    assert api.patch(url, {"date_of_birth": "1997-05-01", "birth_year": 1997}).status_code == 422
    both = api.patch(url, {"date_of_birth": "declined", "birth_year": 1997}).json()
    assert (both["date_of_birth"], both["birth_year"]) == ("declined", 1997)


def test_chosen_name_can_change_but_not_be_removed(personas, api_as):
    api = api_as(personas.navigator_a)
    url = person_url(personas.survivor)
    assert api.patch(url, {"chosen_name": "Ana R."}).json()["chosen_name"] == "Ana R."
    for bad in (None, "", "   "):
        response = api.patch(url, {"chosen_name": bad})
        assert response.status_code == 422, bad
    personas.survivor.refresh_from_db()
    assert identity_of(personas.survivor).chosen_name == "Ana R."


def test_empty_patch_changes_nothing(personas, api_as):
    response = api_as(personas.navigator_a).patch(person_url(personas.survivor), {})
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="person.update").exists()


@pytest.mark.parametrize("who", ["outsider_c", "analyst", "lawyer_b"])
def test_others_get_404_and_nothing_changes(personas, api_as, who):
    response = api_as(getattr(personas, who)).patch(
        person_url(personas.survivor), {"pronouns": "they/them"}
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    personas.survivor.refresh_from_db()
    assert personas.survivor.pronouns == ""
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_partner_with_consent_may_read_but_not_change(personas, api_as, share_with_lawyer):
    share_with_lawyer(["identity", "demographics"])
    api = api_as(personas.lawyer_b)
    assert api.get(person_url(personas.survivor)).status_code == 200

    response = api.patch(person_url(personas.survivor), {"pronouns": "x"})

    assert response.status_code == 403 and response.json()["code"] == "read_only"
    personas.survivor.refresh_from_db()
    assert personas.survivor.pronouns == ""
    assert not AuditEvent.objects.filter(action="person.update").exists()
