"""Plan goal → FHIR R4 Goal (SDOHCC shape): valid for fhir.resources R4B and our value sets."""

import uuid

from fhir.resources.R4B.goal import Goal as FhirGoal

from wayfinder.plans.actions import set_goal_status
from wayfinder.plans.fhir import SDOHCC_CATEGORY_SYSTEM, check_goal, goal_to_fhir
from wayfinder.plans.models import Goal
from wayfinder.plans.tests.factories import goal


def validated(resource):
    FhirGoal.model_validate(resource)
    assert check_goal(resource) == []
    return resource


def test_goal_in_the_persons_words(personas):
    g = goal(personas, text="Quiero un lugar seguro donde vivir.", domain="housing")
    r = validated(goal_to_fhir(g, "Quiero un lugar seguro donde vivir."))
    assert r["lifecycleStatus"] == "active"
    assert r["achievementStatus"]["coding"][0]["code"] == "in-progress"
    assert r["description"] == {"text": "Quiero un lugar seguro donde vivir."}
    assert r["expressedBy"] == r["subject"] == {"reference": f"Patient/{personas.survivor.pk}"}
    sdohcc = [
        c["coding"][0] for c in r["category"] if c["coding"][0]["system"] == SDOHCC_CATEGORY_SYSTEM
    ]
    assert [c["code"] for c in sdohcc] == ["housing-instability"]
    assert r["target"] == [{"dueDate": g.target_date.isoformat()}]


def test_without_the_words_the_description_is_the_domain(personas):
    g = goal(personas, domain="safety")
    r = validated(goal_to_fhir(g))
    assert r["description"] == {"text": "Safety"}
    assert r["category"][0]["coding"][0]["code"] == "sdoh-category-unspecified"


def test_statuses_map_to_lifecycle_and_achievement(personas):
    g = goal(personas)
    expected = {
        "achieved": ("completed", "achieved"),
        "on_hold": ("on-hold", "no-progress"),
        "stopped": ("cancelled", None),
    }
    for status, (lifecycle, achievement) in expected.items():
        set_goal_status(g, actor=personas.actor(personas.navigator_a), status=status)
        r = validated(goal_to_fhir(Goal.objects.get(pk=g.pk), "x"))
        assert r["lifecycleStatus"] == lifecycle
        got = r.get("achievementStatus", {}).get("coding", [{}])[0].get("code")
        assert got == achievement


def test_a_linked_need_is_addressed_as_a_condition(personas):
    g = goal(personas)
    g.need_id = uuid.uuid4()  # unsaved: only the mapping is under test
    r = validated(goal_to_fhir(g, "x"))
    assert r["addresses"] == [{"reference": f"Condition/{g.need_id}"}]


def test_value_set_checks_catch_bad_codes(personas):
    r = goal_to_fhir(goal(personas), "x")
    r["lifecycleStatus"] = "bogus"
    r["category"][0]["coding"][0]["code"] = "trafficking"
    FhirGoal.model_validate(r)  # fhir.resources does not check codes
    problems = check_goal(r)
    assert any("lifecycleStatus" in p for p in problems)
    assert any("SDOHCC-ValueSetSDOHCategory" in p for p in problems)


def test_a_substance_use_goal_is_labelled_and_carries_the_notice(personas):
    from wayfinder.consent.part2 import REDISCLOSURE_STATEMENT

    r = validated(
        goal_to_fhir(goal(personas, text="Stay sober", domain="substance_use"), "Stay sober")
    )
    assert {c["code"] for c in r["meta"]["security"]} == {"ETH", "42CFRPart2"}
    assert r["note"] == [{"text": REDISCLOSURE_STATEMENT}]
    del r["note"]
    assert any("§2.32" in p for p in check_goal(r))
