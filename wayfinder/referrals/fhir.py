"""FHIR R4 referral exchange in the SDOH Clinical Care shapes: ``ServiceRequest`` + ``Task``.

A referral's Bundle holds the ``Task`` (SDOHCC-TaskForReferralManagement: intent ``order``, code
``fulfill``, ``focus`` the ServiceRequest), the ``ServiceRequest`` (SDOH category,
``supportingInfo`` the consents, ``orderDetail`` ``contacting-subject-prohibited`` unless the
person agreed to direct contact, ``pertainsToGoal``), the ``Consent``s in force, the ``Goal`` and a
``Patient`` holding **only the consented fields** of the referral payload
(``referrals.queries.referral_payload``). Nothing is read here: callers pass what may be shared.

``Task.status`` uses our referral statuses, which are the SDOHCC referral Task value set (no
``ready``, no ``received``). ``fhir.resources`` checks structure only, so ``check_bundle`` checks
the codes (with ``interop.valuesets.check_resource`` for Task, ServiceRequest and Patient, and the
consent and goal mappings' own checks).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from wayfinder.consent.fhir import check_consent, consent_to_fhir
from wayfinder.core.languages import BCP47
from wayfinder.core.service_categories import ServiceCategory
from wayfinder.interop import valuesets as vs
from wayfinder.plans.fhir import check_goal, goal_to_fhir
from wayfinder.referrals.models import Outcome, Reason, Referral, Status

SDOHCC = "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/"
TASK_PROFILE = SDOHCC + "SDOHCC-TaskForReferralManagement"
SERVICE_REQUEST_PROFILE = SDOHCC + "SDOHCC-ServiceRequest"
PERTAINS_TO_GOAL = "http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal"
INTERPRETER_REQUIRED = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
RECORD_CODE_SYSTEM = f"{vs.CANONICAL_BASE}/record-code"
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"

# Every status a referral Task may have: SDOHCC-ValueSetReferralTaskStatus = R4 TaskStatus minus
# ready and received. Our ``Status`` is exactly this list.
REFERRAL_TASK_STATUS = vs.REFERRAL_TASK_STATUS

SERVICE_REQUEST_STATUS: dict[str, str] = {
    Status.DRAFT: "draft",
    Status.REQUESTED: "active",
    Status.ACCEPTED: "active",
    Status.IN_PROGRESS: "active",
    Status.ON_HOLD: "on-hold",
    Status.COMPLETED: "completed",
    Status.REJECTED: "revoked",
    Status.CANCELLED: "revoked",
    Status.FAILED: "revoked",
    Status.ENTERED_IN_ERROR: "entered-in-error",
}
# FHIR asks for statusReason on these.
REASON_STATUSES = {Status.REJECTED, Status.CANCELLED, Status.ON_HOLD, Status.FAILED}

# The nearest SDOHCC category (required binding); there is no trafficking, legal or health code.
SDOH_CATEGORY: dict[str, str] = {
    ServiceCategory.EMERGENCY_SHELTER: "homelessness",
    ServiceCategory.HOUSING: "housing-instability",
    ServiceCategory.MENTAL_HEALTH: "stress",
    ServiceCategory.INTERPRETATION: "language-access",
    ServiceCategory.TRANSPORTATION: "transportation-insecurity",
    ServiceCategory.EDUCATION: "educational-attainment",
    ServiceCategory.VOCATIONAL: "employment-status",
    ServiceCategory.EMPLOYMENT: "employment-status",
    ServiceCategory.FINANCIAL: "financial-insecurity",
    ServiceCategory.BASIC_NEEDS: "material-hardship",
    ServiceCategory.MENTORING: "social-connection",
    ServiceCategory.COMMUNITY: "social-connection",
    ServiceCategory.AWARENESS: "protective-factor",
}
SDOH_DISPLAY = {
    "sdoh-category-unspecified": "SDOH Category Unspecified",
    "homelessness": "Homelessness",
    "housing-instability": "Housing Instability",
    "stress": "Stress",
    "language-access": "Language Access",
    "transportation-insecurity": "Transportation Insecurity",
    "educational-attainment": "Educational Attainment",
    "employment-status": "Employment Status",
    "financial-insecurity": "Financial Insecurity",
    "material-hardship": "Material Hardship",
    "social-connection": "Social Connection",
    "protective-factor": "Protective Factor",
}


def _iso(dt) -> str:
    return dt.isoformat(timespec="seconds")


def full_url(resource_type: str, resource_id) -> str:
    return f"{settings.WAYFINDER_SITE_URL.rstrip('/')}/fhir/{resource_type}/{resource_id}"


def _org(agency_id, name: str) -> dict:
    ref = {"display": name}
    if agency_id:
        ref["reference"] = f"Organization/{agency_id}"
    return ref


def _coding(system: str, code: str, display: str) -> dict:
    return {"system": system, "code": code, "display": display}


# --- Patient: consented fields only --------------------------------------------------------------


def _present(fields: dict, name: str, declined: set[str]):
    value = fields.get(name)
    if value in (None, "", [], "declined") or name in declined:
        return None
    return value


def patient_to_fhir(person_id, payload: dict) -> dict:
    """The Patient as the recipient may see it: the record code, plus consented fields only."""
    fields, declined = payload.get("fields", {}), set(payload.get("declined", []))
    resource: dict = {
        "resourceType": "Patient",
        "id": str(person_id),
        "identifier": [{"system": RECORD_CODE_SYSTEM, "value": payload["pseudonym"]}],
    }
    names = []
    if chosen := _present(fields, "chosen_name", declined):
        names.append({"use": "usual", "text": chosen})
    if legal := _present(fields, "legal_name", declined):
        names.append({"use": "official", "text": legal})
    for alias in _present(fields, "aliases", declined) or []:
        names.append({"use": "old", "text": alias})
    if names:
        resource["name"] = names
    if dob := _present(fields, "date_of_birth", declined):
        resource["birthDate"] = dob if isinstance(dob, str) else dob.isoformat()
    telecom = []
    if phone := _present(fields, "phone", declined):
        telecom.append({"system": "phone", "value": phone})
    if email := _present(fields, "email", declined):
        telecom.append({"system": "email", "value": email})
    if telecom:
        resource["telecom"] = telecom
    address = {}
    if text := _present(fields, "address", declined):
        address["text"] = text
    if postal := _present(fields, "postal_code", declined):
        address["postalCode"] = postal
    if address:
        resource["address"] = [address]
    languages = _present(fields, "preferred_languages", declined) or []
    communication = []
    for rank, code in enumerate(languages):
        tag = BCP47.get(code)
        language = {"coding": [{"system": vs.BCP47_SYSTEM, "code": tag}]} if tag else {}
        language["text"] = code
        communication.append({"language": language, "preferred": rank == 0})
    if communication:
        resource["communication"] = communication
    interpreter = _present(fields, "interpreter_needed", declined)
    if interpreter in ("yes", "no"):
        resource.setdefault("extension", []).append(
            {"url": INTERPRETER_REQUIRED, "valueBoolean": interpreter == "yes"}
        )
    return resource


# --- ServiceRequest and Task ---------------------------------------------------------------------


def _category_label(category: str) -> str:
    with translation.override("en"):
        return str(ServiceCategory(category).label)


def service_request_to_fhir(
    referral: Referral, *, consent_ids=(), goal_id=None, note: str = "", reason: str = ""
) -> dict:
    """The referral as the SDOHCC ServiceRequest (what is asked for, of whom, under which consent)."""
    sdoh = SDOH_CATEGORY.get(referral.service_category, "sdoh-category-unspecified")
    label = _category_label(referral.service_category)
    resource: dict = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "meta": {"profile": [SERVICE_REQUEST_PROFILE]},
        "identifier": [{"system": f"{vs.CANONICAL_BASE}/referral", "value": referral.reference}],
        "status": SERVICE_REQUEST_STATUS[referral.status],
        "intent": "order",
        "category": [
            {"coding": [_coding(vs.SDOHCC_TEMPORARY, sdoh, SDOH_DISPLAY[sdoh])]},
            {"coding": [_coding(vs.SERVICE_CATEGORY, referral.service_category, label)]},
        ],
        "code": {
            "coding": [_coding(vs.SERVICE_CATEGORY, referral.service_category, label)],
            "text": referral.service_name or label,
        },
        "priority": referral.priority,
        "subject": {"reference": f"Patient/{referral.person_id}"},
        "authoredOn": _iso(referral.sent_at or referral.created_at),
        "requester": _org(referral.sending_agency_id, referral.sending_agency.name),
        "performer": [_org(referral.recipient_agency_id, referral.recipient_name)],
    }
    if consent_ids:
        resource["supportingInfo"] = [{"reference": f"Consent/{c}"} for c in consent_ids]
    if referral.contact_prohibited:
        resource["orderDetail"] = [
            {
                "coding": [
                    _coding(
                        vs.SDOHCC_TEMPORARY,
                        "contacting-subject-prohibited",
                        "Contacting Subject Prohibited",
                    )
                ]
            }
        ]
    if goal_id:
        resource["extension"] = [
            {"url": PERTAINS_TO_GOAL, "valueReference": {"reference": f"Goal/{goal_id}"}}
        ]
    if reason:
        # The reason for referral, as the sender wrote it for the partner (consented only).
        resource["reasonCode"] = [{"text": reason}]
    if note:
        resource["note"] = [{"text": note}]
    return resource


def task_to_fhir(referral: Referral) -> dict:
    """The referral's Task (SDOHCC-TaskForReferralManagement): where it stands, and its outcome."""
    resource: dict = {
        "resourceType": "Task",
        "id": str(referral.pk),
        "meta": {"profile": [TASK_PROFILE], "lastUpdated": _iso(referral.updated_at)},
        "identifier": [{"system": f"{vs.CANONICAL_BASE}/referral", "value": referral.reference}],
        "status": referral.status,
        "intent": "order",
        "priority": referral.priority,
        "code": {"coding": [_coding(vs.TASK_CODE, "fulfill", "Fulfill the focal request")]},
        "focus": {"reference": f"ServiceRequest/{referral.pk}"},
        "for": {"reference": f"Patient/{referral.person_id}"},
        "authoredOn": _iso(referral.created_at),
        "lastModified": _iso(referral.updated_at),
        "requester": _org(referral.sending_agency_id, referral.sending_agency.name),
        "owner": _org(referral.recipient_agency_id, referral.recipient_name),
    }
    if referral.status in REASON_STATUSES and referral.reason:
        with translation.override("en"):
            display = str(Reason(referral.reason).label)
        resource["statusReason"] = {
            "coding": [_coding(vs.REFERRAL_REASON, referral.reason, display)],
            "text": display,
        }
    if referral.status == Status.COMPLETED and referral.outcome:
        with translation.override("en"):
            display = str(Outcome(referral.outcome).label)
        resource["output"] = [
            {
                "type": {
                    "coding": [
                        _coding(vs.SDOHCC_TEMPORARY, "resulting-activity", "Resulting Activity")
                    ]
                },
                "valueCodeableConcept": {
                    "coding": [_coding(vs.REFERRAL_OUTCOME, referral.outcome, display)],
                    "text": display,
                },
            }
        ]
    return resource


