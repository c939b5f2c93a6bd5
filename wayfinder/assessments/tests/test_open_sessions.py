"""``open_sessions``: the paused sessions at the actor's agency of persons the gate lets the actor
open, least recently touched first — the rows of the single filtered query it replaced, now read
in the scope's two halves so that it stops at its limit."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from wayfinder.access.gate import persons_for
from wayfinder.assessments.models import Session, SessionStatus
from wayfinder.assessments.queries import open_sessions
from wayfinder.assessments.tests.test_work_list import _copy
from wayfinder.people.actions import create_person
from wayfinder.people.models import Identity, Person


def _old(actor, limit):
    """The query before: one filter on ``persons_for`` (its ``OR`` read the whole agency)."""
    return list(
        Session.objects.filter(
            agency=actor.agency, status=SessionStatus.IN_PROGRESS, person__in=persons_for(actor)
        ).order_by("updated_at", "pk")[:limit]
    )


# whose session: 0 the survivor (lead agency, shared with legal aid), 1 a lead record, 2 a
# forgotten lead record, 3 legal aid's own record, 4 housing's record (shared with no one)
sessions = st.lists(
    st.tuples(
        st.integers(0, 4),
        st.sampled_from(["lead", "legal", "housing"]),  # the agency that holds the session
        st.sampled_from(list(SessionStatus.values)),
        st.integers(0, 5),  # hours since last touched: ties included
    ),
    max_size=12,
)


@pytest.mark.django_db
@settings(settings.get_profile("db"), max_examples=25)
@given(drawn=sessions, limit=st.integers(1, 6))
def test_paused_sessions_are_the_gates_in_order_and_cut_at_the_limit(
    personas, nav, run_session, share_with_lawyer, drawn, limit
):
    now = timezone.now()
    with transaction.atomic():
        share_with_lawyer(["assessments"])
        template = run_session("brief_resilience_scale", {"brs_1": 3})
        people = [personas.survivor] + [
            create_person(actor=nav, identity=Identity(chosen_name=f"Person {i}")) for i in range(4)
        ]
        Person.objects.filter(pk=people[2].pk).update(forgotten_at=now)
        for i, agency in ((3, personas.legal), (4, personas.housing)):
            Person.objects.filter(pk=people[i].pk).update(owner_agency=agency)
            people[i].owner_agency = agency
        agencies = {"lead": personas.lead, "legal": personas.legal, "housing": personas.housing}
        for whose, at, status, hours in drawn:
            s = Session.objects.get(pk=template.pk)
            _copy(s, people[whose], "protective_factors", timezone.localdate(), status=status)
            Session.objects.filter(pk=s.pk).update(
                agency=agencies[at], updated_at=now - timedelta(hours=hours)
            )
        for actor in (nav, personas.actor(personas.lawyer_b), personas.actor(personas.outsider_c)):
            expected = _old(actor, limit)
            assert [s.pk for s in open_sessions(actor, limit=limit)] == [s.pk for s in expected]
        transaction.set_rollback(True)


def test_each_half_is_walked(personas, nav, run_session, share_with_lawyer):
    """A paused session of the agency's own record and one of a record shared with it are both
    listed; neither a forgotten record's nor an unshared one's."""
    share_with_lawyer(["assessments"])
    lawyer = personas.actor(personas.lawyer_b)
    mine = run_session("brief_resilience_scale", {"brs_1": 3}, complete=False)
    assert [s.pk for s in open_sessions(nav)] == [mine.pk]
    # Legal aid's own record, and the survivor's record shared with legal aid, paused there.
    theirs = create_person(actor=nav, identity=Identity(chosen_name="Theirs"))
    Person.objects.filter(pk=theirs.pk).update(owner_agency=personas.legal)
    at_legal = []
    for person in (theirs, personas.survivor):
        s = Session.objects.get(pk=mine.pk)
        _copy(s, person, "protective_factors", timezone.localdate(), status="in_progress")
        Session.objects.filter(pk=s.pk).update(agency=personas.legal)
        at_legal.append(s.pk)
    assert {s.pk for s in open_sessions(lawyer)} == set(at_legal)
    Person.objects.filter(pk=personas.survivor.pk).update(forgotten_at=timezone.now())
    assert [s.pk for s in open_sessions(lawyer)] == [at_legal[0]]
    assert open_sessions(nav) == []
