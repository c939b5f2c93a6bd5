"""The services-delivered panel on the person's page."""

from __future__ import annotations

from wayfinder.delivery.queries import visible_services


def person_panel(request, access) -> dict | None:
    if not request.actor.is_casework:
        return None
    return {
        "template": "delivery/person_panel.html",
        "context": {"person": access.person, "rows": visible_services(access, limit=3)},
        "order": 45,
    }
