"""Overdue steps on the dashboard: the navigator's caseload, a partner's own steps (if consented)."""

import time_machine
from django.utils import timezone

from wayfinder.audit.models import AuditEvent
from wayfinder.consent.tests.factories import consent
from wayfinder.plans.actions import set_step_status
from wayfinder.plans.panels import overdue_steps
from wayfinder.plans.queries import overdue_steps as overdue_rows
from wayfinder.plans.tests.factories import goal, step


def panel(personas, user, rf):
    request = rf.get("/")
    request.actor = personas.actor(user)
    return overdue_steps(request)


def test_navigator_sees_overdue_steps_of_the_caseload(personas, rf):
    g = goal(personas)
    late = step(personas, g, text="Llenar la solicitud", due_in=-3)
    step(personas, g, text="Visitar el apartamento", due_in=5)
    done = step(personas, g, text="Ya hecho", due_in=-10)
    set_step_status(done, actor=personas.actor(personas.navigator_a), status="done")
    result = panel(personas, personas.navigator_a, rf)
    assert result["template"] == "plans/overdue_panel.html"
    rows = result["context"]["rows"]
    assert [(r.step, r.text, r.days_late) for r in rows] == [(late, "Llenar la solicitud", 3)]
    event = AuditEvent.objects.get(action="plan.overdue_list")
    assert event.detail["shown"] == [personas.survivor.pseudonym]


def test_a_step_becomes_overdue_the_day_after_it_was_due(personas, rf):
    g = goal(personas)
    s = step(personas, g, due_in=2)
    assert panel(personas, personas.navigator_a, rf)["context"]["rows"] == []
    with time_machine.travel(timezone.now() + timezone.timedelta(days=3), tick=False):
        rows = panel(personas, personas.navigator_a, rf)["context"]["rows"]
    assert [r.step for r in rows] == [s]


def test_partner_sees_its_overdue_steps_only_while_consent_covers_them(
    personas, lawyer_on_team, rf
):
    g = goal(personas)
    theirs = step(
        personas,
        g,
        text="Cita con la abogada",
        due_in=-2,
        assignee="agency",
        assigned_agency=personas.legal,
    )
    step(personas, g, text="No es del bufete", due_in=-2)
    consent(personas, personas.legal, ["identity", "legal"])  # no "plan": nothing shows
    assert panel(personas, personas.lawyer_b, rf)["context"]["rows"] == []
    c = consent(personas, personas.legal, ["plan"])
    rows = panel(personas, personas.lawyer_b, rf)["context"]["rows"]
    assert [(r.step, r.text) for r in rows] == [(theirs, "Cita con la abogada")]
    event = AuditEvent.objects.filter(action="plan.overdue_list").latest("seq")
    assert event.detail["consents"] == {personas.survivor.pseudonym: {"plan": [str(c.pk)]}}


def test_no_panel_for_non_casework_roles_and_nothing_for_the_outsider(personas, rf):
    step(personas, goal(personas), due_in=-1)
    assert panel(personas, personas.analyst, rf) is None
    assert panel(personas, personas.outsider_c, rf)["context"]["rows"] == []


def test_the_panel_query_count_does_not_grow_with_rows(personas, django_assert_max_num_queries):
    g = goal(personas)
    for i in range(12):
        step(personas, g, text=f"Paso {i}", due_in=-1 - i)
    actor = personas.actor(personas.navigator_a)
    with django_assert_max_num_queries(8):
        rows = overdue_rows(actor)
    assert len(rows) == 12
