"""Panels for other apps' pages: the dashboard's referral counts and the person's referrals."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wayfinder.referrals import queries


def inbox_panel(request) -> dict | None:
    """Counts only (new, overdue, waiting): no names, no record codes."""
    actor = request.actor
    if actor.agency is None or not actor.is_casework:
        return None
    return {
        "template": "referrals/inbox_panel.html",
        "context": {"counts": queries.counts(actor)},
        "order": 20,
    }


def person_panel(request, access) -> dict | None:
    """The person's referrals (all at the owning agency, a partner's own ones elsewhere): every
    open one and the most recent finished ones; the rest are on the full list."""
    actor = request.actor
    rows, left = queries.panel_referrals(actor, access)
    if not access.is_owner and not rows:
        return None
    return {
        "template": "referrals/person_panel.html",
        "title": _("Referrals"),
        "anchor": "referrals",  # its section's id: "On this page" links to it
        "context": {
            "person": access.person,
            "rows": rows,
            "left": left,
            "can_refer": access.is_owner,
        },
        "order": 40,
    }
