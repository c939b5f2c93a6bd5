"""NUL and other control characters never reach the database (issue 10, items 4 and 10).

On PostgreSQL a NUL in a text value is a database error ("text fields cannot contain NUL"), so
these run on both databases: `DATABASE_URL=postgres://… pytest` for PostgreSQL.
"""

import pytest
from django.db import DataError, transaction

from wayfinder.directory.models import Service

# Every /hsds/ list endpoint and every query parameter it takes (checked against the served
# OpenAPI document below, so a new parameter cannot slip past this test).
HSDS_PARAMETERS = {
    "/hsds/services": [
        "search",
        "page",
        "per_page",
        "format",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "minimal",
        "full",
    ],
    "/hsds/taxonomies": ["search", "page", "per_page", "format"],
    "/hsds/taxonomy_terms": [
        "search",
        "page",
        "per_page",
        "format",
        "taxonomy_id",
        "top_only",
        "parent_id",
    ],
    "/hsds/organizations": ["search", "full_service", "full", "page", "per_page", "format"],
    "/hsds/service_at_locations": [
        "search",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "full",
        "page",
        "per_page",
        "format",
        "postcode",
        "proximity",
    ],
    "/hsds/organizations/x": ["full_service"],
}
CASES = [(path, name) for path, names in HSDS_PARAMETERS.items() for name in names]
DETAIL = ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"]
BAD = ["a%00b", "%00", "a%01b", "a%1Fb", "a%7Fb", "a%0Ab"]


def _coded_400(response, parameter=None):
    assert response.status_code == 400, response.content[:200]
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "invalid_parameter"
    if parameter is not None:
        assert response.json()["parameter"] == parameter


def test_the_list_covers_every_documented_parameter(client):
    doc = client.get("/hsds/openapi.json").json()
    shared = doc.get("components", {}).get("parameters", {})
    documented = set()
    for path, ops in doc["paths"].items():
        for op in ops.values():
            if not isinstance(op, dict):
                continue
            for p in op.get("parameters", []):
                p = shared[p["$ref"].rsplit("/", 1)[-1]] if "$ref" in p else p
                if p["in"] == "query":
                    documented.add((path, p["name"]))
    listed = {(p.removeprefix("/hsds").replace("/x", "/{id}"), n) for p, n in CASES}
    assert documented <= listed


@pytest.mark.parametrize("path,name", CASES)
@pytest.mark.parametrize("bad", BAD)
def test_every_hsds_parameter_refuses_control_characters(client, db, path, name, bad):
    _coded_400(client.get(f"{path}?{name}={bad}"), name)


@pytest.mark.parametrize("kind", DETAIL)
@pytest.mark.parametrize("bad", BAD)
def test_every_hsds_id_refuses_control_characters(client, db, kind, bad):
    response = client.get(f"/hsds/{kind}/{bad}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_parameter_name_with_nul_is_refused_too(client, db):
    _coded_400(client.get("/hsds/services?se%00arch=x"), "")


def test_the_rest_api_query_answers_its_usual_422(client, db):
    response = client.get("/api/v1/persons/?search=a%00b")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["search"]


@pytest.mark.parametrize(
    "url",
    [
        "/directory/services/a%00b/",
        "/directory/services/a%00b/edit/",
        "/directory/services/a%00b/capacity/",
        "/people/a%00b/",
    ],
)
def test_pages_answer_404_for_a_control_character_in_the_path(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_pages_answer_400_for_a_control_character_in_the_query(client, db):
    response = client.get("/directory/?q=a%00b")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_form_bodies_refuse_nul_but_keep_tab_and_newlines(client, personas):
    client.force_login(personas.navigator_a)
    response = client.post("/directory/?x=1", {"q": "a\x00b"})
    assert response.status_code == 400
    # Tab, CR and LF are what a textarea sends: they pass this middleware (the view decides).
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/\t\r\n"})
    assert response.status_code != 400


def test_json_bodies_refuse_escaped_nul_naming_the_field(client, db):
    response = client.post(
        "/api/v1/persons/",
        '{"chosen_name": "a\\u0000b", "aliases": ["ok", "\\u0007"]}',
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert [e["field"] for e in body["errors"]] == ["chosen_name", "aliases.1"]
    response = client.post(
        "/api/v1/persons/", '{"chosen_name": "line\\nbreak"}', content_type="application/json"
    )
    assert response.status_code == 401  # passed on: the API then asks for a token


def test_postgres_itself_refuses_nul_which_is_why_this_matters(postgres_only):
    with pytest.raises(DataError), transaction.atomic():
        list(Service.objects.filter(name="a\x00b"))


def test_a_json_key_with_nul_is_refused_without_echoing_it(client, db):
    response = client.post(
        "/api/v1/persons/", '{"chosen_name": "A", "x\\u0000y": 1}', content_type="application/json"
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [""]
