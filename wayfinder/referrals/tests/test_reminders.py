"""Service-level reminders (django-tasks): 48 h without a reply, 14 days without an update; the
check does nothing once the referral has moved on; e-mails hold no personal data."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from wayfinder.audit.models import AuditEvent
from wayfinder.referrals import actions
from wayfinder.referrals.models import Notification
from wayfinder.referrals.tasks import check_acknowledged, check_stale

# The persona's own values, whole: a fragment such as "555" may turn up inside a UUID in a link.
PERSONAL = (
    "Ana",
    "Rivera",
    "WF-",
    "1996-04-12",
    "555 0100",
    "60601",
    "Civil Legal Aid",
    "Wage",
    "legal",
)


def _assert_no_personal_data(message, referral):
    text = f"{message.subject}\n{message.body}"
    for bit in (*PERSONAL, referral.person.pseudonym, referral.reference):
        assert bit.lower() not in text.lower(), bit
    assert f"/referrals/{referral.pk}/" in message.body


@pytest.fixture
def sent(personas, nav, legal_service, legal_consent, needs, django_capture_on_commit_callbacks):
    from wayfinder.referrals.actions import ReferralRequest, create_referral

    with (
        time_machine.travel(timezone.now(), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        referral = create_referral(
            personas.survivor,
            ReferralRequest(service=legal_service, need_id=needs["legal"].pk),
            actor=nav,
        )
    return referral


def test_sending_schedules_both_checks(sent, settings):
    tasks = {t.task_path.rsplit(".", 1)[1]: t for t in DBTaskResult.objects.order_by("run_after")}
    assert set(tasks) == {"check_acknowledged", "check_stale"}
    assert tasks["check_acknowledged"].run_after == sent.sent_at + timedelta(
        hours=settings.WAYFINDER_REFERRAL_ACK_HOURS
    )
    assert tasks["check_stale"].run_after == sent.sent_at + timedelta(
        days=settings.WAYFINDER_REFERRAL_STALE_DAYS
    )
    assert tasks["check_acknowledged"].args_kwargs["args"] == [str(sent.pk), 1]


def test_the_new_referral_email_holds_no_personal_data(sent, personas):
    assert [m.to for m in mail.outbox] == [[personas.lawyer_b.email]]
    _assert_no_personal_data(mail.outbox[0], sent)
    assert "new referral" in mail.outbox[0].subject.lower()


def test_an_unacknowledged_referral_reminds_both_sides(
    sent, personas, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with (
        time_machine.travel(sent.sent_at + timedelta(hours=49), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert check_acknowledged.call(str(sent.pk), sent.version) is True
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas.lawyer_b.email, personas.navigator_a.email]
    )
    for message in mail.outbox:
        _assert_no_personal_data(message, sent)
        assert "waiting for a reply" in message.subject
    kinds = set(Notification.objects.filter(kind="not_acknowledged").values_list(
        "recipient_agency_id", "recipient_user_id"))  # fmt: skip
    assert kinds == {(personas.legal.pk, None), (None, personas.navigator_a.pk)}
    assert AuditEvent.objects.get(action="referral.reminder").detail["kind"] == "not_acknowledged"
    assert sent.events.filter(kind="reminder").count() == 1


def test_the_check_does_nothing_once_the_referral_moved_on(
    sent, lawyer, django_capture_on_commit_callbacks
):
    actions.accept_referral(sent, actor=lawyer)
    mail.outbox.clear()
    with (
        time_machine.travel(sent.sent_at + timedelta(hours=49), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert check_acknowledged.call(str(sent.pk), 1) is False
        assert check_stale.call(str(sent.pk), 1) is False
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="referral.reminder").exists()


def test_no_update_for_fourteen_days_reminds(sent, lawyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        accepted = actions.accept_referral(sent, actor=lawyer)
    mail.outbox.clear()
    with (
        time_machine.travel(accepted.last_activity_at + timedelta(days=15), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert check_stale.call(str(sent.pk), accepted.version) is True
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        _assert_no_personal_data(message, sent)


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_due_check(personas, nav, legal_service, legal_consent):
    """One pass of ``manage.py db_worker`` after 48 h sends the reminder."""
    from wayfinder.referrals.actions import ReferralRequest, create_referral

    start = timezone.now()
    referral = create_referral(personas.survivor, ReferralRequest(service=legal_service), actor=nav)
    assert DBTaskResult.objects.count() == 2  # enqueued on commit
    mail.outbox.clear()
    with time_machine.travel(start + timedelta(hours=47), tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert mail.outbox == []
    with time_machine.travel(start + timedelta(hours=49), tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        _assert_no_personal_data(message, referral)
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
