"""An action item that became a plan step travels in the FHIR export of the plan (issue 12)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from fhir.resources.R4B.careplan import CarePlan as FhirCarePlan
from fhir.resources.R4B.goal import Goal as FhirGoal

from wayfinder.access.gate import access_for
from wayfinder.conferences import actions, queries
from wayfinder.plans import actions as plans
from wayfinder.plans.fhir import care_plan_to_fhir, check_goal, goal_to_fhir
from wayfinder.plans.queries import plan_for

pytestmark = pytest.mark.django_db


def test_a_step_agreed_at_a_case_conference_is_exported(item, nav, personas):
    goal = plans.add_goal(personas.survivor, actor=nav, text="A safe home", domain="housing")
    plans.add_step(goal, actor=nav, text="Visit the shelter", assignee="person")
    action = actions.add_action_item(
        item,
        actor=nav,
        text="Ask the court for a date",
        due_on=timezone.localdate() + timedelta(days=9),
        owner_user=personas.navigator_a,
        goal_id=goal.pk,
    )
    step = actions.add_action_to_plan(action, actor=nav)

    plan = plan_for(nav, access_for(nav, personas.survivor))
    sources = queries.step_sources(personas.survivor.pk)
    resource = care_plan_to_fhir(personas.survivor.pk, plan.goals, sources=sources)
    FhirCarePlan.model_validate(resource)
    assert resource["goal"] == [{"reference": f"Goal/{goal.pk}"}]
    by_id = {a["id"]: a for a in resource["activity"]}
    assert set(by_id) == {str(step.pk), *(str(s.step.pk) for s in plan.goals[0].steps)}
    exported = by_id[str(step.pk)]
    assert exported["detail"]["description"] == "Ask the court for a date"
    assert exported["detail"]["status"] == "not-started"
    assert exported["detail"]["goal"] == [{"reference": f"Goal/{goal.pk}"}]
    assert exported["detail"]["scheduledPeriod"] == {"end": action.due_on.isoformat()}
    assert exported["detail"]["performer"] == [
        {"reference": f"Practitioner/{personas.navigator_a.pk}"}
    ]
    day = item.meeting.starts_at.date().isoformat()
    assert exported["progress"][0]["text"] == f"Agreed at a case conference on {day}."
    # The other step came from no meeting and says nothing of one.
    [other] = [a for a in resource["activity"] if a["id"] != str(step.pk)]
    assert "progress" not in other
    # Its goal is the existing Goal mapping, unchanged.
    g = goal_to_fhir(goal, plan.goals[0].text)
    FhirGoal.model_validate(g)
    assert check_goal(g) == []
