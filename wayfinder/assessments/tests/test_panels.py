"""The person page's assessments panel reads less than the trajectory page but shows the same:
its strengths, counts and audit event equal what the trajectory-based reading gave."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import get_language

from wayfinder.access.gate import get_access
from wayfinder.assessments import charts, panels, queries
from wayfinder.assessments.actions import add_need
from wayfinder.assessments.instruments import translate
from wayfinder.assessments.models import Session, SessionStatus
from wayfinder.audit.models import AuditEvent

PF = ["substance_treatment", "role_models", "community_engagement", "housing_income"]
SSM = {"ssm_housing": 2, "ssm_income": 3, "ssm_mental_health": 4, "ssm_legal": 2}
PART2 = {"substance_use_description": "Treatment dates", "part2_revocation_explained": True}


def trajectory_panel(request, access) -> dict:
    """The panel's assessments and needs context as it was computed through ``trajectory``."""
    context: dict = {}
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
        rows = []
        if sessions.filter(status=SessionStatus.COMPLETED, kind__in=panels.STRENGTH_KINDS).exists():
            language = (get_language() or "en")[:2]
            for series in queries.trajectory(request.actor, access, language=language):
                if series.instrument.kind not in panels.STRENGTH_KINDS or not series.valued:
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
        context["strengths"] = rows
    return context


def events_of(read) -> tuple[Any, list[tuple]]:
    """What ``read()`` returns, and the audit events it recorded."""
    seq = max(AuditEvent.objects.values_list("seq", flat=True), default=0)
    result = read()
    events = AuditEvent.objects.filter(seq__gt=seq).order_by("seq")
    return result, [(e.action, e.category, e.categories, e.detail, e.actor_id) for e in events]


def compare(rf, actor, person) -> dict:
    old: dict
    request = rf.get("/")
    request.actor = actor
    access = get_access(actor, person.pk)
    old, old_events = events_of(lambda: trajectory_panel(request, access))
    panel, new_events = events_of(lambda: panels.person_panel(request, access))
    new = {k: v for k, v in panel["context"].items() if k in old}
    assert [s.pk for s in new.pop("paused", [])] == [s.pk for s in old.pop("paused", [])]
    assert new == old
    assert new_events == old_events
    return {"context": panel["context"], "events": new_events}


@pytest.fixture
def history(personas, nav, run_session):
    """Protective factors and resilience twice, a self-sufficiency matrix, a paused session and
    needs of which some need a special category."""
    today = timezone.localdate()
    run_session("protective_factors", dict.fromkeys(PF, "not_yet"), on=today - timedelta(days=90))
    run_session("protective_factors", dict.fromkeys(PF, "partly"), on=today - timedelta(days=30))
    run_session("brief_resilience_scale", {"brs_1": 2, "brs_2": 4}, on=today - timedelta(days=60))
    run_session("brief_resilience_scale", {"brs_1": 4, "brs_2": 2, "brs_3": 5}, on=today)
    run_session("self_sufficiency_matrix", SSM, on=today - timedelta(days=10))
    run_session("needs_assessment", {}, complete=False)
    for category, urgency in (
        ("housing", "high"),
        ("substance_use", "immediate"),
        ("mental_health", "medium"),
        ("legal_civil", "low"),
    ):
        add_need(personas.survivor, actor=nav, category=category, urgency=urgency)


def test_the_owner_sees_every_strength_as_the_trajectory_gave_it(personas, nav, rf, history):
    seen = compare(rf, nav, personas.survivor)
    labels = [row["label"] for row in seen["context"]["strengths"]]
    assert len(labels) == 2 and labels[0].startswith("Protective factors")
    assert labels[1].startswith("Resilience")
    assert seen["context"]["completed"] == 5 and len(seen["context"]["paused"]) == 1
    # four added, two from the matrix (housing and legal, both high)
    assert seen["context"]["open_needs"] == 6 and seen["context"]["urgent_needs"] == 4
    ((action, _cat, categories, detail, _actor),) = seen["events"]
    assert action == "assessment.trajectory" and categories == ["assessments"]
    assert detail == {"sessions": 5}


@pytest.mark.parametrize(
    ("categories", "shown"),
    [
        (["assessments", "needs"], []),
        (["assessments", "needs", "health"], ["Resilience"]),
        (["assessments", "health", "substance_use"], ["Protective factors", "Resilience"]),
        (["needs", "substance_use"], None),
    ],
)
def test_a_partner_sees_a_strength_only_with_its_items_categories(
    personas, rf, history, categories, shown
):
    from wayfinder.consent.tests.factories import consent, on_team

    on_team(personas, personas.lawyer_b, personas.legal)
    consent(personas, personas.legal, categories, **PART2)
    seen = compare(rf, personas.actor(personas.lawyer_b), personas.survivor)
    if shown is None:
        assert "strengths" not in seen["context"] and not seen["events"]
        return
    labels = [row["label"] for row in seen["context"]["strengths"]]
    assert [next(s for s in shown if label.startswith(s)) for label in labels] == shown
    if shown:
        ((action, _cat, _categories, detail, _actor),) = seen["events"]
        assert action == "assessment.trajectory" and detail["sessions"] == 5
        assert detail["consents"]
    else:
        assert seen["events"] == []


def test_unscored_strengths_still_audit_the_charts_read(personas, nav, rf, run_session):
    """No strength has a value yet, but the matrix is charted: the read is audited as before."""
    run_session("protective_factors", {})
    run_session("self_sufficiency_matrix", SSM)
    seen = compare(rf, nav, personas.survivor)
    assert seen["context"]["strengths"] == []
    assert [e[0] for e in seen["events"]] == ["assessment.trajectory"]


def test_nothing_is_read_or_audited_without_strength_sessions(personas, nav, rf, run_session):
    run_session("self_sufficiency_matrix", SSM)
    seen = compare(rf, nav, personas.survivor)
    assert seen["context"]["strengths"] == [] and seen["events"] == []
