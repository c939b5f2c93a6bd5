"""GET /api/v1/persons/ and POST /api/v1/persons/search: the persons the gate allows, paged and
searchable (by POST only: names stay out of addresses), audited."""

import uuid
from datetime import date

import pytest

from wayfinder.api.tests.conftest import person_url
from wayfinder.audit.models import AuditEvent
from wayfinder.people.actions import create_person
from wayfinder.people.models import Identity

SEARCH = "/api/v1/persons/search"


def search(api, text, **params):
    return api.post(SEARCH, {"search": text, **params})


def _take_in(personas, n, **identity):
    actor = personas.actor(personas.navigator_a)
    return [
        create_person(actor=actor, identity=Identity(chosen_name=f"Person {i}", **identity))
        for i in range(n)
    ]


def test_navigator_lists_the_agencys_persons_with_names(personas, api_as):
    response = api_as(personas.navigator_a).get(person_url())

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 25
    (item,) = body["items"]
    assert item["pseudonym"] == personas.survivor.pseudonym
    assert item["chosen_name"] == "Ana Rivera"
    assert item["preferred_languages"] == ["spa", "eng"]
    assert "legal_name" not in item and "phone" not in item  # the list is a summary

    event = AuditEvent.objects.get(action="person.list")
    assert event.detail == {
        "shown": [personas.survivor.pseudonym],
        "searched": False,
        "view": "api",
    }
    assert "identity" in event.categories and event.via == "api"


def test_paging_is_newest_first_and_stable(personas, api_as):
    made = _take_in(personas, 5)
    api = api_as(personas.navigator_a)

    first = api.get(person_url(), {"per_page": 4}).json()
    second = api.get(person_url(), {"per_page": 4, "page": 2}).json()
    beyond = api.get(person_url(), {"per_page": 4, "page": 3}).json()

    assert first["total"] == second["total"] == 6
    names = [i["chosen_name"] for i in first["items"] + second["items"]]
    assert names == [f"Person {i}" for i in range(4, -1, -1)] + ["Ana Rivera"]
    assert beyond["items"] == [] and beyond["total"] == 6
    assert len(made) == 5


def test_search_by_name_tokens_and_by_record_code(personas, api_as):
    _take_in(personas, 2)
    api = api_as(personas.navigator_a)

    by_name = search(api, "rivera ANA").json()
    assert [i["pseudonym"] for i in by_name["items"]] == [personas.survivor.pseudonym]
    by_code = search(api, personas.survivor.pseudonym.lower()).json()
    assert [i["pseudonym"] for i in by_code["items"]] == [personas.survivor.pseudonym]
    assert search(api, "Nobody").json()["total"] == 0
    assert AuditEvent.objects.filter(action="person.list").latest("seq").detail["searched"]


def test_outsider_never_sees_the_survivor_even_by_name_or_code(personas, api_as):
    api = api_as(personas.outsider_c)
    for text in ("", "Ana Rivera", personas.survivor.pseudonym):
        body = search(api, text).json()
        assert body["total"] == 0 and body["items"] == []
    assert not AuditEvent.objects.filter(action="person.list").exists()


def test_partner_lists_consented_persons_with_only_the_consented_fields(
    personas, api_as, share_with_lawyer
):
    share_with_lawyer(["demographics", "communication"])
    body = api_as(personas.lawyer_b).get(person_url()).json()

    (item,) = body["items"]
    assert item["pseudonym"] == personas.survivor.pseudonym
    assert item["preferred_languages"] == ["spa", "eng"]
    assert "chosen_name" not in item and "safety_level" not in item
    event = AuditEvent.objects.get(action="person.list")
    assert event.categories == ["communication", "demographics"]
    # Found by record code, but not by a name the partner may not see.
    api = api_as(personas.lawyer_b)
    assert search(api, personas.survivor.pseudonym).json()["total"] == 1
    assert search(api, "Ana Rivera").json()["total"] == 0


def test_partner_with_identity_consent_finds_the_person_by_name(
    personas, api_as, share_with_lawyer
):
    share_with_lawyer(["identity"])
    body = search(api_as(personas.lawyer_b), "rivera").json()
    assert [i["chosen_name"] for i in body["items"]] == ["Ana Rivera"]


def test_analyst_gets_404(personas, api_as):
    response = api_as(personas.analyst).get(person_url())
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("params", [{"page": 0}, {"page": "x"}, {"per_page": 101}, {"per_page": 0}])
def test_bad_paging_is_422(personas, api_as, params):
    response = api_as(personas.navigator_a).get(person_url(), params)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"search": "a\x00b"}, "search"),
        ({"search": "x" * 201}, "search"),
        ({"search": 12}, "search"),
        ({}, "search"),
        ({"search": "ana", "page": 0}, "page"),
        ({"search": "ana", "per_page": "5"}, "per_page"),
        ({"search": "ana", "surname": "Rivera"}, "surname"),
    ],
)
def test_bad_search_bodies_are_422_naming_the_field(personas, api_as, body, field):
    response = api_as(personas.navigator_a).post(SEARCH, body)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize("text", ["Rivera", "", "WF-7K3Q-9D"])
def test_a_search_in_the_address_is_refused_and_says_why(personas, api_as, text):
    api = api_as(personas.navigator_a)
    response = api.get(person_url(), {"search": text})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "names_not_in_urls"
    assert "POST /api/v1/persons/search" in body["message"] and "log" in body["message"]
    assert not AuditEvent.objects.filter(action="person.list").exists()
    spanish = api.client.get(
        person_url(), {"search": text}, headers={**api.headers, "Accept-Language": "es"}
    ).json()
    assert spanish["code"] == "names_not_in_urls" and spanish["message"] != body["message"]


def test_search_pages_like_the_list(personas, api_as):
    _take_in(personas, 5)
    api = api_as(personas.navigator_a)
    first = search(api, "person", per_page=3).json()
    second = search(api, "person", per_page=3, page=2).json()
    assert first["total"] == second["total"] == 5
    assert len(first["items"]) == 3 and len(second["items"]) == 2
    assert (second["page"], second["per_page"]) == (2, 3)


def _page_cost(api, per_page, monkeypatch):
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from wayfinder.core import crypto

    decrypted = []
    real = crypto.decrypt
    monkeypatch.setattr(
        crypto, "decrypt", lambda pid, *a, **kw: decrypted.append(pid) or real(pid, *a, **kw)
    )
    with (
        CaptureQueriesContext(connections["default"]) as main,
        CaptureQueriesContext(connections["keystore"]) as keys,
    ):
        body = api.get(person_url(), {"per_page": per_page}).json()
    monkeypatch.setattr(crypto, "decrypt", real)
    return len(main), len(keys), body, decrypted


def test_a_page_costs_the_same_queries_whatever_its_size_and_decrypts_only_its_rows(
    personas, api_as, monkeypatch
):
    """No N+1: the page's data keys come in one keystore query; only the page is decrypted."""
    _take_in(personas, 40, date_of_birth=date(1990, 1, 1))
    api = api_as(personas.navigator_a)
    api.get(person_url())  # the token's first use stamps last_used_at; measure after that

    small_main, small_keys, small, small_decrypted = _page_cost(api, 5, monkeypatch)
    big_main, big_keys, big, big_decrypted = _page_cost(api, 40, monkeypatch)

    assert len(small["items"]) == 5 and len(big["items"]) == 40
    assert big_main == small_main and big_keys == small_keys == 1
    assert sorted(big_decrypted) == sorted(uuid.UUID(i["id"]) for i in big["items"])
    assert len(small_decrypted) == 5
