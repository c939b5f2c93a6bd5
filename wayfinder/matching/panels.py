"""The "Find services" panel on a person's page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wayfinder.assessments.models import ACTIVE_NEED_STATUSES, Need, need_priority
from wayfinder.assessments.queries import can_see_need

# What the panel shows and sorts by (``open_needs`` loads every column and the source session).
PANEL_FIELDS = ("category", "urgency", "status", "created_at")


def panel_needs(access) -> list[Need]:
    """``open_needs(access)`` with only the columns the panel uses: the same needs, same order.

    Open and in-progress needs only, so ``open_needs``' order is ``need_priority`` alone (its
    met/declined key is False for all of them); tests/test_panels.py keeps the two equal.
    """
    needs = Need.objects.filter(person_id=access.person.pk, status__in=ACTIVE_NEED_STATUSES)
    return sorted(
        (n for n in needs.only(*PANEL_FIELDS) if can_see_need(access, n)), key=need_priority
    )


def person_panel(request, access) -> dict | None:
    """Open needs this reader may see, and the way to services for them."""
    if not access.can("needs"):
        return None
    return {
        "template": "matching/panel.html",
        "title": _("Services for open needs"),
        "anchor": "services-for-needs",  # its section's id: "On this page" links to it
        "context": {"person": access.person, "open_needs": panel_needs(access)},
        "order": 40,
    }
