"""The demo network's consents and plans load through the real actions and show what they claim."""

import pytest

from wayfinder.access.gate import AccessEnded, get_access
from wayfinder.core.demo import DemoNetwork
from wayfinder.plans.queries import overdue_steps, plan_access, plan_for


@pytest.fixture
def net(db):
    from wayfinder.accounts import demo as accounts
    from wayfinder.consent import demo as consent
    from wayfinder.people import demo as people
    from wayfinder.plans import demo as plans

    network = DemoNetwork()
    for module in (accounts, people, consent, plans):
        module.load(network)
    return network


def test_demo_consents_and_plans(net):
    lucia, ana, jess = net.persons[0], net.persons[1], net.persons[4]
    lawyer = net.actor("lawyer", "legal")
    assert get_access(lawyer, lucia.pk).categories == {"identity", "legal"}
    with pytest.raises(AccessEnded) as withdrawn:
        get_access(lawyer, ana.pk)
    assert withdrawn.value.reason == "revoked"
    with pytest.raises(AccessEnded) as expired:
        get_access(net.actor("housing", "housing"), jess.pk)
    assert expired.value.reason == "expired"

    recovery = net.actor("recovery", "sud")
    plan = plan_for(recovery, plan_access(recovery, ana.pk))
    assert [r.goal.domain for r in plan.goals] == ["substance_use"] and plan.notices
    assert [r.step.person for r in overdue_steps(recovery)] == [ana]
    counselor = net.actor("counselor", "mental")
    assert [r.goal.domain for r in plan_for(counselor, plan_access(counselor, ana.pk)).goals] == [
        "mental_health"
    ]
    navigator = net.actor("navigator", "lead")
    spanish = plan_for(navigator, get_access(navigator, lucia.pk)).goals[0]
    assert spanish.text.startswith("Quiero") and spanish.language == "spa"
    assert len(overdue_steps(navigator)) >= 3
