"""/directory/services/<id>/: everything about one service, and how fresh each part is."""

from __future__ import annotations

import pytest

from wayfinder.matching.tests.factories import add_service


@pytest.fixture
def service(db):
    return add_service(
        "Casa Segura",
        ["emergency_shelter"],
        langs=["spa", "eng"],
        feats={"free_of_cost": True, "serves_undocumented": True, "staff_gender": "women"},
        only=["woman", "transgender"],
        ages=(18, None),
        cap=(True, 2, 5, 1),
        days="MO,TU,WE,TH,FR",
        hours=("09:00", "17:00"),
        access="Step-free entrance and lift.",
        free=True,
        area=("West Side", (41.80, -87.80, 41.90, -87.65)),
    )


def test_members_see_schedule_languages_eligibility_cost_access_capacity_and_freshness(
    personas, login, service
):
    response = login(personas.navigator_a).get(f"/directory/services/{service.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "Monday to Friday 09:00\u201317:00",
        "Spanish",
        "Only for: Women, Transgender people",
        "18 and over",
        "Serves people regardless of immigration status",
        "Free of cost",
        "Step-free entrance and lift.",
        "2 openings",
        "waitlist ~5 days",
        "Listing last changed",
        "Last change of each part of the listing",
        "Gender of staff: Women",
        "Area served",
        "West Side (Serves residents of West Side only.)",
    ]:
        assert text in page, text


def test_the_public_sees_the_listing_without_capacity(client, service):
    page = client.get(f"/directory/services/{service.pk}/").content.decode()
    assert "Casa Segura" in page and "Spanish" in page
    assert "Referrals and capacity" not in page and "2 openings" not in page


def test_unknown_service_is_404_for_the_outsider_too(personas, login):
    assert login(personas.outsider_c).get("/directory/services/nope/").status_code == 404
