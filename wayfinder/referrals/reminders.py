"""The service-level reminder check itself, run by the worker (``referrals.tasks``).

It lives outside ``referrals.actions`` on purpose: the actions enqueue the tasks, and the tasks
call this, so keeping it apart keeps the imports one-way (actions → tasks → reminders).
"""

from __future__ import annotations

from django.db import transaction

from wayfinder.audit.events import record
from wayfinder.referrals import notify
from wayfinder.referrals.models import (
    OPEN_STATUSES,
    Delivery,
    EventKind,
    NotificationKind,
    Referral,
    ReferralEvent,
    Status,
)


@transaction.atomic
def send_reminder(referral_id, version: int, kind: str) -> bool:
    """The 48-hour / 14-day check: notify both sides unless the referral has moved on since."""
    row = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("person", "recipient_agency", "sending_agency", "created_by")
        .filter(pk=referral_id)
        .first()
    )
    if row is None or row.version != version or row.person.is_forgotten:
        return False
    if kind == NotificationKind.NOT_ACKNOWLEDGED and row.status != Status.REQUESTED:
        return False
    if kind == NotificationKind.STALE and row.status not in OPEN_STATUSES:
        return False
    ReferralEvent.objects.create(referral=row, kind=EventKind.REMINDER)
    record(
        "referral.reminder",
        category="referrals",
        obj=row,
        person=row.person,
        via="task",
        detail={"kind": kind, "version": version, "status": row.status},
    )
    if row.delivery == Delivery.NETWORK:
        notify.notify(row, kind, agency=row.recipient_agency)
    if row.created_by is not None and row.created_by.is_active:
        notify.notify(row, kind, user=row.created_by)
    else:
        notify.notify(row, kind, agency=row.sending_agency)
    return True
