"""Follow-up: an action item accepted into the person's plan as a step, or done as a conference
task from its owner's dashboard."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from wayfinder.audit.models import AuditEvent
from wayfinder.conferences import actions
from wayfinder.conferences.models import ActionStatus
from wayfinder.core.errors import CodedError
from wayfinder.people.sealing import unseal
from wayfinder.plans import actions as plans
from wayfinder.plans.actions import STEP_PURPOSE
from wayfinder.plans.models import Assignee, Step

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(personas, nav):
    return plans.add_goal(personas.survivor, actor=nav, text="A safe home", domain="housing")


@pytest.fixture
def action(item, personas, nav):
    return actions.add_action_item(
        item,
        actor=nav,
        text="Call the shelter about a room",
        due_on=timezone.localdate() + timedelta(days=7),
        owner_agency=personas.housing,
    )


def test_the_navigator_adds_an_action_item_to_the_plan(action, goal, nav, personas, conf_consent):
    conf_consent(("identity", "plan"), agency=personas.housing)  # housing works with her
    before = AuditEvent.objects.count()
    step = actions.add_action_to_plan(action, actor=nav, goal=goal)
    # One audit event: the plan's own step event, naming the action item and its meeting.
    [event] = AuditEvent.objects.order_by("-pk")[: AuditEvent.objects.count() - before]
    assert event.action == "plan.step_create"
    assert event.detail["source"]["conference_action_id"] == str(action.pk)
    assert event.detail["source"]["meeting_id"] == str(action.item.meeting_id)
    step = Step.objects.get(pk=step.pk)
    assert step.goal == goal and step.due_on == action.due_on
    assert step.assignee == Assignee.AGENCY and step.assigned_agency == personas.housing
    assert (
        unseal(step.person, step.text_ct, STEP_PURPOSE)["text"] == "Call the shelter about a room"
    )
    action.refresh_from_db()
    assert action.step_id == step.pk and action.status == ActionStatus.OPEN
    with pytest.raises(CodedError) as e:  # once only
        actions.add_action_to_plan(action, actor=nav, goal=goal)
    assert e.value.code == "action_not_open"


def test_the_linked_goal_is_the_default_and_a_care_team_owner_gets_the_step(
    item, goal, nav, personas
):
    action = actions.add_action_item(
        item,
        actor=nav,
        text="Visit the flat",
        due_on=timezone.localdate() + timedelta(days=3),
        owner_user=personas.navigator_a,  # on the care team
        goal_id=goal.pk,
    )
    step = actions.add_action_to_plan(action, actor=nav)
    assert step.goal_id == goal.pk
    assert step.assignee == Assignee.STAFF and step.assigned_user == personas.navigator_a


def test_without_a_goal_it_cannot_become_a_step(action, nav):
    with pytest.raises(CodedError) as e:
        actions.add_action_to_plan(action, actor=nav)
    assert e.value.code == "goal_required"
    action.refresh_from_db()
    assert action.step_id is None


def test_an_owner_agency_not_working_with_the_person_is_refused(action, goal, nav):
    # Housing has no consent, no care team place, no referral: the plans app refuses it.
    with pytest.raises(CodedError) as e:
        actions.add_action_to_plan(action, actor=nav, goal=goal)
    assert e.value.code == "assignee_not_on_team"
    assert not Step.objects.exists()
    action.refresh_from_db()
    assert action.step_id is None


def test_only_the_owning_agency_adds_to_the_plan(action, goal, personas, conf_consent):
    conf_consent(("identity", "plan"))  # legal aid attends, consented: still not the navigator
    with pytest.raises(PermissionDenied):
        actions.add_action_to_plan(action, actor=personas.actor(personas.lawyer_b), goal=goal)


def test_item_page_offers_add_to_the_plan_to_the_navigator_only(
    web, item, action, goal, personas, conf_consent
):
    conf_consent(("identity", "plan"))
    conf_consent(("identity", "plan"), agency=personas.housing)
    nav_client = web(personas.navigator_a)
    html = nav_client.get(f"/conferences/i/{item.pk}/").content.decode()
    assert "Add to the plan" in html and "A safe home" in html
    lawyer_html = web(personas.lawyer_b).get(f"/conferences/i/{item.pk}/").content.decode()
    assert "Call the shelter" in lawyer_html and "Add to the plan" not in lawyer_html
    r = web(personas.lawyer_b).post(
        f"/conferences/a/{action.pk}/plan/", {f"p{action.pk}-goal": goal.pk}
    )
    assert r.status_code == 404 and not Step.objects.exists()

    r = nav_client.post(f"/conferences/a/{action.pk}/plan/", {f"p{action.pk}-goal": goal.pk})
    assert r.status_code == 302
    step = Step.objects.get()
    html = nav_client.get(f"/conferences/i/{item.pk}/").content.decode()
    assert "In the plan" in html and f"/plans/person/{item.person_id}/#goal-{step.goal_id}" in html
    assert "Add to the plan" not in html
    plan_html = nav_client.get(f"/plans/person/{item.person_id}/").content.decode()
    assert "Call the shelter about a room" in plan_html


def test_a_refused_step_shows_the_reason_on_the_item_page(web, item, action, goal, personas):
    r = web(personas.navigator_a).post(
        f"/conferences/a/{action.pk}/plan/", {f"p{action.pk}-goal": goal.pk}
    )
    assert r.status_code == 400
    assert "Choose an agency that works with the person" in r.content.decode()


def test_conference_tasks_on_the_owner_agency_dashboard(web, item, action, personas, conf_consent):
    actions.add_action_item(
        item,
        actor=personas.actor(personas.navigator_a),
        text="Late one",
        due_on=timezone.localdate(),
        owner_agency=personas.housing,
    )
    item.actions.filter(due_on=timezone.localdate()).update(
        due_on=timezone.localdate() - timedelta(days=2)
    )
    housing = web(personas.outsider_c)
    html = housing.get("/").content.decode()
    assert "Conference tasks" in html
    assert item.person.pseudonym in html and "Overdue" in html
    # No case-conferencing consent for housing: the words and the name stay hidden.
    assert "Late one" not in html and "Call the shelter" not in html and "Ana Rivera" not in html
    assert "Restricted" in html

    conf_consent(("identity", "plan"), agency=personas.housing)
    html = housing.get("/").content.decode()
    assert "Late one" in html and "Call the shelter" in html
    assert "Ana Rivera" not in html  # not on the care team: the gate shows no name
    event = AuditEvent.objects.filter(action="conference.task_list").latest("pk")
    assert item.person.pseudonym in event.detail["shown"]

    # The legal aid lawyer owns none of them.
    assert "Conference tasks" not in web(personas.lawyer_b).get("/").content.decode()


def test_the_owner_user_sees_the_name_through_the_gate(web, item, personas, nav):
    actions.add_action_item(
        item,
        actor=nav,
        text="Ring her back",
        due_on=timezone.localdate() + timedelta(days=1),
        owner_user=personas.navigator_a,
    )
    html = web(personas.navigator_a).get("/").content.decode()
    assert "Conference tasks" in html and "Ring her back" in html and "Ana Rivera" in html


def test_marking_a_task_done(web, item, action, personas):
    r = web(personas.lawyer_b).post(f"/conferences/a/{action.pk}/done/")
    assert r.status_code == 404
    housing = web(personas.outsider_c)
    r = housing.post(f"/conferences/a/{action.pk}/done/")
    assert r.status_code == 302 and r.url == "/"
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.done_by == personas.outsider_c
    event = AuditEvent.objects.filter(action="conference.task_done").latest("pk")
    assert event.detail["meeting"] == str(item.meeting_id)
    assert "Conference tasks" not in housing.get("/").content.decode()
    with pytest.raises(CodedError):
        actions.complete_task(action, actor=personas.actor(personas.outsider_c))


def test_a_task_in_the_plan_leaves_the_dashboard_and_the_overdue_reasons(
    item, action, goal, nav, personas, conf_consent
):
    from wayfinder.conferences import proposals, queries

    conf_consent(("identity", "plan"), agency=personas.housing)
    housing = personas.actor(personas.outsider_c)
    assert [a.pk for a in queries.tasks_for(housing)] == [action.pk]
    actions.add_action_to_plan(action, actor=nav, goal=goal)
    assert queries.tasks_for(housing) == []
    # Overdue now: it counts once, as an overdue plan step, not also as an overdue action item.
    type(action).objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    Step.objects.update(due_on=timezone.localdate() - timedelta(days=1))
    nxt = actions.schedule_next_meeting(item.meeting.series, actor=nav)
    [p] = proposals.propose(nxt)
    assert [r["code"] for r in p.reasons] == ["steps_overdue"]


def test_the_task_panel_does_not_query_per_task(item, personas, nav, conf_consent):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wayfinder.conferences import queries

    conf_consent(("identity", "plan"), agency=personas.housing)
    housing = personas.actor(personas.outsider_c)

    def add(n):
        for i in range(n):
            actions.add_action_item(
                item,
                actor=nav,
                text=f"Task {i}",
                due_on=timezone.localdate() + timedelta(days=i + 1),
                owner_agency=personas.housing,
            )

    add(1)
    with CaptureQueriesContext(connection) as one:
        assert len(queries.task_rows(housing)) == 1
    add(4)
    with CaptureQueriesContext(connection) as five:
        assert len(queries.task_rows(housing)) == 5
    # Per task: the gate's care-team check for the name (a partner), and the person's data key.
    per_task = (len(five) - len(one)) / 4
    assert per_task <= 2