# --- bundles -------------------------------------------------------------------------------------


def referral_bundle(referral: Referral, payload: dict, *, consents=(), goal=None) -> dict:
    """A ``collection`` Bundle for one referral. ``payload``: from ``referral_payload`` (what the
    recipient may see); ``consents``: the Consent rows in force; ``goal``: the plans Goal, only
    when the payload carries it."""
    consent_ids = [str(c.pk) for c in consents]
    goal_words = (payload.get("goal") or {}).get("text") if goal is not None else None
    resources = [
        task_to_fhir(referral),
        service_request_to_fhir(
            referral,
            consent_ids=consent_ids,
            goal_id=goal.pk if goal is not None else None,
            note=payload.get("note", ""),
            reason=payload.get("reason_for_referral", ""),
        ),
        patient_to_fhir(referral.person_id, payload),
        *(consent_to_fhir(c) for c in consents),
    ]
    if goal is not None:
        resources.append(goal_to_fhir(goal, goal_words))
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _iso(timezone.now()),
        "entry": [
            {"fullUrl": full_url(r["resourceType"], r["id"]), "resource": r} for r in resources
        ],
    }
    if "substance_use" in payload.get("categories", []):
        # 42 CFR Part 2 information inside: label it, as the consent mapping does.
        bundle["meta"] = {
            "security": [_coding(V3_ACT_CODE, "ETH", "substance abuse information sensitivity")]
        }
    return bundle


