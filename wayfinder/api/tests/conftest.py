"""Fixtures for API tests: tokens issued through the real action, a client that sends them."""

import json

import pytest
from django.test import Client

from wayfinder.accounts.actions import create_api_token


class ApiClient:
    """A test client that talks JSON with ``Authorization: Bearer <token>``."""

    def __init__(self, raw_token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {raw_token}"} if raw_token else {}

    def get(self, path, params=None):
        return self.client.get(path, params or {}, headers=self.headers)

    def post(self, path, body=None, *, raw: str | bytes | None = None):
        data = raw if raw is not None else json.dumps(body)
        return self.client.post(path, data, content_type="application/json", headers=self.headers)

    def patch(self, path, body=None, *, raw: str | bytes | None = None):
        data = raw if raw is not None else json.dumps(body)
        return self.client.patch(path, data, content_type="application/json", headers=self.headers)

    def delete(self, path):
        return self.client.delete(path, headers=self.headers)


@pytest.fixture
def issue_token(personas):
    """``issue_token(user, agency=None, **kw)`` → the raw token (the user's first agency)."""

    def issue(user, agency=None, **kw):
        actor = personas.actor(user, agency)
        _token, raw = create_api_token(
            actor=actor, agency=agency or actor.agency, name=kw.pop("name", "test"), **kw
        )
        return raw

    return issue


@pytest.fixture
def api_as(issue_token):
    """``api_as(user)`` → an ApiClient holding a fresh token of that user."""

    def make(user, agency=None):
        return ApiClient(issue_token(user, agency))

    return make


def person_url(person_or_id=None) -> str:
    if person_or_id is None:
        return "/api/v1/persons/"
    pk = getattr(person_or_id, "pk", person_or_id)
    return f"/api/v1/persons/{pk}"


@pytest.fixture
def share_with_lawyer(personas):
    """``share_with_lawyer(categories)``: the real path by which a partner comes to see a record.

    ``lawyer_b`` joins the survivor's care team and the survivor consents (typed e-signature,
    care coordination, 90 days) to Justice Bridge Legal Aid seeing ``categories``.
    """
    from datetime import timedelta

    from django.utils import timezone

    from wayfinder.consent.actions import ConsentRequest, Signature, create_consent
    from wayfinder.people.actions import add_care_team_member

    def share(categories):
        navigator = personas.actor(personas.navigator_a)
        add_care_team_member(
            personas.survivor, actor=navigator, user=personas.lawyer_b, agency=personas.legal
        )
        return create_consent(
            personas.survivor,
            ConsentRequest(
                recipient_agency=personas.legal,
                purposes=["care_coordination"],
                categories=list(categories),
                expires_at=timezone.now() + timedelta(days=90),
                method="electronic_signature",
                signature=Signature(kind="typed", typed_name="Ana Rivera"),
                explained_not_a_condition=True,
            ),
            actor=navigator,
        )

    return share
