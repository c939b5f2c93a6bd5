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
