import pytest
from django.test import Client

from wayfinder.consent.tests.factories import on_team


@pytest.fixture(autouse=True)
def _no_mfa_for_view_tests(request, settings):
    """View tests sign in with ``force_login``; the MFA step has its own tests (accounts app)."""
    if "page" not in request.fixturenames:
        settings.WAYFINDER_REQUIRE_MFA = False


@pytest.fixture
def lawyer_on_team(personas):
    """``lawyer_b`` (Justice Bridge Legal Aid) has a place on the survivor's care team."""
    return on_team(personas, personas.lawyer_b, personas.legal)


@pytest.fixture
def web(personas):
    """A signed-in browser-less client per persona: ``web(personas.lawyer_b)``."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api(personas):
    """``api(personas.lawyer_b)`` → a JSON client with a fresh token of that user."""
    from wayfinder.consent.tests.factories import Api

    return lambda user: Api(personas, user)
