"""Plan panels: overdue steps on the dashboard, a plan summary on the person's page."""

from __future__ import annotations

from django.utils import timezone

from wayfinder.plans import queries
from wayfinder.plans.models import GoalStatus, Step, StepStatus
from wayfinder.plans.queries import can_see_plan, visible_goals


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
    goals = [g for g in visible_goals(access) if g.status == GoalStatus.ACTIVE]
    overdue = Step.objects.filter(
        goal__in=goals, status=StepStatus.OPEN, due_on__lt=timezone.localdate()
    ).count()
    return {
        "template": "plans/person_panel.html",
        "context": {"person": access.person, "goal_count": len(goals), "overdue_count": overdue},
        "order": 40,
    }
