"""The consent panel on a person's page: who may see what, until when."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wayfinder.consent.queries import panel_consents


def person_panel(request, access) -> dict | None:
    """Active consents (all at the owning agency; a partner sees only its own), and a link to the history."""
    actor = request.actor
    consents = panel_consents(actor, access)
    now = timezone.now()
    active = [c for c in consents if c.is_active(now)]
    return {
        "template": "consent/panel.html",
        "title": _("Consent to share"),
        "anchor": "consent",  # its section's id: "On this page" links to it
        "context": {
            "person": access.person,
            "active": active,
            "ended_count": sum(1 for c in consents if c.ended_at <= now or c.revoked_at),
            "can_record": access.is_owner and actor.is_casework,
        },
        "order": 30,
    }
