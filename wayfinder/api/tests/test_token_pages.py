"""/settings/tokens/: staff create a token (shown once), see their tokens, and revoke them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from wayfinder.accounts.actions import create_api_token, deactivate_member
from wayfinder.accounts.models import ApiToken, Membership, hash_token
from wayfinder.api.tests.conftest import person_url
from wayfinder.audit.models import AuditEvent
from wayfinder.core.testing import ApiClient

LIST = "/settings/tokens/"
NEW = "/settings/tokens/new/"


# Two-step sign-in is the accounts app's business; these tests sign in with one step.
pytestmark = pytest.mark.usefixtures("mfa_off")


def test_the_pages_sit_behind_two_step_sign_in(client, personas, settings):
    settings.WAYFINDER_REQUIRE_MFA = True
    client.force_login(personas.navigator_a)
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


def _signed_in(client, user):
    client.force_login(user)
    return client


def _create(client, personas, **overrides):
    data = {
        "name": "Nightly export",
        "agency": str(personas.lead.pk),
        "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        **overrides,
    }
    return client.post(NEW, data)


def test_urls_are_where_the_docs_say():
    assert reverse("api_tokens") == LIST
    assert reverse("api_token_create") == NEW


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_shows_the_raw_token_once_and_it_works(client, personas):
    _signed_in(client, personas.navigator_a)
    response = _create(client, personas)

    assert response.status_code == 200
    raw = response.context["raw"]
    assert raw.startswith("wf_") and raw in response.content.decode()
    token = ApiToken.objects.get(user=personas.navigator_a)
    assert token.token_hash == hash_token(raw) and token.name == "Nightly export"
    # works until the end of the chosen day, local time
    expected_day = timezone.localdate() + timedelta(days=31)
    assert timezone.localtime(token.expires_at).date() == expected_day
    assert AuditEvent.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()

    listing = client.get(LIST)
    assert listing.status_code == 200
    page = listing.content.decode()
    assert token.prefix in page and "Nightly export" in page
    assert raw not in page  # never shown again

    assert ApiClient(raw).get(person_url(personas.survivor)).status_code == 200


def test_list_shows_agency_dates_and_state(client, personas):
    actor = personas.actor(personas.navigator_a)
    create_api_token(actor=actor, agency=personas.lead, name="Still good")
    old, _raw = create_api_token(
        actor=actor,
        agency=personas.lead,
        name="Old one",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(hours=1))

    page = _signed_in(client, personas.navigator_a).get(LIST).content.decode()
    assert "Harbor Light Alliance" in page
    assert "Still good" in page and "Old one" in page
    assert "Expired" in page and "Active" in page and "Never" in page


def test_revoke_stops_the_token_and_is_audited(client, personas):
    token, raw = create_api_token(
        actor=personas.actor(personas.navigator_a), agency=personas.lead, name="t"
    )
    _signed_in(client, personas.navigator_a)

    response = client.post(f"/settings/tokens/{token.pk}/revoke/")

    assert response.status_code == 302 and response["Location"] == LIST
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(raw).get(person_url()).status_code == 401
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.actor_id == personas.navigator_a.pk and event.category == "api"
    assert "Revoked" in client.get(LIST).content.decode()


def test_outsider_cannot_revoke_or_see_someone_elses_token(client, personas):
    token, _raw = create_api_token(
        actor=personas.actor(personas.navigator_a), agency=personas.lead, name="Secret name"
    )
    _signed_in(client, personas.outsider_c)

    assert client.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 404
    assert "Secret name" not in client.get(LIST).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_post(client, personas):
    token, _raw = create_api_token(
        actor=personas.actor(personas.navigator_a), agency=personas.lead, name="t"
    )
    _signed_in(client, personas.navigator_a)
    assert client.get(f"/settings/tokens/{token.pk}/revoke/").status_code == 405


def test_agency_must_be_one_of_the_users_own(client, personas):
    _signed_in(client, personas.navigator_a)
    response = _create(client, personas, agency=str(personas.housing.pk))
    assert response.status_code == 400
    assert "agency" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_expiry_in_the_past_and_missing_name_are_form_errors(client, personas):
    _signed_in(client, personas.navigator_a)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = _create(client, personas, name="  ", expires_on=yesterday)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "expires_on"}
    assert not ApiToken.objects.exists()


def test_no_expiry_is_allowed(client, personas):
    _signed_in(client, personas.navigator_a)
    assert _create(client, personas, expires_on="").status_code == 200
    assert ApiToken.objects.get().expires_at is None


def test_without_an_active_membership_there_is_nothing_to_create(client, personas):
    membership = Membership.objects.get(user=personas.lawyer_b)
    deactivate_member(membership, actor=personas.actor(personas.network_admin))
    _signed_in(client, personas.lawyer_b)

    page = client.get(LIST)
    assert page.status_code == 200 and page.context["can_create"] is False
    assert _create(client, personas, agency=str(personas.legal.pk)).status_code == 404
    assert not ApiToken.objects.exists()


def test_pages_are_translated_to_spanish(client, personas):
    _signed_in(client, personas.navigator_a)
    page = client.get(LIST, headers={"Accept-Language": "es"}).content.decode()
    assert "Tokens de API" in page and "Crear un token" in page
