"""/matching/person/<id>/: "Find services" with reasons, from the person's page, leading to Refer."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from wayfinder.audit.models import AuditEvent
from wayfinder.directory.actions import update_capacity
from wayfinder.matching.tests.factories import add_service


def url(person) -> str:
    return f"/matching/person/{person.pk}/"


def rows_of(response) -> list[dict]:
    """Every result row on the page, need by need (shown first, then the folded ones)."""
    return [r for g in response.context["groups"] for r in (*g["shown"], *g["more"])]


@pytest.fixture
def directory(db):
    return {
        "near": add_service(
            "Casa Segura", ["housing"], at=(41.8858, -87.63), langs=["spa"], cap=(True, 2, 0, 1)
        ),
        "far": add_service(
            "Evanston Rooms", ["housing"], zip="60201", langs=["eng"], cap=(True, 0, 10, 1)
        ),
    }


def test_person_page_links_to_find_services(personas, login, housing_need):
    page = login(personas.navigator_a).get(f"/people/{personas.survivor.pk}/")
    assert url(personas.survivor).encode() in page.content


def test_navigator_sees_ranked_results_with_reasons_and_refer_links(
    personas, login, housing_need, directory
):
    response = login(personas.navigator_a).get(url(personas.survivor))
    assert response.status_code == 200
    rows = rows_of(response)
    assert [r["service"].name for r in rows] == ["Casa Segura", "Evanston Rooms"]
    texts = [text for _reason, text in rows[0]["reasons"]]
    assert "Speaks Spanish" in texts and "2 openings now" in texts
    assert "Waitlist ~10 days" in [text for _r, text in rows[1]["reasons"]]
    near = directory["near"]
    expected = f"/referrals/new/{personas.survivor.pk}/{near.pk}/{housing_need.pk}/"
    assert rows[0]["refer_url"] == expected
    assert expected.encode() in response.content
    assert AuditEvent.objects.filter(action="matching.run").count() == 1


def test_without_the_referral_workflow_there_is_no_refer_button(
    personas, login, housing_need, directory, monkeypatch
):
    from django.urls import NoReverseMatch

    import wayfinder.matching.views as views

    def missing(*args, **kwargs):
        raise NoReverseMatch

    monkeypatch.setattr(views, "reverse", missing)
    response = login(personas.navigator_a).get(url(personas.survivor))
    assert all(r["refer_url"] is None for r in rows_of(response))
    assert b">Refer<" not in response.content


def test_options_by_post_with_htmx_return_only_the_results(
    personas, login, housing_need, directory
):
    response = login(personas.navigator_a).post(
        url(personas.survivor), {"near": "60201", "radius": "5"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"<html" not in response.content and b'id="match-results"' in response.content
    assert b"Evanston Rooms" in response.content and b"Casa Segura" not in response.content
    assert b"Distances from the place you entered." in response.content


def test_a_bad_place_is_a_form_error(personas, login, housing_need, directory):
    client = login(personas.navigator_a)
    response = client.post(url(personas.survivor), {"near": "nowhere"})
    assert response.status_code == 422
    assert "near" in response.context["form"].errors
    response = client.post(url(personas.survivor), {"near": "nowhere"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps only 2xx: the errors must still show
    assert b"Enter a US ZIP code" in response.content and b"<html" not in response.content


def test_a_partner_capacity_change_shows_in_the_match(personas, login, housing_need, directory):
    client = login(personas.navigator_a)
    assert "Casa Segura" in [r["service"].name for r in rows_of(client.get(url(personas.survivor)))]
    update_capacity(directory["near"], actor=None, accepting_referrals=False)
    response = client.get(url(personas.survivor))
    rows = rows_of(response)
    # Still listed, after the services that accept, and marked as the referral form marks it.
    assert [(r["service"].name, r["accepting"]) for r in rows] == [
        ("Evanston Rooms", True),
        ("Casa Segura", False),
    ]
    assert response.content.count(b"Not accepting referrals at present") == 1


def test_a_partner_sees_the_services_but_no_refer_button(
    personas, login, housing_need, directory, share_with_lawyer
):
    """Only the owning agency sends referrals (the create page is a 404 to a partner), so a
    partner shown the person's needs sees the services, and who to tell, without a Refer."""
    share_with_lawyer(["needs"])
    response = login(personas.lawyer_b).get(url(personas.survivor))
    assert response.status_code == 200
    rows = rows_of(response)
    assert [r["service"].name for r in rows] == ["Casa Segura", "Evanston Rooms"]
    assert all(r["refer_url"] is None for r in rows)
    page = response.content.decode()
    assert "/referrals/new/" not in page and ">Refer<" not in page
    assert "Referrals for this person are sent by Harbor Light Alliance." in page
    # The navigator of the owning agency is not told to tell themselves.
    own = login(personas.navigator_a).get(url(personas.survivor)).content.decode()
    assert "Referrals for this person are sent by" not in own and ">Refer<" in own
    client = login(personas.lawyer_b)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    spanish = client.get(url(personas.survivor)).content.decode()
    assert "Las derivaciones de esta persona las envía Harbor Light Alliance." in spanish


@pytest.mark.parametrize("who", ["outsider_c", "analyst", "lawyer_b"])
def test_outsiders_get_404(personas, login, housing_need, directory, who):
    assert login(getattr(personas, who)).get(url(personas.survivor)).status_code == 404
    assert not AuditEvent.objects.filter(action="matching.run").exists()


def test_unknown_person_is_404(personas, login):
    assert login(personas.navigator_a).get(f"/matching/person/{uuid.uuid4()}/").status_code == 404


def test_no_open_needs_says_so(personas, login, directory):
    response = login(personas.navigator_a).get(url(personas.survivor))
    assert b"no open needs" in response.content
    assert not AuditEvent.objects.filter(action="matching.run").exists()
