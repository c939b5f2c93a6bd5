"""Consent → FHIR R4 Consent (SDOHCC shape): valid for fhir.resources R4B and our value sets."""

import json

import pytest
from fhir.resources.R4B.consent import Consent as FhirConsent

from conftest import FHIR_EXAMPLES
from wayfinder.consent.actions import Signature, revoke_consent
from wayfinder.consent.fhir import (
    DATA_CATEGORY_SYSTEM,
    V3_ACT_CODE,
    check_consent,
    consent_to_fhir,
)
from wayfinder.consent.tests.factories import consent

EXAMPLE = FHIR_EXAMPLES / "Consent-SDOHCC-ConsentInformationDisclosureExample.json"


def validated(resource: dict) -> dict:
    FhirConsent.model_validate(resource)  # structure (raises on a missing or unknown element)
    assert check_consent(resource) == []  # codes
    return resource


def test_an_active_consent_maps_to_the_sdohcc_shape(personas):
    c = consent(
        personas, personas.legal, ["identity", "legal"], purposes=["referral", "care_coordination"]
    )
    r = validated(consent_to_fhir(c))
    assert r["status"] == "active"
    assert r["scope"]["coding"][0]["code"] == "patient-privacy"
    assert r["category"][0]["coding"][0] == {
        "system": V3_ACT_CODE,
        "code": "IDSCL",
        "display": "information disclosure",
    }
    assert r["patient"] == {"reference": f"Patient/{personas.survivor.pk}"}
    assert r["organization"][0]["reference"] == f"Organization/{personas.lead.pk}"
    p = r["provision"]
    assert p["type"] == "permit"
    assert p["period"]["end"] == c.expires_at.isoformat(timespec="seconds")
    assert p["actor"][0]["reference"]["reference"] == f"Organization/{personas.legal.pk}"
    assert p["actor"][0]["role"]["coding"][0]["code"] == "IRCP"
    assert [x["code"] for x in p["class"]] == ["identity", "legal"]
    assert {x["code"] for x in p["purpose"]} == {"referral", "care_coordination", "COC"}
    assert "policyRule" not in r
    # The signed form and the names in it stay in Wayfinder.
    assert "data" not in r["sourceAttachment"] and "Ana" not in json.dumps(r)


def test_a_withdrawn_consent_is_inactive_and_ends_when_withdrawn(personas):
    c = consent(personas, personas.legal, ["identity"])
    revoke_consent(c, actor=personas.actor(personas.navigator_a), channel="phone")
    c.refresh_from_db()
    r = validated(consent_to_fhir(c))
    assert r["status"] == "inactive"
    assert r["provision"]["period"]["end"] == c.revoked_at.isoformat(timespec="seconds")


def test_a_part2_consent_carries_42cfrpart2_and_the_sensitivity_label(personas):
    c = consent(
        personas,
        personas.housing,
        ["substance_use"],
        method="written",
        signature=Signature(
            kind="upload", upload=b"%PDF-1.4 x", upload_content_type="application/pdf"
        ),
        substance_use_description="Dates",
        part2_revocation_explained=True,
    )
    r = validated(consent_to_fhir(c))
    assert r["policyRule"]["coding"][0]["code"] == "42CFRPart2"
    assert r["provision"]["securityLabel"][0]["code"] == "ETH"
    assert r["sourceAttachment"]["contentType"] == "application/pdf"


def test_a_guardian_is_named_by_role_only(personas):
    c = consent(
        personas,
        personas.legal,
        ["identity"],
        grantor_capacity="court_guardian",
        grantor_name="Roberto Díaz",
    )
    r = validated(consent_to_fhir(c))
    assert r["performer"] == [{"display": "Court-appointed guardian"}]
    assert "Roberto" not in json.dumps(r)


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("status",), "bogus", "status"),
        (("scope", "coding", 0, "code"), "research", "patient-privacy"),
        (("provision", "class", 0, "code"), "bank_details", "data category"),
        (("provision", "purpose", 0, "code"), "marketing", "purpose"),
        (("provision", "type"), "maybe", "permit or deny"),
    ],
)
def test_value_set_checks_catch_what_fhir_resources_accepts(personas, path, value, problem):
    r = consent_to_fhir(consent(personas, personas.legal, ["identity"]))
    node = r
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    if path != ("provision", "type"):
        FhirConsent.model_validate(r)  # structure still passes: codes are ours to check
    assert any(problem in p for p in check_consent(r))


def test_substance_use_without_the_part2_rule_is_flagged(personas):
    r = consent_to_fhir(consent(personas, personas.legal, ["identity"]))
    r["provision"]["class"].append({"system": DATA_CATEGORY_SYSTEM, "code": "substance_use"})
    assert any("42CFRPart2" in p for p in check_consent(r))


def test_the_ig_example_passes_the_same_checks_where_it_applies():
    """Our checker agrees with the SDOHCC example on the shared elements (IDSCL, scope, source)."""
    example = json.loads(EXAMPLE.read_text())
    FhirConsent.model_validate(example)
    problems = check_consent(example)
    # The example has no provision (it is a bare authorisation); everything else agrees.
    assert all(p.startswith("provision") for p in problems), problems
