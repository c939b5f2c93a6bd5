"""The demo: one agency shows results, another reads "not enough responses yet"."""

from wayfinder.core.demo import DemoNetwork
from wayfinder.feedback import demo, queries
from wayfinder.feedback.models import Comment, CommentStatus, Response, WayfinderFeedback


def test_one_agency_shows_results_and_another_does_not(db):
    from wayfinder.accounts import demo as accounts_demo

    net = DemoNetwork()
    accounts_demo.load(net)
    demo.load(net)
    assert 35 <= Response.objects.count() <= 45
    period = queries.default_period()
    lead = queries.results(net.agencies["lead"], period)
    shown = {d.id for d in lead.domains if d.shown}
    assert shown == {
        "respect_safety",
        "information",
        "connection",
        "strengths",
        "culture_inclusion",
        "recommend",
    }  # parenting: only 4 parents answered
    legal = queries.results(net.agencies["legal"], period)
    assert not any(d.shown for d in legal.domains)
    assert Comment.objects.filter(status=CommentStatus.HELD).count() == 1
    assert len(queries.held_comments(net.agencies["lead"])) == 1
    assert WayfinderFeedback.objects.count() == 1
