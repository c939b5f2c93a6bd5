"""The referral as FHIR: a Bundle with Task, ServiceRequest, Consent, Goal and Patient that
``fhir.resources`` (R4B) accepts, whose codes come from our value sets, and whose Patient holds
only the consented fields."""

import pytest
from fhir.resources.R4B.bundle import Bundle

from wayfinder.consent.models import Consent
from wayfinder.referrals import actions, fhir, queries
from wayfinder.referrals.models import TRANSITIONS, Status
from wayfinder.referrals.tests.factories import referral_consent


@pytest.fixture
def goal(personas, nav):
    from wayfinder.plans.actions import add_goal

    return add_goal(
        personas.survivor,
        actor=nav,
        text="Get back the wages they kept",
        domain="income_employment",
    )


def _bundle(actor, referral):
    referral = queries.get_referral(actor, referral.pk).referral
    payload = queries.referral_payload(actor, referral, action="referral.fhir_export")
    ids = sorted({c for ids in payload["consents"].values() for c in ids})
    consents = list(Consent.objects.filter(pk__in=ids).order_by("pk"))
    goal = None
    if payload["goal"]:
        from wayfinder.plans.models import Goal

        goal = Goal.objects.get(pk=referral.goal_id)
    return fhir.referral_bundle(referral, payload, consents=consents, goal=goal)


def _by_type(bundle):
    return {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}


def test_the_bundle_validates_and_holds_every_resource(personas, nav, lawyer, legal_service, goal):
    referral_consent(personas, personas.legal, ["identity", "legal", "plan"])
    referral = actions.create_referral(
        personas.survivor,
        actions.ReferralRequest(service=legal_service, goal_id=goal.pk),
        actor=nav,
    )
    bundle = _bundle(lawyer, referral)
    Bundle.model_validate(bundle)  # structure (R4B)
    assert fhir.check_bundle(bundle) == []  # codes
    resources = _by_type(bundle)
    assert set(resources) == {"Task", "ServiceRequest", "Consent", "Goal", "Patient"}
    task, request = resources["Task"], resources["ServiceRequest"]
    assert task["status"] == "requested" and task["intent"] == "order"
    assert task["focus"]["reference"] == f"ServiceRequest/{referral.pk}"
    assert task["owner"]["reference"] == f"Organization/{personas.legal.pk}"
    assert request["orderDetail"][0]["coding"][0]["code"] == "contacting-subject-prohibited"
    assert request["supportingInfo"] == [{"reference": f"Consent/{resources['Consent']['id']}"}]
    assert request["extension"][0]["valueReference"] == {"reference": f"Goal/{goal.pk}"}
    assert resources["Goal"]["description"]["text"] == "Get back the wages they kept"


def test_the_patient_holds_only_consented_fields(
    personas, nav, lawyer, legal_service, legal_consent
):
    referral = actions.create_referral(
        personas.survivor, actions.ReferralRequest(service=legal_service), actor=nav
    )
    patient = _by_type(_bundle(lawyer, referral))["Patient"]
    assert patient["name"][0] == {"use": "usual", "text": "Ana Rivera"}
    assert patient["birthDate"] == "1996-04-12"
    assert patient["identifier"][0]["value"] == personas.survivor.pseudonym
    for absent in ("telecom", "address", "communication", "gender"):
        assert absent not in patient
    referral_consent(personas, personas.legal, ["contact", "demographics", "communication"])
    patient = _by_type(_bundle(lawyer, referral))["Patient"]
    assert patient["telecom"] == [{"system": "phone", "value": "+1 555 0100"}]
    assert patient["address"] == [{"postalCode": "60601"}]
    assert patient["communication"][0]["language"]["coding"][0]["code"] == "es"


@pytest.mark.parametrize("steps,status", [
    ([], "requested"),
    ([("reject", {"reason": "no_capacity"})], "rejected"),
    ([("accept", {}), ("start", {}), ("hold", {"reason": "unable_to_contact"})], "on-hold"),
    ([("accept", {}), ("start", {}), ("complete", {"outcome": "service_provided"})], "completed"),
    ([("accept", {}), ("fail", {"reason": "person_declined"})], "failed"),
    ([("cancel", {"reason": "no_longer_needed"})], "cancelled"),
    ([("mark_error", {"reason": "sent_in_error"})], "entered-in-error"),
])  # fmt: skip
def test_task_status_comes_from_the_referral_value_set(
    personas, nav, lawyer, legal_service, legal_consent, steps, status
):
    referral = actions.create_referral(
        personas.survivor, actions.ReferralRequest(service=legal_service), actor=nav
    )
    for name, kwargs in steps:
        actor = nav if TRANSITIONS[name].side == "sender" else lawyer
        referral = actions.transition(referral, name, actor=actor, **kwargs)
    bundle = _bundle(nav, referral)
    Bundle.model_validate(bundle)
    assert fhir.check_bundle(bundle) == []
    task = _by_type(bundle)["Task"]
    assert task["status"] == status and status in fhir.REFERRAL_TASK_STATUS
    if status in {"rejected", "cancelled", "failed"}:
        assert task["statusReason"]["text"]
    if status == "completed":
        assert task["output"][0]["valueCodeableConcept"]["coding"][0]["code"] == "service_provided"


def test_a_bad_status_is_caught_by_our_checks(personas, nav, legal_service, legal_consent):
    referral = actions.create_referral(
        personas.survivor, actions.ReferralRequest(service=legal_service), actor=nav
    )
    bundle = _bundle(nav, referral)
    _by_type(bundle)["Task"]["status"] = "received"  # valid R4, not for referral Tasks
    Bundle.model_validate(bundle)  # fhir.resources does not check codes...
    problems = fhir.check_bundle(bundle)  # ...we do
    assert any("received" in p for p in problems)


def test_substance_use_bundle_is_labelled(personas, nav, lawyer, legal_service, needs):
    from wayfinder.referrals.tests.factories import PART2

    referral_consent(
        personas, personas.legal, ["identity", "legal", "needs", "substance_use"], **PART2
    )
    referral = actions.create_referral(
        personas.survivor,
        actions.ReferralRequest(service=legal_service, need_id=needs["sud"].pk),
        actor=nav,
    )
    bundle = _bundle(lawyer, referral)
    assert bundle["meta"]["security"][0]["code"] == "ETH"
    assert fhir.check_bundle(bundle) == []
    consent = _by_type(bundle)["Consent"]
    assert consent["policyRule"]["coding"][0]["code"] == "42CFRPart2"


def test_statuses_and_search_bundle(personas, nav, legal_service, legal_consent):
    assert set(Status.values) == fhir.REFERRAL_TASK_STATUS
    referral = actions.create_referral(
        personas.survivor, actions.ReferralRequest(service=legal_service), actor=nav
    )
    bundle = fhir.search_bundle([referral], self_url="http://x/Task", include_focus=True)
    Bundle.model_validate(bundle)
    assert fhir.check_bundle(bundle) == []
    assert [e["search"]["mode"] for e in bundle["entry"]] == ["match", "include"]
