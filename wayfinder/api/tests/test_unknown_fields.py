"""Every request body refuses unknown fields: a 422 ``invalid_input`` naming the field, no write."""

import re

import pytest

from wayfinder.audit.models import AuditEvent
from wayfinder.plans.models import Goal, ProgressNote


def _body_operations(client):
    spec = client.get("/api/openapi.json").json()
    for url, path in spec["paths"].items():
        for method, op in path.items():
            if url.startswith("/api/v1/") and "requestBody" in op:
                yield method, url


def test_every_body_operation_refuses_an_unknown_field(personas, api_as, client):
    api = api_as(personas.navigator_a)
    operations = list(_body_operations(client))
    assert len(operations) >= 15
    before = AuditEvent.objects.count()
    for method, url in operations:
        # Real ids where there are ids: the refusal must come from the body, not the gate.
        path = re.sub(r"\{[a-z_]*id\}", str(personas.survivor.pk), url)
        response = getattr(api, method)(path, {"bogus": 1})
        assert response.status_code == 422, (method, url, response.content)
        body = response.json()
        assert body["code"] == "invalid_input", (method, url, body)
        assert "bogus" in [e["field"] for e in body["errors"]], (method, url, body)
        assert {e["type"] for e in body["errors"] if e["field"] == "bogus"} == {"extra_forbidden"}
    assert AuditEvent.objects.count() == before  # nothing was written, nothing was read


@pytest.mark.parametrize(
    ("suffix", "body"),
    [
        ("goals/", {"text": "Find work", "domain": "income_employment", "bogus": 1}),
        ("notes/", {"text": "Called back", "bogus": 1}),
    ],
)
def test_a_plan_write_with_an_extra_field_creates_nothing(personas, api_as, suffix, body):
    url = f"/api/v1/plans/persons/{personas.survivor.pk}/{suffix}"
    response = api_as(personas.navigator_a).post(url, body)
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["bogus"]
    assert not Goal.objects.exists() and not ProgressNote.objects.exists()


def test_a_nested_unknown_field_is_named_by_its_path(personas, api_as):
    response = api_as(personas.navigator_a).post(
        "/api/v1/consents/", {"signature": {"kind": "typed", "bogus": 1}}
    )
    assert response.status_code == 422
    assert "signature.bogus" in [e["field"] for e in response.json()["errors"]]
