"""The demo gives several survivors two or three sessions months apart, and the needs from them."""

from collections import Counter

from wayfinder.assessments import demo
from wayfinder.assessments.models import Need, SafetyFlag, Score, Session, SessionStatus
from wayfinder.core.demo import DemoNetwork


def test_demo_trajectories_show_change_over_months(db):
    from wayfinder.accounts import demo as accounts_demo
    from wayfinder.people import demo as people_demo

    net = DemoNetwork()
    accounts_demo.load(net)
    people_demo.load(net)
    demo.load(net)

    completed = Session.objects.filter(status=SessionStatus.COMPLETED)
    per_person = Counter(
        completed.filter(instrument_id="brief_resilience_scale").values_list("person", flat=True)
    )
    assert sum(1 for n in per_person.values() if n >= 2) >= 4
    lucia = net.persons[0]
    brs = list(
        Score.objects.filter(session__person=lucia, score_id="brs")
        .order_by("session__conducted_on")
        .values_list("value", "session__conducted_on")
    )
    assert [v for v, _d in brs] == [2.0, 2.8, 4.0]
    # Who interpreted is recorded where an interpreter helped (issue 17): the reports count them.
    interpreted = Session.objects.filter(interpreter_used="yes")
    assert interpreted.exists()
    assert (
        not interpreted.exclude(interpretation="interpreted")
        .exclude(person__preferred_languages=[])
        .exists()
    )
    assert set(interpreted.values_list("interpreter_mode", flat=True)) <= {"phone", "in_person"}
    assert (brs[-1][1] - brs[0][1]).days >= 240
    assert Need.objects.filter(person=lucia, source_session__isnull=False).count() >= 8
    assert Need.objects.filter(person=lucia, status="met").exists()
    assert Session.objects.filter(status=SessionStatus.IN_PROGRESS, person=net.persons[1]).exists()
    # One safety flag stays open for the banner (Ana: not safe now); the older ones are answered.
    [open_flag] = SafetyFlag.objects.filter(responded_at__isnull=True)
    assert (open_flag.person, open_flag.kind) == (net.persons[1], "danger_now")
