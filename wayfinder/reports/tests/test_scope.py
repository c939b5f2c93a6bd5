"""Who sees which figures: analysts and network admins the network, staff their own agency."""

from __future__ import annotations

import pytest

from wayfinder.reports.tests.factories import persons

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_agencies(personas):
    persons(personas.survivor.owner_agency, 12, gender_identity="woman")
    persons(personas.outsider_c.memberships.first().agency, 20, gender_identity="man")


def _total(api):
    body = api.json()
    return body["grid"][-1][-1]["display"], body["network"]


@pytest.mark.parametrize("who", ["analyst", "network_admin"])
def test_analysts_see_the_network(personas, api_as, two_agencies, who):
    api = api_as(getattr(personas, who)).get("/api/v1/reports/measures/persons_new/")
    assert _total(api) == ("33", True)


def test_agency_staff_see_their_own_agency(personas, api_as, two_agencies):
    api = api_as(personas.outsider_c).get("/api/v1/reports/measures/persons_new/")
    assert _total(api) == ("20", False)
    by_agency = api_as(personas.outsider_c).get(
        "/api/v1/reports/measures/persons_new/", {"dimension": "agency"}
    )
    assert by_agency.json()["dimension"] == ""  # no breakdown by agency for one agency


def test_analyst_breaks_down_by_agency(personas, web, two_agencies):
    html = web(personas.analyst).get("/reports/", {"dim_persons_new": "agency"}).content.decode()
    assert "Northside Housing" in html and "Harbor Light Alliance" in html


def test_analyst_never_reaches_a_person(personas, web):
    page = web(personas.analyst).get(f"/people/{personas.survivor.pk}/")
    assert page.status_code == 404


def test_the_api_has_no_person_level_report(personas, api_as):
    assert api_as(personas.analyst).get("/api/v1/reports/measures/nope/").status_code == 404
