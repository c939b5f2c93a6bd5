"""A partner sees a plan item only when every category it carries is consented; nothing else."""

import pytest
from django.http import Http404

from wayfinder.access.gate import AccessEnded, get_access
from wayfinder.audit.models import AuditEvent
from wayfinder.consent.actions import revoke_consent
from wayfinder.consent.part2 import REDISCLOSURE_STATEMENT
from wayfinder.consent.tests.factories import consent
from wayfinder.plans.actions import add_note, set_step_status
from wayfinder.plans.queries import plan_access, plan_for
from wayfinder.plans.tests.factories import goal, note, step

PART2 = {"substance_use_description": "Treatment dates", "part2_revocation_explained": True}


def view(personas, user):
    actor = personas.actor(user)
    return plan_for(actor, plan_access(actor, personas.survivor.pk))


def test_plan_needs_the_plan_category(personas, lawyer_on_team):
    goal(personas)
    consent(personas, personas.legal, ["identity", "legal"])
    with pytest.raises(Http404):
        plan_access(personas.actor(personas.lawyer_b), personas.survivor.pk)


def test_sensitive_domains_need_their_own_category(personas, lawyer_on_team):
    housing = goal(personas, domain="housing")
    sud = goal(
        personas, text="Stay sober one day at a time", domain="substance_use", language="eng"
    )
    legal = goal(personas, text="Arreglar mis papeles", domain="legal_immigration")
    consent(personas, personas.legal, ["identity", "plan", "legal"])
    shown = [r.goal for r in view(personas, personas.lawyer_b).goals]
    assert shown == [housing]  # legal_immigration also needs "immigration"; SUD needs Part 2

    consent(personas, personas.legal, ["immigration"])
    assert [r.goal for r in view(personas, personas.lawyer_b).goals] == [housing, legal]

    consent(personas, personas.legal, ["substance_use"], **PART2)
    plan = view(personas, personas.lawyer_b)
    assert [r.goal for r in plan.goals] == [housing, sud, legal]
    assert [n["statement"] for n in plan.notices] == [REDISCLOSURE_STATEMENT]


def test_substance_use_goal_never_shows_under_a_broad_grant(personas, lawyer_on_team, web):
    goal(personas, text="Stay sober one day at a time", domain="substance_use", language="eng")
    consent(personas, personas.legal, ["all"])
    plan = view(personas, personas.lawyer_b)
    assert plan.goals == [] and plan.notices == []
    page = web(personas.lawyer_b).get(f"/plans/person/{personas.survivor.pk}/").content.decode()
    assert "sober" not in page and "Substance use" not in page and "42 CFR" not in page


def test_notes_follow_visibility_and_consent(personas, lawyer_on_team):
    g = goal(personas)
    shared = note(personas, text="Compartida con el equipo", visibility="care_team")
    note(personas, text="Solo para nuestra agencia", visibility="agency")
    on_goal = note(personas, text="Sobre la vivienda", goal=g)
    consent(personas, personas.legal, ["identity", "plan"])
    assert view(personas, personas.lawyer_b).notes == []  # no "notes" category
    consent(personas, personas.legal, ["notes"])
    plan = view(personas, personas.lawyer_b)
    assert [n.note for n in plan.notes] == [shared]
    assert [n.note for n in plan.goals[0].notes] == [on_goal]
    # The partner's own private note is theirs to read; the owning agency does not see it.
    mine = add_note(
        personas.survivor,
        actor=personas.actor(personas.lawyer_b),
        text="Nota interna del bufete",
        visibility="agency",
    )
    assert mine in [n.note for n in view(personas, personas.lawyer_b).notes]
    assert mine not in [n.note for n in view(personas, personas.navigator_a).notes]


def test_plan_view_is_audited_with_the_consents_that_allowed_it(personas, lawyer_on_team):
    goal(personas)
    c = consent(personas, personas.legal, ["identity", "plan"])
    view(personas, personas.lawyer_b)
    event = AuditEvent.objects.filter(action="plan.view").latest("seq")
    assert event.categories == ["plan"]
    assert event.detail["consents"] == {"plan": [str(c.pk)]}
    assert event.detail["goals"] == 1


def test_partner_marks_its_own_step_done_but_no_other(personas, lawyer_on_team):
    from django.core.exceptions import PermissionDenied

    g = goal(personas)
    theirs = step(personas, g, assignee="agency", assigned_agency=personas.legal)
    not_theirs = step(personas, g)
    consent(personas, personas.legal, ["identity", "plan"])
    lawyer = personas.actor(personas.lawyer_b)
    assert set_step_status(theirs, actor=lawyer, status="done").done_by == personas.lawyer_b
    with pytest.raises(PermissionDenied):
        set_step_status(not_theirs, actor=lawyer, status="done")


def test_revocation_ends_plan_access_at_once(personas, lawyer_on_team):
    goal(personas)
    c = consent(personas, personas.legal, ["identity", "plan"])
    assert view(personas, personas.lawyer_b).goals
    revoke_consent(c, actor=personas.actor(personas.navigator_a), channel="phone")
    with pytest.raises(AccessEnded):
        plan_access(personas.actor(personas.lawyer_b), personas.survivor.pk)
    with pytest.raises(AccessEnded):
        get_access(personas.actor(personas.lawyer_b), personas.survivor.pk)


def test_partner_without_notes_may_report_and_reads_back_only_its_own(personas, lawyer_on_team):
    """Decided (docs/consent.md): consent limits what is disclosed *to* a partner, not what the
    partner may report to the team. Without "notes" it still writes notes; it reads back its
    own agency's notes only, never anyone else's. Without "plan" or "notes" it writes nothing."""
    owner_note = note(personas, text="Compartida con el equipo", visibility="care_team")
    consent(personas, personas.legal, ["identity"])
    partner = personas.actor(personas.lawyer_b)
    with pytest.raises(Http404):  # no plan, no notes: the plan and its notes are closed
        plan_access(partner, personas.survivor.pk)

    consent(personas, personas.legal, ["plan"])
    report = add_note(
        personas.survivor, actor=partner, text="Cita con el juez el lunes", visibility="care_team"
    )
    assert [n.note for n in view(personas, personas.lawyer_b).notes] == [report]
    assert owner_note not in [n.note for n in view(personas, personas.lawyer_b).notes]
    assert report in [n.note for n in view(personas, personas.navigator_a).notes]
