"""Every page about a person is a 404 for anyone the gate refuses, whatever the method."""

import pytest

from wayfinder.people.tests.helpers import person_urls


@pytest.fixture
def member(personas):
    return personas.survivor.care_team.get()


@pytest.mark.parametrize("user", ["outsider_c", "analyst", "network_admin", "lawyer_b"])
def test_refused_users_get_404_on_every_person_page(personas, login, member, user):
    client = login(getattr(personas, user))
    for name, (method, url) in person_urls(personas.survivor, member).items():
        response = getattr(client, method)(url, HTTP_HX_REQUEST="true" if "team" in name else "")
        assert response.status_code == 404, name


def test_refused_users_change_nothing(personas, login, member):
    """A refused POST neither adds to, removes from nor changes the care team."""
    client = login(personas.outsider_c)
    urls = person_urls(personas.survivor, member)
    client.post(urls["team_remove"][1])
    client.post(urls["forget_post"][1], {"code": personas.survivor.pseudonym})
    member.refresh_from_db()
    personas.survivor.refresh_from_db()
    assert member.is_lead and not personas.survivor.is_forgotten


def test_navigator_may_not_see_admin_pages(personas, login):
    """Access history and forgetting are for agency admins of the owning agency only."""
    client = login(personas.navigator_a)
    urls = person_urls(personas.survivor)
    assert client.get(urls["history"][1]).status_code == 404
    assert client.get(urls["forget"][1]).status_code == 404
    assert client.get(urls["detail"][1]).status_code == 200


def test_unknown_person_is_404(personas, login):
    import uuid

    from django.urls import reverse

    client = login(personas.navigator_a)
    assert client.get(reverse("person_detail", args=[uuid.uuid4()])).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(personas, client):
    for _name, (method, url) in person_urls(personas.survivor).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
