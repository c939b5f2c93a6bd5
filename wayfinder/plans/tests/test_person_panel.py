"""The plan panel on the person's page: its counts from one query, as the visible goals give them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wayfinder.access.gate import get_access
from wayfinder.consent.tests.factories import consent
from wayfinder.plans.actions import set_goal_status, set_step_status
from wayfinder.plans.models import GoalStatus, Step, StepStatus
from wayfinder.plans.queries import plan_summary, visible_goals
from wayfinder.plans.tests.factories import goal, step

pytestmark = pytest.mark.django_db


def counted(access) -> tuple[int, int]:
    """The panel's counts as it used to read them: the visible goals, then their late steps."""
    goals = [g for g in visible_goals(access) if g.status == GoalStatus.ACTIVE]
    late = Step.objects.filter(
        goal__in=goals, status=StepStatus.OPEN, due_on__lt=timezone.localdate()
    ).count()
    return len(goals), late


@pytest.fixture
def plan(personas):
    nav = personas.actor(personas.navigator_a)
    housing = goal(personas, domain="housing")
    step(personas, housing, due_in=-3)
    step(personas, housing, due_in=-1)
    step(personas, housing, due_in=0)  # due today: not late
    step(personas, housing, due_in=5)
    done = step(personas, housing, due_in=-9)
    set_step_status(done, actor=nav, status=StepStatus.DONE)
    step(personas, goal(personas, text="Find a lawyer", domain="legal_immigration"), due_in=-2)
    sud = goal(personas, text="Stay sober", domain="substance_use", language="eng")
    step(personas, sud, due_in=-4)
    step(personas, sud, due_in=-5)
    goal(personas, text="Learn to drive", domain="income_employment")  # no steps
    paused = goal(personas, text="Move to the coast", domain="housing")
    step(personas, paused, due_in=-6)
    set_goal_status(paused, actor=nav, status=GoalStatus.ON_HOLD)


def test_the_owner_counts_every_active_goal_and_its_late_open_steps(personas, plan):
    access = get_access(personas.actor(personas.navigator_a), personas.survivor.pk)
    assert plan_summary(access) == counted(access) == (4, 5)
    with CaptureQueriesContext(connection) as q:
        plan_summary(access)
    assert len(q) == 1


@pytest.mark.parametrize(
    "categories",
    [["plan"], ["plan", "immigration"], ["plan", "substance_use"], ["notes"], ["all"]],
)
def test_a_partner_counts_only_the_goals_it_may_see(personas, lawyer_on_team, plan, categories):
    extra = {}
    if "substance_use" in categories:
        extra = {"substance_use_description": "Treatment dates", "part2_revocation_explained": True}
    consent(personas, personas.legal, ["identity", *categories], **extra)
    access = get_access(personas.actor(personas.lawyer_b), personas.survivor.pk)
    assert plan_summary(access) == counted(access)


def test_no_goals_no_counts(personas):
    access = get_access(personas.actor(personas.navigator_a), personas.survivor.pk)
    assert plan_summary(access) == counted(access) == (0, 0)


def test_the_panel_says_how_many(personas, plan, web):
    page = web(personas.navigator_a).get(f"/people/{personas.survivor.pk}/").content.decode()
    assert "4 goals the person is working on." in page
    assert "5 overdue steps" in page
