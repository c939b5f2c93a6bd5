"""The portal on the person's page: invite the person, and what they asked from the portal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wayfinder.people.models import Person
from wayfinder.portal.models import NoticeKind

NOTICES_SHOWN = 5
NOTICE_KINDS = dict(NoticeKind.choices)  # what ``get_kind_display`` shows


@dataclass(frozen=True)
class AccountState:
    """What the panel says of the person's portal account (never its secrets)."""

    locked_at: datetime | None
    has_secret: bool  # a PIN or passphrase is set
    last_sign_in_at: datetime | None


def portal_state(
    person: Person,
) -> tuple[AccountState | None, list[tuple[datetime, str | Promise]]]:
    """The person's portal account (or None) and their newest notices, (when, kind label).

    One query: the person joined to their account (one-to-one) and to their notices, newest
    first, as ``PortalNotice``'s ordering; a person without notices gives one row with none.
    """
    rows = list(
        Person.objects.filter(pk=person.pk)
        .order_by("-portal_notices__created_at", "portal_notices__pk")
        .values_list(
            "portal_account__pk",
            "portal_account__locked_at",
            "portal_account__secret_hash",
            "portal_account__last_sign_in_at",
            "portal_notices__created_at",
            "portal_notices__kind",
        )[:NOTICES_SHOWN]
    )
    account = None
    if rows and rows[0][0] is not None:
        _pk, locked_at, secret_hash, last_sign_in_at = rows[0][:4]
        account = AccountState(locked_at, bool(secret_hash), last_sign_in_at)
    notices: list[tuple[datetime, str | Promise]] = [
        (at, NOTICE_KINDS.get(kind, kind)) for *_a, at, kind in rows if at is not None
    ]
    return account, notices


def person_panel(request, access) -> dict | None:
    """For casework staff of the owning agency only."""
    if not access.is_owner or not request.actor.is_casework:
        return None
    account, notices = portal_state(access.person)
    return {
        "template": "portal/person_panel.html",
        "title": _("Survivor portal"),
        "anchor": "survivor-portal",  # its section's id: "On this page" links to it
        "context": {"person": access.person, "account": account, "notices": notices},
        "order": 45,
    }
