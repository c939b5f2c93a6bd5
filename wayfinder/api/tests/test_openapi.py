"""The OpenAPI document and the interactive docs load, and describe the persons endpoints."""


def test_openapi_json_lists_the_persons_endpoints(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["info"]["title"] == "Wayfinder API"
    paths = spec["paths"]
    assert set(paths["/api/v1/persons/"]) == {"get", "post"}
    assert set(paths["/api/v1/persons/{person_id}"]) == {"get", "patch"}
    create = spec["components"]["schemas"]["PersonCreateIn"]
    assert create["required"] == ["chosen_name"]
    assert create["additionalProperties"] is False
    assert spec["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }
    operations = [
        op
        for url, path in paths.items()
        if url.startswith("/api/v1/persons/")
        for op in path.values()
    ]
    assert {op["operationId"] for op in operations} == {
        "list_persons",
        "create_person",
        "read_person",
        "update_person",
        "search_persons",
    }
    assert set(paths["/api/v1/persons/search"]) == {"post"}
    listing = paths["/api/v1/persons/"]["get"]
    assert "search" not in {p["name"] for p in listing.get("parameters", [])}
    assert all(op["security"] == [{"TokenAuth": []}] for op in operations)


def test_docs_page_loads_without_a_token(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
    assert b"/api/openapi.json" in response.content


def test_the_api_root_needs_a_token_for_data(client, personas):
    assert client.get("/api/v1/persons/").status_code == 401
