"""A failing request is logged with its exception type and traceback, never the exception's message."""

import logging

import pytest
from django.test import override_settings

SECRET = "Ana Rivera 1996-04-12"


@pytest.fixture
def captured():
    """The console handler's own formatting, as an operator would read it."""
    records = []
    handler = next(h for h in logging.getLogger().handlers if h.filters)

    class Keep(logging.Handler):
        def emit(self, record):
            for f in handler.filters:
                f.filter(record)
            records.append(self.format(record))

    keep = Keep()
    logging.getLogger("django.request").addHandler(keep)
    yield records
    logging.getLogger("django.request").removeHandler(keep)


def test_exception_message_is_withheld_from_logs(client, db, captured):
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF="wayfinder.core.tests.boom_urls"):
        response = client.get("/boom/")
    assert response.status_code == 500
    text = "\n".join(captured)
    assert "RuntimeError" in text and "Traceback" in text
    assert "Ana" not in text and "1996" not in text


def test_allauth_email_management_is_closed(login, personas, mfa_off):
    """Staff cannot add a second e-mail address: admins manage addresses through invitations."""
    client = login(personas.navigator_a)
    assert client.get("/accounts/email/").status_code == 404
