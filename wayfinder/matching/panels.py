"""The "Find services" panel on a person's page."""

from __future__ import annotations

from wayfinder.assessments.queries import open_needs


def person_panel(request, access) -> dict | None:
    """Open needs this reader may see, and the way to services for them."""
    if not access.can("needs"):
        return None
    return {
        "template": "matching/panel.html",
        "context": {"person": access.person, "open_needs": open_needs(access)},
        "order": 40,
    }
