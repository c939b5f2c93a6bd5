"""A token works only while it is unrevoked, unexpired and its membership is active: else 401."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from wayfinder.accounts.actions import create_api_token, deactivate_member, revoke_api_token
from wayfinder.accounts.models import Membership
from wayfinder.api.tests.conftest import person_url
from wayfinder.audit.models import AuditEvent
from wayfinder.core.testing import ApiClient


def _issue(personas, user=None, **kw):
    user = user or personas.navigator_a
    actor = personas.actor(user)
    return create_api_token(actor=actor, agency=actor.agency, name="t", **kw)


def _unauthenticated(response):
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")
    return True


def test_a_valid_token_acts_for_its_user_and_records_last_use(personas):
    token, raw = _issue(personas)
    assert token.last_used_at is None

    response = ApiClient(raw).get(person_url(personas.survivor))

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer nonsense",
        "Bearer wf_" + "x" * 43,
        "Token wf_abc",
        "Basic Zm9vOmJhcg==",
    ],
)
def test_missing_or_unknown_token_is_401(personas, header, client):
    headers = {"Authorization": header} if header else {}
    assert _unauthenticated(client.get(person_url(), headers=headers))


def test_expired_token_is_401(personas):
    _token, raw = _issue(personas, expires_at=timezone.now() + timedelta(days=1))
    assert ApiClient(raw).get(person_url()).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
        assert _unauthenticated(ApiClient(raw).get(person_url()))


def test_revoked_token_is_401_at_once(personas):
    token, raw = _issue(personas)
    assert ApiClient(raw).get(person_url()).status_code == 200

    revoke_api_token(token, actor=personas.actor(personas.navigator_a))

    assert _unauthenticated(ApiClient(raw).get(person_url()))
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.object_id == str(token.pk) and event.detail["reason"] == "revoked"


def test_token_dies_with_its_membership_even_if_the_role_comes_back(personas):
    token, raw = _issue(personas)
    membership = Membership.objects.get(user=personas.navigator_a, agency=personas.lead)
    deactivate_member(membership, actor=personas.actor(personas.admin_a))

    assert _unauthenticated(ApiClient(raw).get(person_url()))
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.detail == {"prefix": token.prefix, "reason": "membership_ended"}

    membership.is_active = True
    membership.save(update_fields=["is_active"])
    assert _unauthenticated(ApiClient(raw).get(person_url()))


def test_token_of_a_deactivated_user_is_401(personas):
    _token, raw = _issue(personas)
    personas.navigator_a.is_active = False
    personas.navigator_a.save(update_fields=["is_active"])
    assert _unauthenticated(ApiClient(raw).get(person_url()))


def test_token_is_scoped_to_its_agency(personas):
    """A token issued at the housing agency acts there, even for a user with several agencies."""
    from wayfinder.core.testing import staff

    staff(personas.housing, personas.navigator_a.email, "navigator")
    actor = personas.actor(personas.navigator_a, personas.housing)
    _token, raw = create_api_token(actor=actor, agency=personas.housing, name="housing")

    api = ApiClient(raw)
    assert api.get(person_url(personas.survivor)).status_code == 404
    assert api.get(person_url()).json()["total"] == 0


def test_outsider_token_gets_404_for_the_survivor(personas):
    _token, raw = _issue(personas, user=personas.outsider_c)
    response = ApiClient(raw).get(person_url(personas.survivor))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found."}
