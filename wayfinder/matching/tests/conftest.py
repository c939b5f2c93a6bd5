import pytest

from wayfinder.api.tests.conftest import api_as, issue_token  # noqa: F401 - shared fixtures
from wayfinder.assessments.actions import add_need


@pytest.fixture(autouse=True)
def _no_mfa_step(request, settings):
    """View tests sign in with ``force_login``; the MFA step has its own tests."""
    if "page" not in request.fixturenames:
        settings.WAYFINDER_REQUIRE_MFA = False


@pytest.fixture
def housing_need(personas):
    """An open housing need of the survivor (Spanish, then English; a woman; ZIP 60601)."""
    return add_need(
        personas.survivor,
        actor=personas.actor(personas.navigator_a),
        category="housing",
        urgency="high",
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
