import pytest


@pytest.fixture(autouse=True)
def _one_step_sign_in(request):
    """Page tests sign in with one step (two-step sign-in has its own tests); browser tests decide."""
    if request.node.get_closest_marker("browser") is None:
        request.getfixturevalue("mfa_off")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded materials go to a temporary folder, not the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
