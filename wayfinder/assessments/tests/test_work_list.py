"""``reassessments_due``: the rows of the aggregate it replaced (each person's last completed
sitting of each instrument, due by the horizon), earliest due first, cut at the limit."""

import importlib
import uuid
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from wayfinder.assessments import actions, testing
from wayfinder.assessments.instruments import available_instruments
from wayfinder.assessments.models import Session, SessionStatus
from wayfinder.assessments.queries import reassessments_due
from wayfinder.people.actions import create_person
from wayfinder.people.models import Identity, Person


def _copy(session: Session, person, instrument_id: str, on: date, status=SessionStatus.COMPLETED):
    session.pk = uuid.uuid4()
    session._state.adding = True
    session.person = person
    session.agency_id = person.owner_agency_id
    session.instrument_id = instrument_id
    session.conducted_on = on
    session.status = status
    session.previous = None
    session.latest = False
    session.save()
    # A sitting written directly marks its person's latest sitting, as bulk writers must.
    Session.objects.filter(person=person, instrument_id=instrument_id).mark_latest()


def _expected(agency_id, *, within_days=14) -> list[tuple]:
    """The old shape: MAX(conducted_on) per person and instrument over every completed sitting of
    the agency's open records, kept when due by the horizon, sorted by due."""
    offered = {
        i.id: i.reassess_after_days for i in available_instruments() if i.reassess_after_days
    }
    horizon = timezone.localdate() + timedelta(days=within_days)
    last: dict[tuple, date] = {}
    for s in Session.objects.filter(
        status=SessionStatus.COMPLETED,
        person__owner_agency_id=agency_id,
        person__forgotten_at__isnull=True,
        instrument_id__in=list(offered),
    ):
        key = (s.person_id, s.instrument_id)
        last[key] = max(last.get(key, s.conducted_on), s.conducted_on)
    rows = [
        (pid, inst, on, on + timedelta(days=offered[inst]))
        for (pid, inst), on in last.items()
        if on + timedelta(days=offered[inst]) <= horizon
    ]
    return sorted(rows, key=lambda r: (r[3], r[2]))


def test_reassessments_due_are_each_persons_last_sitting_earliest_first(personas, nav, run_session):
    today = timezone.localdate()
    days = lambda n: today - timedelta(days=n)  # noqa: E731
    people = [personas.survivor] + [
        create_person(actor=nav, identity=Identity(chosen_name=f"Person {i}")) for i in range(4)
    ]
    outsider = personas.actor(personas.outsider_c)
    theirs = create_person(actor=outsider, identity=Identity(chosen_name="Elsewhere"))
    template = run_session("brief_resilience_scale", {"brs_1": 3}, on=days(400))
    a, b, c, d, e = people
    # a: three sittings of one scale, the last one due; a later one left paused does not count
    _copy(template, a, "brief_resilience_scale", days(300))
    _copy(template, a, "brief_resilience_scale", days(200))
    _copy(template, a, "brief_resilience_scale", days(10), status=SessionStatus.IN_PROGRESS)
    _copy(template, a, "protective_factors", days(150))
    # b: two sittings on the same day (one row), and a recent one of another instrument (not due)
    _copy(template, b, "self_sufficiency_matrix", days(120))
    _copy(template, b, "self_sufficiency_matrix", days(120))
    _copy(template, b, "brief_resilience_scale", days(20))
    # c: an old sitting, then a recent one: not due
    _copy(template, c, "protective_factors", days(500))
    _copy(template, c, "protective_factors", days(30))
    # d: due within the horizon (90 days less a week ago)
    _copy(template, d, "brief_resilience_scale", days(83))
    # e: forgotten, so not listed
    _copy(template, e, "brief_resilience_scale", days(600))
    Person.objects.filter(pk=e.pk).update(forgotten_at=timezone.now())
    # another agency's person: not listed
    _copy(template, theirs, "brief_resilience_scale", days(700))

    expected = _expected(personas.lead.pk)
    assert [(r[0], r[1]) for r in expected] == [
        (a.pk, "brief_resilience_scale"),
        (a.pk, "protective_factors"),
        (b.pk, "self_sufficiency_matrix"),
        (d.pk, "brief_resilience_scale"),
    ]
    got = [(r.person.pk, r.instrument.id, r.last, r.due) for r in reassessments_due(nav)]
    assert got == expected
    shown = reassessments_due(nav, limit=2)
    assert [(r.person.pk, r.instrument.id, r.last, r.due) for r in shown] == expected[:2]
    assert reassessments_due(personas.actor(personas.lawyer_b)) == []


