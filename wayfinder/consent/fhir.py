"""FHIR R4 ``Consent`` in the SDOH Clinical Care shape, from a Wayfinder consent.

Shape (SDOHCC-Consent): ``category`` IDSCL, ``scope`` patient-privacy, ``patient``, ``dateTime``,
``organization`` (the disclosing agency) and ``source[x]`` are present; the time limit, the one
recipient, the purposes and the data categories are ``provision.period`` / ``actor`` / ``purpose``
/ ``class``. The signed form itself is never exported (``sourceAttachment`` describes it only).
``fhir.resources`` checks structure but not codes, so ``check_consent`` checks our value sets.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from wayfinder.consent.models import Consent, ConsentStatus, GrantorCapacity, Purpose, SignatureKind
from wayfinder.core.categories import Category

SDOHCC_CONSENT = "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-Consent"
# Wayfinder's own code systems (no standard one exists for these).
WAYFINDER_CS = "http://wayfinder.example/fhir/CodeSystem/"
DATA_CATEGORY_SYSTEM = WAYFINDER_CS + "data-category"
PURPOSE_SYSTEM = WAYFINDER_CS + "consent-purpose"

V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
V3_PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction"
VAWA_POLICY = "https://www.law.cornell.edu/uscode/text/34/12291"

# R4 value sets this mapping emits (see check_consent).
CONSENT_STATUS = {"draft", "proposed", "active", "rejected", "inactive", "entered-in-error"}
CONSENT_SCOPES = {"adr", "research", "patient-privacy", "treatment"}
PROVISION_TYPE = {"deny", "permit"}
CONSENT_ACTIONS = {"collect", "access", "use", "disclose", "correct"}
# Where a v3 purpose of use fits ours; "reporting" (aggregate only) has none.
PURPOSE_V3 = {
    Purpose.REFERRAL: ("COC", "coordination of care"),
    Purpose.CARE_COORDINATION: ("COC", "coordination of care"),
}

_STATUS: dict[str, str] = {
    ConsentStatus.ACTIVE: "active",
    ConsentStatus.PENDING: "active",  # agreed; provision.period.start says when sharing begins
    ConsentStatus.EXPIRED: "inactive",
    ConsentStatus.REVOKED: "inactive",
}


def _iso(dt) -> str:
    return dt.isoformat(timespec="seconds")


def _performer(consent: Consent) -> dict:
    if consent.grantor_capacity == GrantorCapacity.SELF:
        return {"reference": f"Patient/{consent.person_id}"}
    # A guardian's name is personal data and stays in Wayfinder; the role is enough here.
    return {"display": str(GrantorCapacity(consent.grantor_capacity).label)}


def _source(consent: Consent) -> dict:
    attachment: dict[str, Any] = {
        "language": consent.form_language,
        "title": str(SignatureKind(consent.signature_kind).label),
        "creation": _iso(consent.signed_at),
    }
    if consent.signature_kind == SignatureKind.UPLOAD and consent.artifact_content_type:
        attachment["contentType"] = consent.artifact_content_type
        attachment["size"] = consent.artifact_size
    return attachment


def consent_to_fhir(consent: Consent) -> dict:
    """The consent as a FHIR R4 Consent (JSON-ready dict). Displays are in English."""
    with translation.override("en"):
        purposes = []
        seen_v3 = set()
        for p in consent.purposes:
            purposes.append({"system": PURPOSE_SYSTEM, "code": p, "display": str(Purpose(p).label)})
            if p in PURPOSE_V3 and PURPOSE_V3[p][0] not in seen_v3:
                code, display = PURPOSE_V3[p]
                seen_v3.add(code)
                purposes.append({"system": V3_ACT_REASON, "code": code, "display": display})
        provision = {
            "type": "permit",
            "period": {"start": _iso(consent.valid_from), "end": _iso(consent.ended_at)},
            "actor": [
                {
                    "role": {
                        "coding": [
                            {
                                "system": V3_PARTICIPATION,
                                "code": "IRCP",
                                "display": "information recipient",
                            }
                        ]
                    },
                    "reference": {
                        "reference": f"Organization/{consent.recipient_agency_id}",
                        "display": consent.recipient_agency.name,
                    },
                }
            ],
            "action": [{"coding": [{"system": CONSENT_ACTION, "code": "disclose"}]}],
            "purpose": purposes,
            "class": [
                {"system": DATA_CATEGORY_SYSTEM, "code": c, "display": str(Category(c).label)}
                for c in Category.values
                if c in consent.granted_categories
            ],
        }
        resource = {
            "resourceType": "Consent",
            "id": str(consent.pk),
            "meta": {"profile": [SDOHCC_CONSENT]},
            "status": _STATUS[consent.status()],
            "scope": {
                "coding": [
                    {
                        "system": CONSENT_SCOPE,
                        "code": "patient-privacy",
                        "display": "Privacy Consent",
                    }
                ]
            },
            "category": [
                {
                    "coding": [
                        {
                            "system": V3_ACT_CODE,
                            "code": "IDSCL",
                            "display": "information disclosure",
                        }
                    ]
                }
            ],
            "patient": {"reference": f"Patient/{consent.person_id}"},
            "dateTime": _iso(consent.signed_at),
            "performer": [_performer(consent)],
            "organization": [
                {
                    "reference": f"Organization/{consent.disclosing_agency_id}",
                    "display": consent.disclosing_agency.name,
                }
            ],
            "sourceAttachment": _source(consent),
            "policy": [{"uri": VAWA_POLICY}],
            "provision": provision,
        }
        if consent.part2:
            resource["policyRule"] = {
                "coding": [{"system": V3_ACT_CODE, "code": "42CFRPart2", "display": "42 CFR Part2"}]
            }
            provision["securityLabel"] = [
                {
                    "system": V3_ACT_CODE,
                    "code": "ETH",
                    "display": "substance abuse information sensitivity",
                }
            ]
    return resource


def check_consent(resource: dict) -> list[str]:
    """Our value-set checks (``fhir.resources`` accepts any code): a list of problems, [] if none."""
    problems = []
    if resource.get("status") not in CONSENT_STATUS:
        problems.append(f"status {resource.get('status')!r} is not a Consent.status")
    scopes = {c.get("code") for c in resource.get("scope", {}).get("coding", [])}
    if "patient-privacy" not in scopes or not scopes <= CONSENT_SCOPES:
        problems.append("scope must be patient-privacy")
    idscl = [
        c
        for cat in resource.get("category", [])
        for c in cat.get("coding", [])
        if c.get("system") == V3_ACT_CODE and c.get("code") == "IDSCL"
    ]
    if len(idscl) != 1:
        problems.append("category must hold IDSCL exactly once (SDOHCC)")
    for key in ("patient", "dateTime", "organization"):
        if not resource.get(key):
            problems.append(f"{key} is required (SDOHCC)")
    if not (resource.get("sourceAttachment") or resource.get("sourceReference")):
        problems.append("source[x] is required (SDOHCC)")
    if not (resource.get("policy") or resource.get("policyRule")):
        problems.append("policy or policyRule is required (ppc-1)")
    provision = resource.get("provision", {})
    if provision.get("type") not in PROVISION_TYPE:
        problems.append("provision.type must be permit or deny")
    if not provision.get("period", {}).get("end"):
        problems.append("provision.period.end is required (consent is always time-limited)")
    if len(provision.get("actor", [])) != 1:
        problems.append("provision.actor must name exactly one recipient")
    for action in provision.get("action", []):
        for c in action.get("coding", []):
            if c.get("system") == CONSENT_ACTION and c.get("code") not in CONSENT_ACTIONS:
                problems.append(f"provision.action {c.get('code')!r} is not a consent action")
    for c in provision.get("purpose", []):
        if c.get("system") == PURPOSE_SYSTEM and c.get("code") not in Purpose.values:
            problems.append(f"purpose {c.get('code')!r} is not a Wayfinder purpose")
        if c.get("system") == V3_ACT_REASON and c.get("code") not in {
            v[0] for v in PURPOSE_V3.values()
        }:
            problems.append(f"purpose {c.get('code')!r} is not a purpose of use we emit")
    classes = provision.get("class", [])
    if not classes:
        problems.append("provision.class must list the shared data categories")
    for c in classes:
        if c.get("system") != DATA_CATEGORY_SYSTEM or c.get("code") not in Category.values:
            problems.append(f"class {c.get('code')!r} is not a Wayfinder data category")
    shares_sud = any(c.get("code") == Category.SUBSTANCE_USE for c in classes)
    rule = {c.get("code") for c in resource.get("policyRule", {}).get("coding", [])}
    if shares_sud and "42CFRPart2" not in rule:
        problems.append("a consent sharing substance use information must carry 42CFRPart2")
    return problems
