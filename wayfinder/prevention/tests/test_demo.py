"""The demo: three courses, past and coming sessions, two campaigns (one in Spanish)."""

from wayfinder.core.demo import DemoNetwork
from wayfinder.prevention import demo, queries, reports
from wayfinder.prevention.models import Campaign, Course, RegistrationStatus, TrainingSession


def test_the_demo_trainings_and_campaigns(db):
    from wayfinder.accounts import demo as accounts_demo

    net = DemoNetwork()
    accounts_demo.load(net)
    demo.load(net)
    assert Course.objects.count() == 3
    sessions = list(TrainingSession.objects.order_by("starts_at"))
    assert len(sessions) == 4
    first = queries.session_gain(sessions[0])
    assert first.pairs == 6 and first.change > 0
    assert sessions[-1].registrations.filter(status=RegistrationStatus.WAITLISTED).count() == 1
    assert sorted(c.languages for c in Campaign.objects.all()) == [["en"], ["es"]]
    tables = {t.name: t for t in reports.all_tables(net.agencies["lead"])}
    assert sum(row[4] for row in tables["campaigns"].rows) == 35 + 18 + 60 + 45
    assert [row[2] for row in tables["visits"].rows[:2]] == [12, 12]
