"""Plan panels: overdue steps on the dashboard, a plan summary on the person's page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wayfinder.plans import queries
from wayfinder.plans.queries import can_see_plan, plan_summary


def overdue_steps(request) -> dict | None:
    """Steps past their due date on the actor's caseload or assigned to them (casework only)."""
    actor = request.actor
    if actor.agency is None or not actor.is_casework:
        return None
    return {
        "template": "plans/overdue_panel.html",
        "context": {"rows": queries.overdue_steps(actor)},
        "order": 40,
    }


def person_panel(request, access) -> dict | None:
    """How many goals the person is working on, and how many steps are late (visible ones only)."""
    if not can_see_plan(access):
        return None
    goal_count, overdue = plan_summary(access)
    return {
        "template": "plans/person_panel.html",
        "title": _("Plan"),
        "anchor": "plan",  # its section's id: "On this page" links to it
        "context": {"person": access.person, "goal_count": goal_count, "overdue_count": overdue},
        "order": 40,
    }
