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


def test_default_is_thirty_minutes_moved_on_at_most_once_a_minute():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False  # SessionTouchMiddleware instead
    assert settings.WAYFINDER_SESSION_TOUCH_SECONDS == 60


def _session_writes(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert is_signed_in(client)
    return sum(
        1
        for q in captured.captured_queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


def test_the_session_is_written_at_most_once_a_minute(client, personas, mfa_off):
    """Not a transaction of its own on every page: the deadline moves on once a minute."""
    from django.contrib.sessions.models import Session

    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client)
        traveller.shift(timedelta(seconds=30))
        assert _session_writes(client) == 0
        traveller.shift(timedelta(seconds=31))  # 61 s after the sign-in wrote it
        assert _session_writes(client) == 1
        session = Session.objects.get()
        assert session.expire_date == START + timedelta(seconds=61, minutes=30)
        traveller.shift(timedelta(seconds=59))
        assert _session_writes(client) == 0


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
