"""The demo's weekly case review: one item open for legal aid, restricted for housing."""

from wayfinder.conferences import actions, demo
from wayfinder.conferences.models import ActionItem, Meeting
from wayfinder.core.demo import DemoNetwork


def test_the_weekly_case_review(db):
    from wayfinder.accounts import demo as accounts_demo
    from wayfinder.people import demo as people_demo

    net = DemoNetwork()
    accounts_demo.load(net)
    people_demo.load(net)
    demo.load(net)

    meeting = Meeting.objects.get(pk=net.extra["conferences"]["meeting"])
    item = meeting.items.get()
    lawyer = actions.open_item(item, actor=net.actor("lawyer", "legal"))
    housing = actions.open_item(item, actor=net.actor("housing", "housing"))
    assert lawyer.categories == {"identity", "legal"}
    assert housing.restricted
    assert ActionItem.objects.filter(item__meeting__status="closed", status="open").count() == 1


def test_the_demo_tour_of_the_follow_up(db):
    """README tour: last week's action item is a conference task for legal aid (words restricted:
    her consent names identity and legal), and the navigator can add it to Lucía's plan."""
    from wayfinder.conferences import queries
    from wayfinder.core.demo import load_demo
    from wayfinder.people.demo import SURVIVORS
    from wayfinder.plans.models import Goal, GoalStatus

    net = load_demo()
    [row] = queries.task_rows(net.actor("lawyer", "legal"))
    assert row.text == "" and row.action.person == net.persons[0]
    navigator = net.actor(SURVIVORS[0][-1], "lead")
    goal = Goal.objects.filter(person=net.persons[0], status=GoalStatus.ACTIVE).first()
    step = actions.add_action_to_plan(row.action, actor=navigator, goal=goal)
    assert step.assigned_agency == net.agencies["legal"]
    assert queries.task_rows(net.actor("lawyer", "legal")) == []
