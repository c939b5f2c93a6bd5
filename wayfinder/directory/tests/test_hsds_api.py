"""The HSDS API at /hsds/: every endpoint against the official OpenAPI and schemas."""

import json

import pytest
from django.urls import reverse

from wayfinder.accounts.actions import create_api_token
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.directory.actions import (
    add_internal_note,
    import_hsds,
    set_service_facts,
    update_capacity,
)
from wayfinder.directory.hsds import schema as hsds_schema
from wayfinder.directory.models import Service
from wayfinder.directory.taxonomy import TAXONOMY_ID, category_term_id
from wayfinder.directory.tests.helpers import HSDS30, import_all_examples, import_path

pytestmark = pytest.mark.django_db

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
SAL_ID = "e94c9f38-1e8f-4564-91d4-d53501ab1765"
TERM_ID = "3f7b145d-84af-42d7-8fae-eaca714b02b2"
TAXONOMY_EXAMPLE_ID = "5c4d79d7-cc55-470e-9f1f-8cad074e4892"

PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


def _response_schema(path: str) -> dict:
    """The 200 response schema of ``path`` in the official openapi.json, ready to validate."""
    doc = hsds_schema.openapi()
    schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    schema = json.loads(json.dumps(schema))
    page = doc["components"]["schemas"]["Page"]
    if "allOf" in schema:
        schema["allOf"] = [
            page if s.get("$ref") == "#/components/schemas/Page" else s for s in schema["allOf"]
        ]
    return schema


def assert_conforms(path: str, body) -> None:
    # Upstream's openapi.json gives /service_at_locations/{id} the *service* schema (a slip in
    # the 3.0 file: the description says "fully nested service_at_location"); use the right one.
    if path == "/service_at_locations/{id}":
        schema = {"$ref": hsds_schema.COMPILED_URL + "service_at_location.json"}
    else:
        schema = _response_schema(path)
    errors = [
        f"{e.json_path}: {e.message}" for e in hsds_schema.validator_for(schema).iter_errors(body)
    ]
    assert errors == [], errors
    if "contents" in schema.get("properties", {}):
        assert set(body) == PAGE_KEYS


def _extra_services(n: int) -> None:
    """``n`` more services (the official examples all share one service id)."""
    services = [
        {"id": f"extra-{i:02d}", "name": f"Extra service {i:02d}", "status": "active"}
        for i in range(n)
    ]
    import_hsds({"services.json": json.dumps(services).encode()}, actor=None)


@pytest.fixture
def directory(external):
    import_all_examples(external)
    _extra_services(3)


def get(client, url, **params):
    return client.get(url, params)


ENDPOINTS = [
    ("/", "/hsds/", {}),
    ("/services", "/hsds/services", {}),
    ("/services", "/hsds/services", {"full": "true"}),
    ("/services", "/hsds/services", {"minimal": "true"}),
    ("/services/{id}", f"/hsds/services/{SERVICE_ID}", {}),
    ("/organizations", "/hsds/organizations", {}),
    ("/organizations", "/hsds/organizations", {"full": "true", "full_service": "true"}),
    ("/organizations/{id}", f"/hsds/organizations/{ORG_ID}", {}),
    ("/organizations/{id}", f"/hsds/organizations/{ORG_ID}", {"full_service": "true"}),
    ("/service_at_locations", "/hsds/service_at_locations", {}),
    ("/service_at_locations", "/hsds/service_at_locations", {"full": "true"}),
    ("/service_at_locations/{id}", f"/hsds/service_at_locations/{SAL_ID}", {}),
    ("/taxonomies", "/hsds/taxonomies", {}),
    ("/taxonomies/{id}", f"/hsds/taxonomies/{TAXONOMY_EXAMPLE_ID}", {}),
    ("/taxonomy_terms", "/hsds/taxonomy_terms", {}),
    ("/taxonomy_terms/{id}", f"/hsds/taxonomy_terms/{TERM_ID}", {}),
]


