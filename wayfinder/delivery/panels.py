"""The services-delivered panel on the person's page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wayfinder.core.service_categories import ServiceCategory
from wayfinder.delivery.queries import latest_services

KINDS = dict(ServiceCategory.choices)  # what ``get_category_display`` shows


def person_panel(request, access) -> dict | None:
    if not request.actor.is_casework:
        return None
    rows = [
        (when, KINDS.get(kind, kind), agency) for when, kind, agency in latest_services(access, 3)
    ]
    return {
        "template": "delivery/person_panel.html",
        "title": _("Services delivered"),
        "anchor": "services-delivered",  # its section's id: "On this page" links to it
        "context": {"person": access.person, "rows": rows},
        "order": 45,
    }
