import pytest


@pytest.fixture(autouse=True)
def _no_mfa_step(request, settings):
    """View tests sign in with ``force_login``; the MFA step has its own tests (browser test)."""
    if "page" not in request.fixturenames:
        settings.WAYFINDER_REQUIRE_MFA = False


@pytest.fixture
def login(client):
    """Sign ``user`` in on the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
