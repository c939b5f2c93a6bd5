"""Repeated failed sign-ins are throttled through the shared database cache, with a clear message."""

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from wayfinder.audit.models import AuditEvent
from wayfinder.core.testing import PASSWORD

TOO_MANY = "Too many failed login attempts. Try again later."


def attempt(client, email, password="wrong-password", ip="203.0.113.5"):  # noqa: S107
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def test_the_cache_is_the_database_cache_and_its_table_exists(db):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    cache.set("wf-probe", "ok", 30)
    assert cache.get("wf-probe") == "ok"


def test_five_failures_for_one_account_lock_it_for_a_while(client, personas, mfa_off):
    for _ in range(5):
        response = attempt(client, "navigator.a@example.org")
        assert response.status_code == 200
        assert TOO_MANY not in response.content.decode()
    response = attempt(client, "navigator.a@example.org")
    assert response.status_code == 200  # a form error, not a 429 or 500
    assert TOO_MANY in response.content.decode()
    # Even the right password is refused while the account is throttled ...
    response = attempt(client, "navigator.a@example.org", PASSWORD)
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    # ... but other accounts are not affected.
    response = attempt(client, "admin.a@example.org", PASSWORD, ip="198.51.100.7")
    assert response.status_code == 302


def test_many_failures_from_one_address_are_throttled(client, personas):
    for i in range(10):
        attempt(client, f"nobody{i}@example.org")
    response = attempt(client, "someone-else@example.org")
    assert TOO_MANY in response.content.decode()


def test_failed_sign_ins_are_audited_without_the_typed_email(client, personas):
    before = AuditEvent.objects.filter(action="auth.login_failed").count()
    attempt(client, "navigator.a@example.org")
    events = AuditEvent.objects.filter(action="auth.login_failed").order_by("seq")
    assert events.count() == before + 1
    event = events.last()
    assert event.ip == "203.0.113.5"
    assert event.actor_id is None
    assert "navigator.a" not in repr(event.__dict__)
