"""Service-level reminders, run by the django-tasks database worker (``manage.py db_worker``).

Each transition enqueues checks with ``run_after`` for the referral's version at that moment; a
check does nothing when the referral has moved on since (another version, or another status).
"""

from __future__ import annotations

from django_tasks import task

from wayfinder.referrals.models import NotificationKind
from wayfinder.referrals.reminders import send_reminder


@task()
def check_acknowledged(referral_id: str, version: int) -> bool:
    """Not accepted or declined within ``WAYFINDER_REFERRAL_ACK_HOURS``: remind both sides."""
    return send_reminder(referral_id, version, NotificationKind.NOT_ACKNOWLEDGED)


@task()
def check_stale(referral_id: str, version: int) -> bool:
    """No update for ``WAYFINDER_REFERRAL_STALE_DAYS`` on an open referral: remind both sides."""
    return send_reminder(referral_id, version, NotificationKind.STALE)
