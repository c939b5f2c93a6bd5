"""An idle session ends after 30 minutes; every request moves the deadline on."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.urls import reverse

from wayfinder.core.testing import PASSWORD

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def sign_in(client):
    response = client.post(
        reverse("account_login"), {"login": "navigator.a@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302


def is_signed_in(client) -> bool:
    response = client.get(reverse("my_account"))
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    return False


def test_default_is_thirty_minutes_and_saved_on_every_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_session_ends_after_31_idle_minutes(client, personas, mfa_off):
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client)
        traveller.shift(timedelta(minutes=31))
        assert not is_signed_in(client)


def test_session_survives_29_idle_minutes_and_activity_extends_it(client, personas, mfa_off):
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client)
        traveller.shift(timedelta(minutes=29))
        assert is_signed_in(client)
        # 58 minutes after sign-in, but only 29 after the last request.
        traveller.shift(timedelta(minutes=29))
        assert is_signed_in(client)
        traveller.shift(timedelta(minutes=31))
        assert not is_signed_in(client)
