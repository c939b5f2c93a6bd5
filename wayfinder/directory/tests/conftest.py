from pathlib import Path

import pytest
from django.conf import settings

from conftest import unavailable


@pytest.fixture(autouse=True)
def _no_mfa_step(request, settings):
    """View tests sign in with ``force_login``; the MFA step has its own tests."""
    if "page" not in request.fixturenames:
        settings.WAYFINDER_REQUIRE_MFA = False


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def external() -> Path:
    """The shared external test data (CI has ``../shared`` beside the repository)."""
    path = Path(settings.BASE_DIR).parent / "shared" / "data" / "external"
    if not (path / "openreferral-specification-hsds-3.0").is_dir():
        unavailable(f"external HSDS test data not found at {path}")
    return path
