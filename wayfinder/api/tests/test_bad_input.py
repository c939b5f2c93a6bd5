"""Bad input is a 4xx with a stable code, never a 500."""

import pytest

from wayfinder.api.tests.conftest import person_url
from wayfinder.people.models import Person


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"chosen_name": 12}, "chosen_name"),
        ({"chosen_name": ""}, "chosen_name"),
        ({}, "chosen_name"),
        ({"chosen_name": "A", "surname": "B"}, "surname"),
        ({"chosen_name": "A", "gender_identity": "robot"}, "gender_identity"),
        ({"chosen_name": "A", "birth_year": "1990"}, "birth_year"),
        ({"chosen_name": "A", "birth_year": 1850}, "birth_year"),
        ({"chosen_name": "A", "birth_year": True}, "birth_year"),
        ({"chosen_name": "A", "date_of_birth": "12/04/1996"}, "date_of_birth"),
        ({"chosen_name": "A", "date_of_birth": 829267200}, "date_of_birth"),
        ({"chosen_name": "A", "date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"chosen_name": "A", "preferred_languages": ["Spanish"]}, "preferred_languages.0"),
        ({"chosen_name": "A", "preferred_languages": ["spa", "spa"]}, "preferred_languages"),
        ({"chosen_name": "A", "preferred_languages": "spa"}, "preferred_languages"),
        ({"chosen_name": "A", "country_of_origin": "XX"}, "country_of_origin"),
        ({"chosen_name": "A", "country_of_origin": "gt"}, "country_of_origin"),
        ({"chosen_name": "A", "email": "not an address"}, "email"),
        ({"chosen_name": "A\x00B"}, "chosen_name"),
        ({"chosen_name": "A", "pronouns": "she\nher"}, "pronouns"),
        ({"chosen_name": "A", "confirm_not_duplicate": "yes"}, "confirm_not_duplicate"),
        ({"chosen_name": "x" * 201}, "chosen_name"),
        ({"chosen_name": "A", "aliases": ["ok"] * 21}, "aliases"),
    ],
)
def test_invalid_fields_are_422_naming_the_field(personas, api_as, body, field):
    response = api_as(personas.navigator_a).post(person_url(), body)
    assert response.status_code == 422, response.content
    payload = response.json()
    assert payload["code"] == "invalid_input"
    assert field in [e["field"] for e in payload["errors"]], payload
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    "raw", ["{bad json", "", "[1, 2]", '"text"', "null", "\xff\xfe", '{"chosen_name": "A"']
)
def test_malformed_bodies_are_4xx(personas, api_as, raw):
    api = api_as(personas.navigator_a)
    for response in (
        api.post(person_url(), raw=raw.encode("latin-1")),
        api.patch(person_url(personas.survivor), raw=raw.encode("latin-1")),
    ):
        assert response.status_code in (400, 422), (raw, response.content)
        assert response.json()["code"] in ("invalid_json", "invalid_input")


@pytest.mark.parametrize("pid", ["not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g"])
def test_bad_uuid_in_the_path_is_404_json(personas, api_as, pid):
    api = api_as(personas.navigator_a)
    for response in (api.get(f"/api/v1/persons/{pid}"), api.patch(f"/api/v1/persons/{pid}", {})):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_unknown_method_is_405(personas, api_as):
    assert api_as(personas.navigator_a).delete(person_url(personas.survivor)).status_code == 405


def test_outsider_gets_404_before_any_field_is_looked_at(personas, api_as):
    response = api_as(personas.outsider_c).patch(person_url(personas.survivor), {"pronouns": "x"})
    assert response.status_code == 404


def test_errors_before_any_endpoint_are_coded_json_too(personas, api_as, settings):
    """A wrong method, an unknown address, a body over the size limit: JSON, never HTML."""
    api = api_as(personas.navigator_a)
    response = api.delete(person_url(personas.survivor))
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]
    response = api.get("/api/v1/no-such-thing/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post(person_url(), {"chosen_name": "A" * 2000})
    assert (response.status_code, response.json()["code"]) == (413, "too_large")
    assert Person.objects.count() == 1


def test_the_hsds_api_answers_a_wrong_method_in_json(client):
    response = client.post("/hsds/services", {})
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    # Pages outside the APIs keep their HTML error pages.
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("debug", [True, False])
def test_an_oversized_body_is_a_coded_413_with_or_without_debug(personas, api_as, settings, debug):
    """Under DEBUG django-ninja used to catch Django's RequestDataTooBig first: a 500."""
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_as(personas.navigator_a).post(person_url(), {"chosen_name": "A" * 2000})
    assert (response.status_code, response.json()["code"]) == (413, "too_large")
