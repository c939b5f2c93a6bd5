"""What assessments add to other apps' pages: the person page and the dashboard."""

from __future__ import annotations

from django.utils.translation import get_language

from wayfinder.assessments import actions, charts, queries
from wayfinder.assessments.instruments import Kind, translate
from wayfinder.assessments.models import Session, SessionStatus

STRENGTH_KINDS = (Kind.PROTECTIVE_FACTORS, Kind.RESILIENCE)


def strengths(request, access) -> list[dict]:
    """Protective factors and resilience in short: each charted score's latest value and its
    change since the first session (read through ``queries.trajectory``, which audits it)."""
    has_any = Session.objects.filter(
        person=access.person, status=SessionStatus.COMPLETED, kind__in=STRENGTH_KINDS
    ).exists()
    if not has_any:
        return []
    language = (get_language() or "en")[:2]
    rows = []
    for series in queries.trajectory(request.actor, access, language=language):
        if series.instrument.kind not in STRENGTH_KINDS or not series.valued:
            continue
        comparison = charts.compare(series)
        rows.append(
            {
                "label": translate(series.rule.label, language),
                "latest": charts.fmt(comparison.latest),
                "when": series.valued[-1].when,
                "words": comparison.words,
                "change": comparison.change,
            }
        )
    return rows


def person_panel(request, access) -> dict | None:
    """Links and counts for the person detail page (nothing if the reader may see neither)."""
    if not (access.can("assessments") or access.can("needs")):
        return None
    context = {
        "person": access.person,
        "can_write": actions.can_write(access.person, request.actor),
        "show_assessments": access.can("assessments"),
        "show_needs": access.can("needs"),
    }
    if access.can("needs"):
        needs = queries.open_needs(access)
        context["open_needs"] = len(needs)
        context["urgent_needs"] = sum(1 for n in needs if n.urgency in ("immediate", "high"))
    if access.can("assessments"):
        sessions = Session.objects.filter(person=access.person)
        context["completed"] = sessions.filter(status=SessionStatus.COMPLETED).count()
        context["paused"] = list(
            sessions.filter(status=SessionStatus.IN_PROGRESS).order_by("updated_at")[:3]
        )
        context["strengths"] = strengths(request, access)
    return {"template": "assessments/panel_person.html", "context": context, "order": 20}


def dashboard_panel(request) -> dict | None:
    """ "Paused assessments" and "reassessments due" for casework staff."""
    actor = request.actor
    if not actor.is_casework:
        return None
    due = queries.reassessments_due(actor, limit=10)
    paused = list(queries.open_sessions(actor, limit=10))
    return {
        "template": "assessments/panel_dashboard.html",
        "context": {"due": due, "paused": paused},
    }


def safety_panel(request, access) -> dict | None:
    """The urgent banner on the person's page while a safety flag waits for a response."""
    flags = queries.open_flags(access)
    if not flags:
        return None
    return {
        "template": "assessments/panel_safety.html",
        "context": {"flags": flags},
        "order": 0,
        "alert": True,
    }


FLAGS_SHOWN = 20


def flags_panel(request) -> dict | None:
    """The urgent banner on the dashboard: open safety flags at the actor's agency."""
    flags = queries.agency_open_flags(request.actor, limit=FLAGS_SHOWN + 1)
    if not flags:
        return None
    return {
        "template": "assessments/panel_flags.html",
        "context": {"flags": flags[:FLAGS_SHOWN], "more": len(flags) > FLAGS_SHOWN},
        "order": 0,
        "alert": True,
    }
