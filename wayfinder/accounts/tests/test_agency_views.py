"""Agency pages: network admins list, add, edit and deactivate agencies; everyone else gets 404."""

import pytest
from django.urls import reverse

from wayfinder.accounts.models import Agency, AgencyKind


@pytest.fixture
def net_client(login, personas, mfa_off):
    return login(personas.network_admin)


def test_agency_list(net_client, personas, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = net_client.get(reverse("agency_list"))
    assert response.status_code == 200
    agencies = {a.name: a for a in response.context["agencies"]}
    assert agencies["Harbor Light Alliance"].active_staff == 4
    assert agencies["Northside Housing"].active_staff == 1
    html = response.content.decode()
    assert 'href="/accounts/agencies/"' in html and 'aria-current="page"' in html


def test_add_agency(net_client):
    response = net_client.post(
        reverse("agency_create"),
        {"name": "Lakeside Health", "kind": AgencyKind.HEALTH, "is_victim_service_provider": "on"},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Lakeside Health")
    assert agency.is_victim_service_provider and agency.is_active


def test_duplicate_name_is_a_form_error(net_client):
    response = net_client.post(
        reverse("agency_create"), {"name": "northside housing", "kind": AgencyKind.HOUSING}
    )
    assert response.status_code == 400
    assert "already exists" in str(response.context["form"].errors["name"])


def test_edit_agency(net_client, personas):
    url = reverse("agency_edit", args=[personas.legal.pk])
    form = net_client.get(url).context["form"]
    assert form.initial["name"] == "Justice Bridge Legal Aid"
    response = net_client.post(
        url,
        {"name": "Justice Bridge", "kind": AgencyKind.LEGAL_AID, "is_active": "on"},
    )
    assert response.status_code == 302
    personas.legal.refresh_from_db()
    assert personas.legal.name == "Justice Bridge" and personas.legal.is_active


def test_edit_can_deactivate_and_reactivate(net_client, personas):
    url = reverse("agency_edit", args=[personas.legal.pk])
    net_client.post(url, {"name": "Justice Bridge Legal Aid", "kind": AgencyKind.LEGAL_AID})
    personas.legal.refresh_from_db()
    assert not personas.legal.is_active
    net_client.post(
        url, {"name": "Justice Bridge Legal Aid", "kind": AgencyKind.LEGAL_AID, "is_active": "on"}
    )
    personas.legal.refresh_from_db()
    assert personas.legal.is_active


def test_deactivate_agency_after_confirming(net_client, personas):
    url = reverse("agency_deactivate", args=[personas.housing.pk])
    assert net_client.get(url).status_code == 200
    personas.housing.refresh_from_db()
    assert personas.housing.is_active
    assert net_client.post(url).status_code == 302
    personas.housing.refresh_from_db()
    assert not personas.housing.is_active


def test_cannot_deactivate_own_agency(net_client, personas):
    response = net_client.post(reverse("agency_deactivate", args=[personas.lead.pk]))
    assert response.status_code == 400
    assert "working for" in response.content.decode()


def test_unknown_agency_is_404(net_client):
    url = reverse("agency_edit", args=["00000000-0000-0000-0000-000000000000"])
    assert net_client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["admin_a", "navigator_a", "outsider_c"])
def test_others_get_404(client, personas, mfa_off, who):
    client.force_login(getattr(personas, who))
    for url in (
        reverse("agency_list"),
        reverse("agency_create"),
        reverse("agency_edit", args=[personas.legal.pk]),
        reverse("agency_deactivate", args=[personas.legal.pk]),
        reverse("agency_staff_list", args=[personas.legal.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("agency_deactivate", args=[personas.legal.pk])).status_code == 404
    personas.legal.refresh_from_db()
    assert personas.legal.is_active
