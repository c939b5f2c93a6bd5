"""/directory/: search and filter the directory; public or signed-in; capacity for members only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from wayfinder.directory.browse.forms import FEATURE_FILTERS
from wayfinder.matching.tests.factories import add_service

URL = "/directory/"
CHICAGO = ZoneInfo("America/Chicago")


def names(response) -> list[str]:
    return [card.service.name for card in response.context["cards"]]


@pytest.fixture
def services(db):
    return [
        add_service(
            "Casa Segura",
            ["housing"],
            at=(41.85, -87.70),
            langs=["spa", "eng"],
            feats={"trauma_informed": True, "staff_gender": "women"},
            cap=(True, 2, 0, 1),
            days="MO,TU,WE,TH,FR",
            hours=("09:00", "17:00"),
        ),
        add_service(
            "Evanston Clinic",
            ["medical"],
            zip="60201",
            langs=["en"],  # ISO 639-1, as some HSDS data has it
            feats={"free_of_cost": True, "interpreter_available": True},
            cap=(False, 0, 30, 1),
            days="SA,SU",
            hours=("10:00", "14:00"),
        ),
        add_service(
            "Hotline",
            ["crisis_intervention"],
            zip=None,
            langs=["eng"],
            days="MO,TU,WE,TH,FR,SA,SU",
            hours=("00:00", "23:59"),
        ),
    ]


def test_anyone_may_browse_when_the_directory_is_public_but_sees_no_capacity(client, services):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Casa Segura", "Evanston Clinic", "Hotline"]
    assert "accepting" not in response.context["form"].fields
    assert b"Accepting referrals" not in response.content
    assert all(card.capacity is None for card in response.context["cards"])


def test_a_private_directory_asks_for_sign_in(client, services, settings):
    settings.WAYFINDER_DIRECTORY_PUBLIC = False
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_members_see_capacity_and_can_filter_on_accepting(personas, login, services):
    client = login(personas.navigator_a)
    response = client.get(URL)
    assert b"Not accepting referrals" in response.content
    assert names(client.get(URL, {"accepting": "on"})) == ["Casa Segura", "Hotline"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"category": "medical"}, ["Evanston Clinic"]),
        ({"language": "spa"}, ["Casa Segura"]),
        ({"language": "eng"}, ["Casa Segura", "Evanston Clinic", "Hotline"]),
        ({"q": "segura"}, ["Casa Segura"]),
        ({"q": "testorg"}, ["Casa Segura", "Evanston Clinic", "Hotline"]),  # organization name
        ({"staff_gender": "women"}, ["Casa Segura"]),
        ({"trauma_informed": "on"}, ["Casa Segura"]),
        ({"free_of_cost": "on", "interpreter_available": "on"}, ["Evanston Clinic"]),
        ({"free_of_cost": "on", "trauma_informed": "on"}, []),
    ],
)
def test_filters(client, services, params, expected):
    assert names(client.get(URL, params)) == expected


@pytest.mark.parametrize("feature", [f.value for f in FEATURE_FILTERS])
def test_every_feature_is_a_filter(client, services, feature):
    add_service("Has it", ["housing"], feats={feature: True})
    shown = names(client.get(URL, {feature: "on"}))
    assert "Has it" in shown and "Hotline" not in shown


def test_distance_from_a_zip_code_or_coordinates_nearest_first(client, services):
    response = client.get(URL, {"near": "60623"})
    assert names(response) == ["Casa Segura", "Evanston Clinic"]  # the hotline has no site
    distances = [card.distance for card in response.context["cards"]]
    assert distances[0] < 1.5 < 10 < distances[1]
    assert names(client.get(URL, {"near": "60623", "radius": "5"})) == ["Casa Segura"]
    assert names(client.get(URL, {"near": "42.05, -87.69", "radius": "2"})) == ["Evanston Clinic"]


def test_a_bad_place_or_a_radius_without_a_place_is_a_form_error(client, services):
    response = client.get(URL, {"near": "Chicago"})
    assert response.status_code == 422
    assert "Enter a US ZIP code" in str(response.context["form"].errors["near"])
    response = client.get(URL, {"radius": "5"})
    assert response.status_code == 422 and "near" in response.context["form"].errors


def test_open_now(client, services):
    monday_10 = datetime(2026, 6, 1, 10, 0, tzinfo=CHICAGO)
    with time_machine.travel(monday_10, tick=False):
        assert names(client.get(URL, {"open_now": "on"})) == ["Casa Segura", "Hotline"]
    sunday_13 = datetime(2026, 6, 7, 13, 0, tzinfo=CHICAGO)
    with time_machine.travel(sunday_13, tick=False):
        assert names(client.get(URL, {"open_now": "on"})) == ["Evanston Clinic", "Hotline"]
    monday_18 = datetime(2026, 6, 1, 18, 0, tzinfo=CHICAGO)
    with time_machine.travel(monday_18, tick=False):
        assert names(client.get(URL, {"open_now": "on"})) == ["Hotline"]


def test_the_number_of_queries_does_not_grow_with_the_page(
    personas, login, services, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(personas.navigator_a)
    client.get(URL)  # sign-in bookkeeping out of the way
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"near": "60623"})
    for i in range(4):
        add_service(f"More {i}", ["housing"], langs=["spa"], feats={"survivor_led": True})
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"near": "60623"})
    assert len(response.context["cards"]) == 6


def test_outsider_gets_404_for_a_service_that_does_not_exist(personas, login, services):
    client = login(personas.outsider_c)
    assert client.get("/directory/services/no-such-service/").status_code == 404
    assert client.get(f"/directory/services/{services[0].pk}/edit/").status_code == 404


def test_a_statewide_count_is_grouped_by_thousands(client, services, monkeypatch, settings):
    """A directory of 10^5 services says "12,345 services.", not "12345 services."; past the
    count's cap, "More than 10,000 services." and pages without a last one."""
    from wayfinder.directory.browse import queries

    settings.WAYFINDER_DIRECTORY_PUBLIC = True
    search_page = queries.search_page

    def counted(count, capped):
        def page(*args, **kwargs):
            found = search_page(*args, **kwargs)
            found.count, found.capped, found.has_next = count, capped, True
            return found

        monkeypatch.setattr(queries, "search_page", page)

    counted(12345, False)
    assert "12,345 services." in client.get(URL).content.decode()
    spanish = client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "12\xa0345 servicios." in spanish and "Página 1 de 494" in spanish
    counted(10_000, True)
    html = client.get(URL).content.decode()
    assert "More than 10,000 services." in html and "<span>Page 1</span>" in html
    spanish = client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Más de 10\xa0000 servicios." in spanish and "<span>Página 1</span>" in spanish


def test_a_text_search_is_planned_for_its_own_words(postgres_only, services):
    """A prepared statement's generic plan, made for any words, slowed the 10^5-service bench's
    text search by half: its reads are never prepared; a search by name alone still is."""
    from django.db import connection
    from django.utils import timezone

    from wayfinder.core.testing import prepared_statements
    from wayfinder.directory.browse.queries import search_page

    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    for _ in range(threshold + 2):
        found = search_page({"q": "segura"}, members=True, now=timezone.now())
        search_page({}, members=True, now=timezone.now())
    assert found.count == 1
    prepared = [s for s in prepared_statements() if '"directory_service"' in s]
    assert prepared, "the search by name alone is prepared"
    assert not any("LIKE" in s for s in prepared)
