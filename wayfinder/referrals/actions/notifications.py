"""Marking in-app referral notifications read."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from wayfinder.accounts.actor import Actor
from wayfinder.audit.events import record
from wayfinder.referrals.queries import notifications_for


def mark_notifications_read(actor: Actor, ids=None) -> int:
    """Mark the actor's (and their agency's) notifications read; all of them when ``ids`` is None."""
    qs = notifications_for(actor).filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    with transaction.atomic():
        count = qs.update(read_at=timezone.now(), read_by=actor.user)
        if count:
            record(
                "referral.notifications_read",
                category="referrals",
                actor=actor,
                detail={"count": count},
            )
    return count
