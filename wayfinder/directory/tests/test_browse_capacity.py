"""Capacity: a partner updates its own service in two clicks; stale figures are flagged."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from wayfinder.audit.models import AuditEvent
from wayfinder.directory.models import ServiceCapacity, ServiceCategoryIndex
from wayfinder.matching.tests.factories import add_service, link_agency


@pytest.fixture
def service(personas):
    """A Justice Bridge service (lawyer_b's agency), with a capacity unit and maximum."""
    link_agency(personas, personas.legal, "justice")
    svc = add_service("Legal Clinic", ["legal_civil"], org="justice", cap=(True, 3, 0, 1))
    cap = ServiceCapacity.objects.get(service=svc)
    cap.maximum = 10  # set by an import or a full edit; the quick update must keep it
    cap.save()
    return svc


def url(service) -> str:
    return f"/directory/services/{service.pk}/capacity/"


def test_partner_marks_not_accepting_in_one_press_with_htmx(personas, login, service):
    client = login(personas.lawyer_b)
    page = client.get(f"/directory/services/{service.pk}/")
    assert b'name="accepting" value="no"' in page.content  # the quick-update form is there
    response = client.post(
        url(service),
        {"accepting": "no", "available": "0", "waitlist_days": "20"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"Capacity saved." in response.content and b"Not accepting referrals" in response.content
    cap = ServiceCapacity.objects.get(service=service)
    assert (cap.accepting_referrals, cap.available, cap.waitlist_days) == (False, 0, 20)
    assert cap.maximum == 10 and cap.unit is not None and cap.unit.name == "place"
    assert not ServiceCategoryIndex.objects.filter(
        service=service, accepting_referrals=True
    ).exists()
    event = AuditEvent.objects.filter(action="directory.capacity").latest("seq")
    assert event.actor_id == personas.lawyer_b.pk and event.detail["accepting_referrals"] is False


def test_without_htmx_the_update_redirects_to_the_service(personas, login, service):
    response = login(personas.lawyer_b).post(url(service), {"accepting": "yes", "available": "5"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/directory/services/{service.pk}/#capacity")
    assert ServiceCapacity.objects.get(service=service).available == 5


def test_bad_figures_are_a_form_error(personas, login, service):
    client = login(personas.lawyer_b)
    response = client.post(url(service), {"accepting": "yes", "available": "-1"})
    assert response.status_code == 422
    assert b"errorlist" in response.content
    # With htmx the fragment comes back as 200 (htmx swaps only those), errors shown.
    response = client.post(
        url(service), {"accepting": "yes", "available": "-1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content and b"Capacity saved." not in response.content
    assert ServiceCapacity.objects.get(service=service).available == 3


@pytest.mark.parametrize("who", ["outsider_c", "navigator_a"])
def test_staff_of_other_agencies_get_404_and_change_nothing(personas, login, service, who):
    client = login(getattr(personas, who))
    assert client.post(url(service), {"accepting": "no"}).status_code == 404
    assert ServiceCapacity.objects.get(service=service).accepting_referrals is True
    assert (
        b'name="accepting" value="no"'
        not in client.get(f"/directory/services/{service.pk}/").content
    )


def test_signed_out_posts_go_to_sign_in(client, service):
    response = client.post(url(service), {"accepting": "no"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_capacity_older_than_the_setting_is_flagged_stale(personas, login, service, settings):
    client = login(personas.navigator_a)
    page = f"/directory/services/{service.pk}/"
    assert b"Stale: ask before referring" not in client.get(page).content
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        client = login(personas.navigator_a)  # the idle session ended meanwhile
        assert b"Stale: ask before referring" in client.get(page).content
        settings.WAYFINDER_CAPACITY_STALE_DAYS = 30
        assert b"Stale: ask before referring" not in client.get(page).content


def test_the_partner_dashboard_sums_up_its_services_in_one_line(personas, login, service):
    client = login(personas.lawyer_b)
    response = client.get("/")
    assert b"Your services: capacity" in response.content
    assert b'href="/directory/capacity/"' in response.content
    assert b"1 service" in response.content and b"1 accepting referrals" in response.content
    # The forms themselves are on their own page, not on the dashboard.
    assert b'/capacity/"' not in response.content.replace(b'href="/directory/capacity/"', b"")
    other = login(personas.outsider_c).get("/")
    assert b"Your services: capacity" not in other.content


def test_the_capacity_page_lists_the_services_with_the_quick_update(personas, login, service):
    response = login(personas.lawyer_b).get("/directory/capacity/")
    assert response.status_code == 200
    assert f'hx-post="/directory/services/{service.pk}/capacity/"'.encode() in response.content
    # An agency with no services of its own has no capacity page.
    assert login(personas.outsider_c).get("/directory/capacity/").status_code == 404