def search_bundle(referrals, *, self_url: str, include_focus: bool = False) -> dict:
    """A ``searchset`` Bundle of Tasks (and, with ``_include=Task:focus``, their ServiceRequests)."""
    entries = []
    for r in referrals:
        task = task_to_fhir(r)
        entries.append(
            {"fullUrl": full_url("Task", r.pk), "resource": task, "search": {"mode": "match"}}
        )
    if include_focus:
        for r in referrals:
            entries.append(
                {
                    "fullUrl": full_url("ServiceRequest", r.pk),
                    "resource": service_request_to_fhir(r, consent_ids=r.consent_ids),
                    "search": {"mode": "include"},
                }
            )
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": _iso(timezone.now()),
        "total": len(referrals),
        "link": [{"relation": "self", "url": self_url}],
        "entry": entries,
    }


# --- checks --------------------------------------------------------------------------------------


def check_task(resource: dict) -> list[str]:
    problems = []
    if resource.get("status") not in REFERRAL_TASK_STATUS:
        problems.append(f"Task.status {resource.get('status')!r} is not a referral Task status")
    if resource.get("intent") != "order":
        problems.append("Task.intent must be order (SDOHCC)")
    codes = [c.get("code") for c in resource.get("code", {}).get("coding", [])]
    if codes != ["fulfill"]:
        problems.append("Task.code must be task-code#fulfill (SDOHCC)")
    for key in ("focus", "for", "authoredOn", "requester"):
        if not resource.get(key):
            problems.append(f"Task.{key} is required (SDOHCC)")
    if not resource.get("focus", {}).get("reference", "").startswith("ServiceRequest/"):
        problems.append("Task.focus must be the ServiceRequest")
    if resource.get("status") in REASON_STATUSES - {Status.ON_HOLD} and not resource.get(
        "statusReason", {}
    ).get("text"):
        problems.append(f"Task.statusReason.text is expected when {resource.get('status')}")
    return problems


