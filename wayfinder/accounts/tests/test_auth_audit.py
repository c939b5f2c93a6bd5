"""Sign-ins, failed sign-ins, sign-outs and two-step changes are in the audit trail."""

from django.urls import reverse

from wayfinder.accounts.tests.conftest import give_totp, totp_code
from wayfinder.audit.events import verify
from wayfinder.audit.models import AuditEvent
from wayfinder.core.testing import PASSWORD


def actions_since(seq):
    return list(AuditEvent.objects.filter(seq__gt=seq).values_list("action", flat=True))


def last_seq():
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_sign_in_and_sign_out_are_recorded(client, personas, mfa_off):
    start = last_seq()
    client.post(
        reverse("account_login"),
        {"login": "navigator.a@example.org", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )
    client.post(reverse("account_logout"), REMOTE_ADDR="192.0.2.10")
    events = list(AuditEvent.objects.filter(seq__gt=start))
    assert [e.action for e in events] == ["auth.login", "auth.logout"]
    for e in events:
        assert e.actor_id == personas.navigator_a.pk
        assert e.ip == "192.0.2.10"
        assert e.category == "auth"
    assert verify().ok


def test_failed_sign_in_records_no_email(client, personas):
    start = last_seq()
    client.post(reverse("account_login"), {"login": "who.is.this@example.org", "password": "x"})
    (event,) = AuditEvent.objects.filter(seq__gt=start)
    assert event.action == "auth.login_failed"
    assert event.actor_id is None
    assert "who.is.this" not in repr(event.__dict__)


def test_setting_up_and_removing_totp_is_recorded(
    client, personas, django_capture_on_commit_callbacks
):
    client.post(
        reverse("account_login"), {"login": "navigator.a@example.org", "password": PASSWORD}
    )
    page = client.get(reverse("mfa_activate_totp"))
    start = last_seq()
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        client.post(reverse("mfa_activate_totp"), {"code": totp_code(page.context["form"].secret)})
    added = AuditEvent.objects.filter(seq__gt=start, action="mfa.added")
    assert sorted(e.detail["type"] for e in added) == ["recovery_codes", "totp"]
    assert {e.actor_id for e in added} == {personas.navigator_a.pk}
    start = last_seq()
    client.post(reverse("mfa_deactivate_totp"))
    removed = AuditEvent.objects.filter(seq__gt=start, action="mfa.removed")
    assert sorted(e.detail["type"] for e in removed) == ["recovery_codes", "totp"]


def test_wrong_second_step_code_is_recorded(client, personas):
    give_totp(personas.navigator_a)
    client.post(
        reverse("account_login"), {"login": "navigator.a@example.org", "password": PASSWORD}
    )
    start = last_seq()
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert actions_since(start) == ["mfa.failed"]
    event = AuditEvent.objects.get(seq__gt=start)
    assert event.actor_id == personas.navigator_a.pk
    assert "000000" not in repr(event.__dict__)


def test_regenerating_recovery_codes_is_recorded(
    client, personas, django_capture_on_commit_callbacks
):
    secret = give_totp(personas.navigator_a)
    client.post(
        reverse("account_login"), {"login": "navigator.a@example.org", "password": PASSWORD}
    )
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    start = last_seq()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    assert actions_since(start) == ["mfa.reset"]
