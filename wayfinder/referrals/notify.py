"""Notifications about referrals: a row in the app, and an e-mail that holds no personal data.

The e-mail only says that something happened and links to the referral (a UUID URL, behind
sign-in): no name, no record code, no service, nothing a shared inbox or a stolen phone could
give away. Rows are written inside the action's transaction; e-mails go out on commit.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wayfinder.accounts.models import CASEWORK_ROLES, Agency, User
from wayfinder.referrals.models import Notification, NotificationKind, Referral

logger = logging.getLogger(__name__)


def agency_staff(agency: Agency) -> list[User]:
    """Active casework staff of an active agency: who hears about its referrals."""
    if agency is None or not agency.is_active:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            memberships__agency=agency,
            memberships__is_active=True,
            memberships__role__in=CASEWORK_ROLES,
        )
        .distinct()
        .order_by("pk")
    )


def _subject_and_body(kind: str) -> tuple[str, str]:
    subjects: dict[str, str] = {
        NotificationKind.NEW_REFERRAL: _("You have a new referral in Wayfinder"),
        NotificationKind.STATUS_CHANGED: _("A referral changed in Wayfinder"),
        NotificationKind.UPDATE: _("A referral has an update in Wayfinder"),
        NotificationKind.NOT_ACKNOWLEDGED: _("A referral is waiting for a reply in Wayfinder"),
        NotificationKind.STALE: _("A referral has had no update for a while in Wayfinder"),
        NotificationKind.CONSENT_WITHDRAWN: _(
            "A referral is on hold in Wayfinder: consent was withdrawn"
        ),
    }
    subject = str(subjects[kind])
    body = "\n\n".join(
        [
            subject + ".",
            _("Open it here (you will be asked to sign in):") + "\n{url}",
            _("For everyone's safety this e-mail holds no personal information."),
        ]
    )
    return subject, body


def _messages(referral_id, kind: str, users: list[User]) -> list[EmailMessage]:
    url = settings.WAYFINDER_SITE_URL.rstrip("/") + reverse("referral_detail", args=[referral_id])
    out = []
    for user in users:
        if not user.email:
            continue
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject, body = _subject_and_body(kind)
        out.append(
            EmailMessage(
                subject=subject,
                body=body.format(url=url),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
            )
        )
    return out


def send_emails(referral_id, kind: str, user_ids: list[int]) -> int:
    """Send the notice e-mails now (called on commit, or from a reminder task). Returns the count."""
    users = list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))
    messages = _messages(referral_id, kind, users)
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # a mail server problem must not undo the referral; the app row remains
        logger.exception("referral notice e-mail failed (referral %s, kind %s)", referral_id, kind)
        return 0


def notify(
    referral: Referral,
    kind: str,
    *,
    agency: Agency | None = None,
    user: User | None = None,
    exclude_user: User | None = None,
) -> Notification | None:
    """One in-app notification (for an agency or a user) and, on commit, the e-mails."""
    if agency is None and user is None:
        return None
    notification = Notification.objects.create(
        recipient_agency=agency if user is None else None,
        recipient_user=user,
        kind=kind,
        referral=referral,
        status=referral.status,
    )
    if user is not None:
        users = [user]
    else:
        assert agency is not None  # returned above when neither is given
        users = agency_staff(agency)
    user_ids = [u.pk for u in users if exclude_user is None or u.pk != exclude_user.pk]
    if user_ids:
        referral_id = referral.pk
        transaction.on_commit(lambda: send_emails(referral_id, kind, user_ids))
    return notification
