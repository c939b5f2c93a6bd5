"""Dashboard panel: the next case conference the user attends (no person named)."""

from __future__ import annotations

from django.utils import timezone

from wayfinder.conferences import queries
from wayfinder.conferences.models import MeetingStatus


def next_meeting(request) -> dict | None:
    if request.actor.agency is None:
        return None
    meeting = (
        queries.meetings_for(request.user)
        .filter(status=MeetingStatus.OPEN, ends_at__gte=timezone.now())
        .first()
    )
    if meeting is None:
        return None
    return {
        "template": "conferences/next_panel.html",
        "context": {"meeting": meeting},
        "order": 45,
    }


# --- Follow-up (issue 12, part B) ---


def tasks(request) -> dict | None:
    """Conference tasks: open action items not in a plan, owned by the user or their agency."""
    actor = request.actor
    if actor.agency is None or not actor.is_casework:
        return None
    rows = queries.task_rows(actor)
    if not rows:
        return None
    return {"template": "conferences/tasks_panel.html", "context": {"rows": rows}, "order": 46}
