"""A malformed id anywhere in a path is the same coded 404 as an unknown one, never a 422."""

import re

import pytest

MALFORMED = ["not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g", "%20"]


def _operations(client):
    spec = client.get("/api/openapi.json").json()
    for url, path in spec["paths"].items():
        for method, op in path.items():
            if url.startswith("/api/v1/") and "{" in url:
                yield method, url, "requestBody" in op


@pytest.mark.parametrize("bad", MALFORMED)
def test_every_path_with_an_id_answers_404_for_a_malformed_one(personas, api_as, client, bad):
    api = api_as(personas.navigator_a)
    operations = list(_operations(client))
    assert len(operations) >= 25
    for method, url, has_body in operations:
        path = re.sub(r"\{[a-z_]+\}", bad, url)
        # A body that is wrong too must not change the answer: the path is looked at first.
        if has_body:
            response = getattr(api, method)(path, {"bogus": 1})
        else:  # a bodiless operation, e.g. POST .../close/, with its own method
            response = getattr(api, method)(path)
        assert response.status_code == 404, (method, path, response.content)
        assert response.json()["code"] == "not_found", (method, path)


def test_a_malformed_referral_id_is_404(personas, api_as):
    response = api_as(personas.navigator_a).get("/api/v1/referrals/R-12/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found."}
