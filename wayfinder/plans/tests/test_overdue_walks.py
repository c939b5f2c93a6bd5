"""The dashboard's overdue steps are read in three bounded walks (the actor's caseload, the steps
assigned to the actor, those assigned to their agency as a partner). Whatever the steps, they are
the steps the one filtered walk of every open step past due found, in the same order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from wayfinder.access.gate import persons_for
from wayfinder.people.actions import create_person
from wayfinder.people.models import CareTeamMember, Identity, Person
from wayfinder.plans.actions import add_goal, add_step
from wayfinder.plans.models import Step, StepStatus
from wayfinder.plans.queries import _overdue_candidates


def _rule(actor, today, n) -> list:
    """The old read: every open step past due, kept when it is the actor's, first ``n``."""
    agency, user = actor.agency.pk, actor.user.pk
    on_team = CareTeamMember.objects.filter(
        person_id=OuterRef("person_id"), user_id=user, agency_id=agency
    )
    own = Q(person__owner_agency_id=agency) & (Q(Exists(on_team)) | Q(assigned_user_id=user))
    partner = ~Q(person__owner_agency_id=agency) & (
        Q(assigned_user_id=user) | Q(assigned_agency_id=agency)
    )
    return list(
        Step.objects.filter(
            own | partner, status=StepStatus.OPEN, due_on__lt=today, person__in=persons_for(actor)
        )
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)[:n]
    )


steps = st.lists(
    st.tuples(
        # whose goal: the survivor, another of the lead's, one of legal aid's, a forgotten one
        st.integers(0, 3),
        st.integers(-20, 3),  # due in (days)
        st.booleans(),  # done
        st.sampled_from(["none", "navigator", "lawyer", "lead", "legal"]),  # assigned to
    ),
    max_size=12,
)


@pytest.mark.django_db
@settings(settings.get_profile("db"), max_examples=25)
@given(steps=steps, n=st.sampled_from([1, 3, 50]))
def test_the_walks_find_what_the_filtered_walk_of_every_step_found(
    personas, share_with_lawyer, steps, n
):
    today = timezone.localdate()
    nav, lawyer = personas.actor(personas.navigator_a), personas.actor(personas.lawyer_b)
    admin = personas.actor(personas.admin_a)
    with transaction.atomic():
        share_with_lawyer(["plan"])
        other = create_person(actor=admin, identity=Identity(chosen_name="Otra"))
        # Legal aid's own client (legal aid takes no one in here: moved there, the lawyer on the
        # team), once its goal is written.
        theirs = create_person(actor=nav, identity=Identity(chosen_name="Suya"))
        gone = create_person(actor=nav, identity=Identity(chosen_name="Olvidada"))
        owners = [(personas.survivor, nav), (other, admin), (theirs, nav), (gone, nav)]
        goals = [
            add_goal(person, actor=actor, text="Una meta.", domain="housing")
            for person, actor in owners
        ]
        assigned = {
            "none": {},
            "navigator": {"assigned_user": personas.navigator_a},
            "lawyer": {"assigned_user": personas.lawyer_b},
            "lead": {"assigned_agency": personas.lead},
            "legal": {"assigned_agency": personas.legal},
        }
        for whose, due_in, done, to in steps:
            s = add_step(goals[whose], actor=owners[whose][1], text="Un paso.", assignee="person")
            # Set directly: the walks read these columns, whichever action would write them.
            Step.objects.filter(pk=s.pk).update(
                due_on=today + timedelta(days=due_in),
                status=StepStatus.DONE if done else StepStatus.OPEN,
                **{f"{k}_id": v.pk for k, v in assigned[to].items()},
            )
        Person.objects.filter(pk=theirs.pk).update(owner_agency=personas.legal)
        Person.objects.filter(pk=gone.pk).update(forgotten_at=timezone.now())
        CareTeamMember.objects.filter(person=theirs).delete()
        CareTeamMember.objects.create(
            person=theirs, user=personas.lawyer_b, agency=personas.legal, is_lead=True
        )
        for actor in (nav, lawyer, admin):
            got = [s.pk for s in _overdue_candidates(actor, today, n)]
            assert got == _rule(actor, today, n)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_each_walk_finds_its_own(personas, share_with_lawyer):
    """Not a vacuous comparison: the partner's steps, the assigned ones and the caseload's."""
    today = timezone.localdate()
    nav, lawyer = personas.actor(personas.navigator_a), personas.actor(personas.lawyer_b)
    share_with_lawyer(["plan"])
    g = add_goal(personas.survivor, actor=nav, text="Una meta.", domain="housing")
    made = {}
    for name, fields in {
        "caseload": {},
        "to the lawyer": {"assigned_user_id": personas.lawyer_b.pk},
        "to legal aid": {"assigned_agency_id": personas.legal.pk},
    }.items():
        made[name] = add_step(g, actor=nav, text="Un paso.", assignee="person")
        Step.objects.filter(pk=made[name].pk).update(due_on=today - timedelta(days=1), **fields)
    assert {s.pk for s in _overdue_candidates(nav, today, 50)} == {s.pk for s in made.values()}
    assert {s.pk for s in _overdue_candidates(lawyer, today, 50)} == {
        made["to the lawyer"].pk,
        made["to legal aid"].pk,
    }
