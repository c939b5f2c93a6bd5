"""Scheduling the service-level reminders when a referral is sent or moves (on commit).

The checks themselves run in the worker: ``referrals.tasks`` calls ``referrals.reminders``.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wayfinder.referrals import tasks
from wayfinder.referrals.models import OPEN_STATUSES, Referral

logger = logging.getLogger(__name__)


def schedule_reminders(referral_id, version: int, *, acknowledge: bool) -> None:
    """Enqueue the service-level checks for this version of the referral (django-tasks)."""
    now = timezone.now()
    try:
        if acknowledge:
            tasks.check_acknowledged.using(
                run_after=now + timedelta(hours=settings.WAYFINDER_REFERRAL_ACK_HOURS)
            ).enqueue(str(referral_id), version)
        tasks.check_stale.using(
            run_after=now + timedelta(days=settings.WAYFINDER_REFERRAL_STALE_DAYS)
        ).enqueue(str(referral_id), version)
    except Exception:  # the queue being down must not undo a referral; the inbox still flags it
        logger.exception("could not schedule referral reminders for %s", referral_id)


def remind_after_commit(referral: Referral, *, acknowledge: bool = False) -> None:
    if referral.status in OPEN_STATUSES:
        rid, version = referral.pk, referral.version
        transaction.on_commit(lambda: schedule_reminders(rid, version, acknowledge=acknowledge))