@pytest.mark.parametrize(("spec_path", "url", "params"), ENDPOINTS)
def test_every_endpoint_conforms_to_the_openapi(client, directory, spec_path, url, params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert_conforms(spec_path, body)
    if "contents" in body:
        assert body["contents"], "every list has data to check"


def test_root_and_openapi(client):
    body = client.get("/hsds/").json()
    assert body["version"] == "3.0"
    assert body["openapi_url"] == "http://testserver/hsds/openapi.json"
    spec = client.get("/hsds/openapi.json").json()
    assert spec["openapi"] == "3.1.0"
    assert set(spec["paths"]) >= {"/", "/services", "/services/{id}", "/taxonomy_terms"}
    assert spec["servers"] == [{"url": "http://testserver/hsds"}]


def test_full_service_is_fully_nested(client, external):
    import_path(external / HSDS30 / "examples" / "service_full.json")
    body = client.get(f"/hsds/services/{SERVICE_ID}").json()
    assert body["organization"]["id"] == ORG_ID
    sal = body["service_at_locations"][0]
    assert sal["location"]["addresses"][0]["city"] == "MyCity"
    assert body["phones"][0]["languages"]
    assert body["attributes"][0]["taxonomy_term"]["id"] == TERM_ID


def test_paging_envelope(client, directory):
    total = Service.objects.count()
    assert total >= 2
    first = client.get("/hsds/services", {"per_page": 1}).json()
    assert first["total_items"] == total
    assert first["total_pages"] == total
    assert (first["page_number"], first["size"], first["first_page"]) == (1, 1, True)
    assert first["last_page"] is False and first["empty"] is False
    last = client.get("/hsds/services", {"per_page": 1, "page": total}).json()
    assert last["last_page"] is True and last["first_page"] is False
    beyond = client.get("/hsds/services", {"per_page": 1, "page": total + 1}).json()
    assert beyond["empty"] is True and beyond["contents"] == [] and beyond["size"] == 0
    ids = [
        client.get("/hsds/services", {"per_page": 1, "page": p}).json()["contents"][0]["id"]
        for p in range(1, total + 1)
    ]
    assert len(set(ids)) == total  # stable order, no repeats
    assert_conforms("/services", beyond)


def test_filters_combine(client, external):
    import_path(external / HSDS30 / "examples" / "service_full.json")
    _extra_services(2)

    def ids(**params):
        return {s["id"] for s in client.get("/hsds/services", params).json()["contents"]}

    assert SERVICE_ID in ids(search="counselling")
    assert ids(search="no such words anywhere") == set()
    assert ids(taxonomy_term_id=TERM_ID) == {SERVICE_ID}
    assert ids(taxonomy_id=TAXONOMY_EXAMPLE_ID) == {SERVICE_ID}
    assert SERVICE_ID in ids(organization_id=ORG_ID)
    assert ids(organization_id=ORG_ID, search="no such words") == set()
    assert ids(organization_id="nope") == set()
    assert ids(modified_after="2100-01-01") == set()
    assert SERVICE_ID in ids(modified_after="2000-01-01T00:00:00Z")
    sal_ids = {
        s["id"]
        for s in client.get("/hsds/service_at_locations", {"taxonomy_term_id": TERM_ID}).json()[
            "contents"
        ]
    }
    assert sal_ids == {SAL_ID}
    terms = client.get("/hsds/taxonomy_terms", {"taxonomy_id": TAXONOMY_ID, "top_only": "true"})
    assert {t["code"] for t in terms.json()["contents"]} == {
        "service_category",
        "service_feature",
        "eligibility",
    }


def test_wayfinder_categories_are_published(client, directory):
    service = Service.objects.get(pk=SERVICE_ID)
    set_service_facts(service, actor=None, categories=[ServiceCategory.MENTAL_HEALTH])
    term = category_term_id(ServiceCategory.MENTAL_HEALTH)
    body = client.get("/hsds/services", {"taxonomy_term_id": term}).json()
    assert [s["id"] for s in body["contents"]] == [SERVICE_ID]
    detail = client.get(f"/hsds/services/{SERVICE_ID}").json()
    codes = {a["taxonomy_term"]["code"] for a in detail["attributes"]}
    assert "mental_health" in codes
    assert_conforms("/services/{id}", detail)
    term_body = client.get(f"/hsds/taxonomy_terms/{term}").json()
    assert term_body["taxonomy_detail"]["name"] == "Wayfinder"


def test_postcode_and_proximity(client, external):
    import_path(external / HSDS30 / "examples" / "csv")
    from wayfinder.directory.models import Location

    Location.objects.update(latitude=51.5, longitude=-0.12)
    found = client.get("/hsds/service_at_locations", {"postcode": "abc1234"}).json()
    assert found["total_items"] == 1
    near = client.get("/hsds/service_at_locations", {"postcode": "ABC 1234", "proximity": "1000"})
    assert near.json()["total_items"] == 1
    none = client.get("/hsds/service_at_locations", {"postcode": "ZZ9 9ZZ"}).json()
    assert none["total_items"] == 0


def test_ndjson_streams_everything_unpaged(client, directory):
    response = client.get("/hsds/services", {"format": "ndjson", "per_page": 1})
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().strip().split("\n")
    items = [json.loads(line) for line in lines]
    assert len(items) == Service.objects.count()
    for item in items:
        assert hsds_schema.errors("service", item) == []


@pytest.mark.parametrize(
    ("url", "params", "status", "parameter"),
    [
        ("/hsds/services", {"page": "abc"}, 400, "page"),
        ("/hsds/services", {"page": "0"}, 400, "page"),
        ("/hsds/services", {"per_page": "100000"}, 400, "per_page"),
        ("/hsds/services", {"full": "maybe"}, 400, "full"),
        ("/hsds/services", {"modified_after": "last week"}, 400, "modified_after"),
        ("/hsds/services", {"format": "xml"}, 400, "format"),
        ("/hsds/services", {"search": "x" * 500}, 400, "search"),
        ("/hsds/taxonomy_terms", {"top_only": "2"}, 400, "top_only"),
        ("/hsds/service_at_locations", {"proximity": "10"}, 400, "proximity"),
        ("/hsds/service_at_locations", {"postcode": "X", "proximity": "far"}, 400, "proximity"),
    ],
)
def test_bad_parameters_are_400_json(client, url, params, status, parameter):
    response = client.get(url, params)
    assert response.status_code == status
    assert response.json()["code"] == "invalid_parameter"
    assert response.json()["parameter"] == parameter


@pytest.mark.parametrize(
    "url",
    [
        "/hsds/services/nope",
        "/hsds/organizations/nope",
        "/hsds/service_at_locations/nope",
        "/hsds/taxonomies/nope",
        "/hsds/taxonomy_terms/nope",
    ],
)
def test_unknown_ids_are_404_json(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found."}


def test_only_get(client):
    response = client.post("/hsds/services")
    assert response.status_code == 405


def test_private_directory_needs_a_member_or_a_token(client, personas, settings):
    settings.WAYFINDER_DIRECTORY_PUBLIC = False
    response = client.get("/hsds/services")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    # A signed-in user with no active membership is not enough.
    from wayfinder.accounts.models import User

    stranger = User.objects.create_user("stranger@example.org", "x")
    client.force_login(stranger)
    assert client.get("/hsds/services").status_code == 401
    client.logout()
    client.force_login(personas.outsider_c)
    assert client.get("/hsds/services").status_code == 200
    client.logout()
    _, secret = create_api_token(
        actor=personas.actor(personas.lawyer_b), agency=personas.legal, name="directory feed"
    )
    assert client.get("/hsds/services", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert client.get("/hsds/", HTTP_AUTHORIZATION="Bearer wf_wrong").status_code == 401


def test_public_directory_needs_no_sign_in(client, settings):
    settings.WAYFINDER_DIRECTORY_PUBLIC = True
    assert client.get(reverse("hsds:services")).status_code == 200


def test_capacity_and_internal_notes_never_leak(client, directory, personas):
    service = Service.objects.get(pk=SERVICE_ID)
    update_capacity(
        service,
        actor=None,
        accepting_referrals=False,
        waitlist_days=41,
        available=3,
        maximum=12,
        unit_name="SECRETUNIT",
        description="SECRETCAPACITY beds held for referrals",
    )
    add_internal_note(
        service, actor=personas.actor(personas.network_admin), body="SECRETNOTE call before ten"
    )
    bodies = []
    for _spec, url, params in ENDPOINTS:
        bodies.append(client.get(url, params).content.decode())
    for url in ("/hsds/services", "/hsds/service_at_locations", "/hsds/organizations"):
        response = client.get(url, {"format": "ndjson", "full": "true", "full_service": "true"})
        bodies.append(b"".join(response.streaming_content).decode())
    text = "\n".join(bodies)
    for secret in (
        "SECRETCAPACITY",
        "SECRETUNIT",
        "SECRETNOTE",
        "waitlist",
        "accepting_referrals",
        "capacit",
    ):
        assert secret not in text, secret


def test_list_query_count_does_not_grow_with_page_size(client, directory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(**params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/hsds/services", params).status_code == 200
        return len(ctx)

    assert count(full="true", per_page=1) == count(full="true", per_page=100) <= 40
    assert count(per_page=1) == count(per_page=100) <= 6