def _latest_by_rule() -> set:
    """Each person's last completed sitting of each instrument, by date and then id."""
    last: dict[tuple, tuple] = {}
    for s in Session.objects.filter(status=SessionStatus.COMPLETED):
        key = (s.person_id, s.instrument_id)
        last[key] = max(last.get(key, (s.conducted_on, s.pk)), (s.conducted_on, s.pk))
    return {pk for _, pk in last.values()}


INSTRUMENTS = ["brief_resilience_scale", "protective_factors", "self_sufficiency_matrix"]
sittings = st.lists(
    st.tuples(
        st.integers(0, 2),  # whose
        st.sampled_from(INSTRUMENTS),
        st.sampled_from([0, 10, 76, 83, 90, 120, 300]),  # days ago: due, nearly due, ties
        st.sampled_from(["complete", "pause", "stop"]),
    ),
    max_size=7,
)


@pytest.mark.django_db
@settings(settings.get_profile("db"), max_examples=20)
@given(steps=sittings)
def test_sittings_recorded_in_any_order_keep_the_latest_marked_and_the_list_true(
    personas, nav, steps
):
    """Sittings started, back-dated, completed, paused or stopped through the actions, in any
    order: the marks stay on each person's latest completed sitting, and the walk over them
    lists what the rule over every sitting lists."""
    today = timezone.localdate()
    with transaction.atomic():
        people = [personas.survivor] + [
            create_person(actor=nav, identity=Identity(chosen_name=f"Person {i}")) for i in range(2)
        ]
        for whose, instrument_id, ago, outcome in steps:
            session = testing.run_session(
                people[whose],
                nav,
                instrument_id,
                {},
                on=today - timedelta(days=ago),
                complete=outcome == "complete",
            )
            if outcome == "stop":
                actions.stop_session(session, actor=nav)
        marked = set(Session.objects.filter(latest=True).values_list("pk", flat=True))
        assert marked == _latest_by_rule()
        got = [(r.person.pk, r.instrument.id, r.last, r.due) for r in reassessments_due(nav)]
        # Earliest due first; sittings due on the same day may come in either order.
        assert [(r[3], r[2]) for r in got] == sorted((r[3], r[2]) for r in got)
        assert sorted(got, key=str) == sorted(_expected(personas.lead.pk), key=str)
        transaction.set_rollback(True)


def test_the_migration_marks_each_persons_latest_sitting(personas, nav, run_session):
    """``0005_session_latest`` marks what was there before the mark existed, by the same rule."""
    from django.apps import apps

    migration = importlib.import_module("wayfinder.assessments.migrations.0005_session_latest")
    today = timezone.localdate()
    template = run_session("brief_resilience_scale", {"brs_1": 3}, on=today - timedelta(days=400))
    other = create_person(actor=nav, identity=Identity(chosen_name="Other"))
    for person, instrument_id, ago, status in [
        (personas.survivor, "brief_resilience_scale", 200, SessionStatus.COMPLETED),
        (personas.survivor, "brief_resilience_scale", 200, SessionStatus.COMPLETED),  # a tie
        (personas.survivor, "brief_resilience_scale", 5, SessionStatus.IN_PROGRESS),
        (personas.survivor, "protective_factors", 90, SessionStatus.STOPPED),
        (other, "protective_factors", 300, SessionStatus.COMPLETED),
        (other, "protective_factors", 30, SessionStatus.COMPLETED),
    ]:
        _copy(template, person, instrument_id, today - timedelta(days=ago), status=status)
    expected = _latest_by_rule()
    assert len(expected) == 2
    Session.objects.update(latest=False)
    migration.mark_latest(apps, None)
    assert set(Session.objects.filter(latest=True).values_list("pk", flat=True)) == expected
