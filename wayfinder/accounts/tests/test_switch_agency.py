"""Someone who works for two agencies chooses which one they act for, per session."""

from django.urls import reverse

from wayfinder.accounts.actions import add_member
from wayfinder.accounts.middleware import ACTIVE_AGENCY_KEY
from wayfinder.accounts.models import Role


def test_switch_to_another_of_my_agencies(client, personas, mfa_off):
    add_member(
        actor=None,
        agency=personas.housing,
        email=personas.navigator_a.email,
        role=Role.PROVIDER,
        send_invitation=False,
    )
    client.force_login(personas.navigator_a)
    page = client.get(reverse("my_account"))
    assert page.context["actor"].agency == personas.lead  # first by name
    assert 'id="agency-switch"' in page.content.decode()
    response = client.post(
        reverse("switch_agency"), {"agency": str(personas.housing.pk), "next": "/accounts/me/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"
    assert client.session[ACTIVE_AGENCY_KEY] == str(personas.housing.pk)
    actor = client.get(reverse("my_account")).context["actor"]
    assert actor.agency == personas.housing
    assert actor.roles == {Role.PROVIDER}


def test_cannot_switch_to_an_agency_i_do_not_belong_to(client, personas, mfa_off):
    client.force_login(personas.navigator_a)
    response = client.post(reverse("switch_agency"), {"agency": str(personas.housing.pk)})
    assert response.status_code == 404
    assert ACTIVE_AGENCY_KEY not in client.session


def test_outsider_cannot_switch_to_the_lead_agency(client, personas, mfa_off):
    client.force_login(personas.outsider_c)
    response = client.post(reverse("switch_agency"), {"agency": str(personas.lead.pk)})
    assert response.status_code == 404


def test_switch_ignores_an_offsite_next(client, personas, mfa_off):
    add_member(
        actor=None,
        agency=personas.housing,
        email=personas.navigator_a.email,
        role=Role.PROVIDER,
        send_invitation=False,
    )
    client.force_login(personas.navigator_a)
    response = client.post(
        reverse("switch_agency"),
        {"agency": str(personas.housing.pk), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("dashboard")


def test_switch_needs_post(client, personas, mfa_off):
    client.force_login(personas.navigator_a)
    assert client.get(reverse("switch_agency")).status_code == 405
