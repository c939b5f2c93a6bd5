"""404 and 500 pages say what happened, keep the quick exit, and echo nothing from the request."""

import pytest
from django.test import override_settings

PERSONAL = "ana.rivera@example.org"


@pytest.fixture
def failing_client(client):
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF="wayfinder.accounts.tests.boom_urls"):
        yield client


def test_404_for_a_visitor(client, db):
    response = client.get(f"/no-such-page/{PERSONAL}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert 'id="quick-exit"' in html
    assert PERSONAL not in html and "no-such-page" not in html
    assert 'href="/accounts/login/"' in html


def test_404_for_staff_keeps_their_navigation(client, personas, mfa_off):
    client.force_login(personas.navigator_a)
    response = client.get(f"/accounts/staff/{PERSONAL}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'aria-label="Main"' in html
    assert PERSONAL not in html


def test_404_in_spanish(client, db):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")
    assert "<h1>Página no encontrada</h1>" in response.content.decode()


def test_api_404_is_json(client, db):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_500_shows_nothing_of_the_failure(failing_client, db):
    response = failing_client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html
    assert 'id="quick-exit"' in html and 'href="https://www.weather.gov/"' in html
    for leaked in ("Ana", "Rivera", "1996", "555", "RuntimeError", "Traceback"):
        assert leaked not in html


def test_500_in_spanish(failing_client, db):
    response = failing_client.get("/boom/", HTTP_ACCEPT_LANGUAGE="es")
    assert "<h1>Algo salió mal</h1>" in response.content.decode()


def test_500_falls_back_to_plain_html_if_templates_fail(failing_client, db, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}]
    response = failing_client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
