"""Role-grant notices to an agency's admins: an e-mail that holds no personal data.

It only says that a role was granted (or is waiting for approval) at the reader's agency, and
links to the Staff page behind sign-in, where the role-grant list is the in-app notice.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wayfinder.accounts.models import User

logger = logging.getLogger(__name__)


def _subject(kind: str) -> str:
    return {
        "granted": _("A role was granted at your agency in Wayfinder"),
        "pending": _("A role at your agency is waiting for your approval in Wayfinder"),
        "approved": _("A role was granted at your agency in Wayfinder"),
        "refused": _("A role request at your agency was refused in Wayfinder"),
    }[kind]


def messages_for(kind: str, users: list[User]) -> list[EmailMessage]:
    url = settings.WAYFINDER_SITE_URL.rstrip("/") + reverse("staff_list")
    out = []
    for user in users:
        if not user.email:
            continue
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _subject(kind)
            body = "\n\n".join(
                [
                    subject + ".",
                    _("See it on the Staff page (you will be asked to sign in):") + f"\n{url}",
                    _("For everyone's safety this e-mail holds no personal information."),
                ]
            )
        out.append(
            EmailMessage(
                subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
            )
        )
    return out


def send_role_notice(kind: str, user_ids: list[int]) -> int:
    """Send the notices now (on commit). A mail failure must not undo the grant: the row stays."""
    users = list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))
    messages = messages_for(kind, users)
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        logger.exception("role notice e-mail failed (kind %s)", kind)
        return 0
