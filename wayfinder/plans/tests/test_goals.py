"""Goals in the person's own words: sealed at rest, validated, shaped only by the owning agency."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.utils import timezone

from wayfinder.audit.models import AuditEvent
from wayfinder.consent.tests.factories import consent
from wayfinder.core import crypto
from wayfinder.people.actions import forget_person
from wayfinder.plans.actions import add_goal, set_goal_status, update_goal
from wayfinder.plans.models import Goal
from wayfinder.plans.queries import plan_for
from wayfinder.plans.tests.factories import goal, note, step


def _raw(table):
    with connections["default"].cursor() as cur:
        cur.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names from the test
        rows = cur.fetchall()
    return repr(rows) + "".join(
        bytes(v).decode("latin-1") for r in rows for v in r if isinstance(v, bytes | memoryview)
    )


def test_goal_step_and_note_text_are_sealed_at_rest(personas):
    g = goal(personas, text="Quiero un lugar seguro donde vivir con mi hija.")
    step(personas, g, text="Llamar a la oficina de vivienda")
    note(personas, text="Trajo su identificación", goal=g)
    for table in ("plans_goal", "plans_step", "plans_progressnote"):
        raw = _raw(table)
        for plain in ("lugar seguro", "Llamar", "identificaci"):
            assert plain not in raw, (table, plain)
    from wayfinder.access.gate import get_access

    access = get_access(personas.actor(personas.navigator_a), personas.survivor.pk)
    plan = plan_for(personas.actor(personas.navigator_a), access)
    assert plan.goals[0].text == "Quiero un lugar seguro donde vivir con mi hija."
    assert plan.goals[0].language == "spa"


def test_forgetting_the_person_makes_the_plan_unreadable(personas):
    g = goal(personas)
    blob = bytes(Goal.objects.get(pk=g.pk).words_ct)
    forget_person(
        personas.survivor,
        actor=personas.actor(personas.admin_a),
        confirmation=personas.survivor.pseudonym,
    )
    with pytest.raises(crypto.KeyDestroyed):
        crypto.data_key(personas.survivor.pk)
    assert blob  # the ciphertext is still there, but nothing can open it any more


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"text": "   "}, "text", "text_required"),
        ({"domain": "astrology"}, "domain", "domain_required"),
        (
            {"target_date": timezone.localdate() - timedelta(days=1)},
            "target_date",
            "target_in_past",
        ),
    ],
)
def test_bad_goals_are_refused_with_a_code(personas, changes, field, code):
    with pytest.raises(ValidationError) as err:
        goal(personas, **changes)
    assert [e.code for e in err.value.error_dict[field]] == [code]
    assert not Goal.objects.exists()


def test_only_the_owning_agency_adds_goals(personas, lawyer_on_team):
    consent(personas, personas.legal, ["identity", "plan"])
    for user in (personas.lawyer_b, personas.outsider_c):
        with pytest.raises(PermissionDenied):
            add_goal(personas.survivor, actor=personas.actor(user), text="x", domain="housing")


def test_changes_are_audited_by_field_name_only(personas):
    g = goal(personas)
    update_goal(g, actor=personas.actor(personas.navigator_a), text="Una casa para mí y mi hija")
    set_goal_status(g, actor=personas.actor(personas.navigator_a), status="achieved")
    update = AuditEvent.objects.get(action="plan.goal_update")
    assert update.detail == {"fields": ["text"]} and update.categories == ["plan"]
    status = AuditEvent.objects.get(action="plan.goal_status")
    assert status.detail == {"was": "active", "now": "achieved"}
    assert "casa" not in str(update.detail)


def test_a_goal_can_point_at_a_need_of_the_same_person_only(personas):
    import uuid

    with pytest.raises(ValidationError) as err:
        goal(personas, need_id=uuid.uuid4())
    assert [e.code for e in err.value.error_dict["need_id"]] == ["need_unknown"]


def test_steps_go_to_the_care_team_only(personas, lawyer_on_team):
    g = goal(personas)
    s = step(personas, g, assignee="agency", assigned_agency=personas.legal)
    assert s.assigned_agency == personas.legal
    s = step(personas, g, assignee="staff", assigned_user=personas.lawyer_b)
    assert s.assigned_agency == personas.legal and s.assigned_user == personas.lawyer_b
    with pytest.raises(ValidationError) as err:
        step(personas, g, assignee="agency", assigned_agency=personas.housing)
    assert [e.code for e in err.value.error_dict["assigned_agency"]] == ["assignee_not_on_team"]
    with pytest.raises(ValidationError):
        step(personas, g, assignee="staff", assigned_user=personas.outsider_c)
