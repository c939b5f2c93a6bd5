"""What assessments add to other apps' pages: the person page and the dashboard."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wayfinder.assessments import actions, charts, queries
from wayfinder.assessments.instruments import Kind, translate

STRENGTH_KINDS = (Kind.PROTECTIVE_FACTORS, Kind.RESILIENCE)


def strength_rows(series: list[queries.Series], language: str) -> list[dict]:
    """Each charted strength score's latest value and its change since the first session."""
    rows = []
    for one in series:
        if one.instrument.kind not in STRENGTH_KINDS or not one.valued:
            continue
        comparison = charts.compare(one)
        rows.append(
            {
                "label": translate(one.rule.label, language),
                "latest": charts.fmt(comparison.latest),
                "when": one.valued[-1].when,
                "words": comparison.words,
                "change": comparison.change,
            }
        )
    return rows


def person_panel(request, access) -> dict | None:
    """Links and counts for the person detail page (nothing if the reader may see neither).

    Protective factors and resilience in short: the charted scores read by
    ``queries.session_summary`` (audited as the trajectory is), with the counts, in one query.
    """
    if not (access.can("assessments") or access.can("needs")):
        return None
    context = {
        "person": access.person,
        "can_write": actions.can_write(access.person, request.actor),
        "show_assessments": access.can("assessments"),
        "show_needs": access.can("needs"),
    }
    if access.can("needs"):
        context["open_needs"], context["urgent_needs"] = queries.open_need_counts(access)
    if access.can("assessments"):
        summary = queries.session_summary(request.actor, access, kinds=STRENGTH_KINDS)
        context["completed"] = summary.completed
        context["paused"] = summary.paused
        context["strengths"] = strength_rows(summary.series, (get_language() or "en")[:2])
    return {
        "template": "assessments/panel_person.html",
        "context": context,
        "order": 20,
        "title": _("Assessments and needs"),
        "anchor": "assessments",  # its section's id: "On this page" links to it
    }


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
