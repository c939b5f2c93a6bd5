"""The portal on the person's page: invite the person, and what they asked from the portal."""

from __future__ import annotations

from wayfinder.portal.models import PortalAccount, PortalNotice


def person_panel(request, access) -> dict | None:
    """For casework staff of the owning agency only."""
    if not access.is_owner or not request.actor.is_casework:
        return None
    account = PortalAccount.objects.filter(person=access.person).first()
    notices = list(PortalNotice.objects.filter(person=access.person)[:5])
    return {
        "template": "portal/person_panel.html",
        "context": {"person": access.person, "account": account, "notices": notices},
        "order": 45,
    }