def check_service_request(resource: dict) -> list[str]:
    problems = []
    sdoh = [
        c
        for cat in resource.get("category", [])
        for c in cat.get("coding", [])
        if c.get("system") == vs.SDOHCC_TEMPORARY
    ]
    if not sdoh:
        problems.append("ServiceRequest.category must hold an SDOHCC category")
    if not resource.get("subject", {}).get("reference", "").startswith("Patient/"):
        problems.append("ServiceRequest.subject must be the Patient")
    if not resource.get("code"):
        problems.append("ServiceRequest.code is required (US Core)")
    return problems


def check_bundle(bundle: dict) -> list[str]:
    """Every code in a referral Bundle (or search Bundle) checked against our value sets."""
    problems = []
    if bundle.get("type") not in {"collection", "searchset"}:
        problems.append(f"Bundle.type {bundle.get('type')!r}")
    for n, entry in enumerate(bundle.get("entry", [])):
        r = entry["resource"]
        rtype = r.get("resourceType")
        if rtype == "Consent":
            found = check_consent(r)
        elif rtype == "Goal":
            found = check_goal(r)
        else:
            found = vs.check_resource(r)
            if rtype == "Task":
                found += check_task(r)
            elif rtype == "ServiceRequest":
                found += check_service_request(r)
        problems += [f"entry[{n}] {rtype}: {p}" for p in found]
    return problems


def parse_instant(value: str) -> tuple[str, object]:
    """``gt2026-01-01T00:00:00Z`` → ("gt", datetime); a bare date is midnight UTC. ValueError if bad."""
    prefix = value[:2] if value[:2] in {"gt", "ge", "lt", "le", "eq"} else "eq"
    raw = value[2:] if value[:2] == prefix else value
    moment = parse_datetime(raw)
    if moment is None:
        day = date.fromisoformat(raw)  # ValueError when not a date either
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return prefix, moment


def value_sets() -> list[vs.ValueSet]:
    """Referral reasons and outcomes (``ReferralsConfig.fhir_value_sets``: declared to
    ``interop.valuesets``)."""
    return [
        vs.value_set("referral-reason", vs.REFERRAL_REASON, Reason.values),
        vs.value_set("referral-outcome", vs.REFERRAL_OUTCOME, Outcome.values),
    ]
