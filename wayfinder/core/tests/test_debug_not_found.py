"""The demo runs with DEBUG on; a 404 there is still the real page, with quick exit."""

from django.conf import settings
from django.test import override_settings

REAL = [*settings.MIDDLEWARE, "wayfinder.core.middleware.RealNotFoundMiddleware"]


@override_settings(DEBUG=True, MIDDLEWARE=REAL)
def test_an_unknown_address_shows_the_real_404_page_under_debug(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'id="quick-exit"' in body and "DEBUG = True" not in body
    assert "URLconf" not in body  # no list of the URL patterns


@override_settings(DEBUG=True, MIDDLEWARE=REAL, WAYFINDER_REQUIRE_MFA=False)
def test_a_record_that_is_not_there_shows_the_real_404_page_under_debug(personas, client):
    client.force_login(personas.navigator_a)
    response = client.get("/people/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404 and 'id="quick-exit"' in response.content.decode()


@override_settings(DEBUG=True, MIDDLEWARE=REAL)
def test_the_api_keeps_its_coded_json_404_under_debug(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and "DEBUG = True" not in response.content.decode()


@override_settings(DEBUG=True)
def test_without_the_middleware_django_would_show_its_technical_page(client):
    """What the middleware replaces (so the tests above can fail)."""
    assert "DEBUG = True" in client.get("/no-such-page/").content.decode()
