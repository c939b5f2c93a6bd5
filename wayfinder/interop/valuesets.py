"""The value sets behind every code Wayfinder puts into a FHIR resource, and a checker.

``fhir.resources`` checks structure, not codes (it accepts ``status="bogus"``), so every export is
also run through ``check_resource``: each Coding's (system, code) must come from a value set
declared here, and each bound ``code`` element from its required value set.

Our own code systems live under ``CANONICAL_BASE``. The ``.example`` top-level domain is reserved
(RFC 2606): a stable namespace that does not pretend to resolve. Replace it when the project
publishes its implementation guide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string

from wayfinder.core.languages import BCP47
from wayfinder.core.service_categories import ServiceCategory, Urgency

CANONICAL_BASE = "http://wayfinder.example/fhir"


def code_system(name: str) -> str:
    return f"{CANONICAL_BASE}/CodeSystem/{name}"


# --- external code systems -----------------------------------------------------------------------

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
US_CORE_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-category"
SDOHCC_TEMPORARY = (
    "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
)
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
DATA_ABSENT_REASON_EXT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
TRANSLATION_EXT = "http://hl7.org/fhir/StructureDefinition/translation"
REQUEST_PRIORITY = "http://hl7.org/fhir/request-priority"

# "I choose not to answer this question": how PRAPARE (SDOHCC example) records a declined answer.
LOINC_DECLINED = "LA30122-8"

# --- our code systems ----------------------------------------------------------------------------

SERVICE_CATEGORY = code_system("service-category")
URGENCY = code_system("urgency")
NEED_STATUS = code_system("need-status")
ASSESSMENT_SCORE = code_system("assessment-score")
ASSESSMENT_COUNT = code_system("assessment-count")


def instrument_answers_system(instrument_id: str) -> str:
    """The code system of one instrument's answer options (stable across its versions)."""
    return code_system(f"answers-{instrument_id.replace('_', '-')}")


@dataclass(frozen=True)
class ValueSet:
    name: str
    system: str | None  # None: a plain ``code`` element (no system)
    codes: frozenset[str]

    @property
    def url(self) -> str:
        return f"{CANONICAL_BASE}/ValueSet/{self.name}"


def value_set(name: str, system: str | None, codes: Iterable[str]) -> ValueSet:
    return ValueSet(name, system, frozenset(codes))


STATIC_VALUE_SETS: tuple[ValueSet, ...] = (
    value_set("service-category", SERVICE_CATEGORY, ServiceCategory.values),
    value_set("urgency", URGENCY, Urgency.values),
    value_set("need-status", NEED_STATUS, ["open", "in_progress", "met", "declined"]),
    value_set(
        "assessment-count",
        ASSESSMENT_COUNT,
        ["items-answered", "items-declined", "items-unanswered"],
    ),
    value_set("declined-answer", LOINC, [LOINC_DECLINED]),
    value_set("score-unit", UCUM, ["{score}"]),
    value_set("observation-category", OBSERVATION_CATEGORY, ["survey"]),
    value_set("us-core-category", US_CORE_CATEGORY, ["sdoh"]),
    value_set(
        "sdoh-category",
        SDOHCC_TEMPORARY,
        [
            "sdoh-category-unspecified",
            "housing-instability",
            "homelessness",
            "financial-insecurity",
            "material-hardship",
            "educational-attainment",
            "employment-status",
            "stress",
            "social-connection",
            "language-access",
            "protective-factor",
        ],
    ),
    value_set("data-absent-reason", DATA_ABSENT_REASON, ["asked-declined", "unknown"]),
    value_set("request-priority", REQUEST_PRIORITY, ["routine", "urgent", "asap", "stat"]),
)

# Required bindings of plain ``code`` elements: (resource type, dotted path) -> allowed codes.
CODE_BINDINGS: dict[tuple[str, str], frozenset[str]] = {
    ("Questionnaire", "status"): frozenset({"draft", "active", "retired", "unknown"}),
    ("Questionnaire", "item.type"): frozenset(
        {"group", "display", "boolean", "decimal", "integer", "date", "string", "text", "choice"}
    ),
    ("Questionnaire", "item.enableBehavior"): frozenset({"all", "any"}),
    ("Questionnaire", "item.enableWhen.operator"): frozenset(
        {"exists", "=", "!=", ">", "<", ">=", "<="}
    ),
    ("QuestionnaireResponse", "status"): frozenset(
        {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
    ),
    # The SDOHCC observation profiles narrow R4's list to these.
    ("Observation", "status"): frozenset({"final", "corrected", "entered-in-error", "unknown"}),
    ("Bundle", "type"): frozenset({"collection", "searchset", "document"}),
}
SDOH_CATEGORY_CODES = next(v.codes for v in STATIC_VALUE_SETS if v.name == "sdoh-category")


def contributed_value_sets() -> list[ValueSet]:
    """The value sets the apps contribute: ``fhir_value_sets`` on an AppConfig names a function
    returning them (assessments: one per instrument; referrals: reasons and outcomes). This module
    imports no app, so every app's FHIR mapper can use it."""
    sets: list[ValueSet] = []
    for config in apps.get_app_configs():
        path = getattr(config, "fhir_value_sets", None)
        if path:
            sets.extend(import_string(path)())
    return sets


def declared() -> dict[str, frozenset[str]]:
    """{system: codes} of every coded value set we may emit."""
    out: dict[str, set[str]] = {}
    for vs in (*STATIC_VALUE_SETS, *contributed_value_sets()):
        if vs.system:
            out.setdefault(vs.system, set()).update(vs.codes)
    return {k: frozenset(v) for k, v in out.items()}


# --- the checker ---------------------------------------------------------------------------------


_NESTED_ITEMS = re.compile(r"^(item\.)+item(?=\.|$)")


def _walk(node: object, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every JSON object in ``node`` (dicts, also inside lists), with its dotted path."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value, path)


def check_resource(
    resource: dict, *, allowed: dict[str, frozenset[str]] | None = None
) -> list[str]:
    """Problems with the codes in one resource (or a Bundle of them); [] when all are ours."""
    if resource.get("resourceType") == "Bundle":
        problems = _check_one(resource, allowed)
        for n, entry in enumerate(resource.get("entry", [])):
            problems += [
                f"entry[{n}]: {p}" for p in check_resource(entry["resource"], allowed=allowed)
            ]
        return problems
    return _check_one(resource, allowed)


def _check_one(resource: dict, allowed) -> list[str]:
    allowed = allowed or declared()
    rtype = resource.get("resourceType", "")
    problems = []
    for path, node in _walk(resource, ""):
        if path.startswith("entry"):  # a Bundle's entries are checked one by one
            continue
        if "system" in node and "code" in node:  # a Coding (or a coded Quantity)
            codes = allowed.get(node["system"])
            if codes is None:
                problems.append(f"{rtype}.{path}: system {node['system']} is not declared")
            elif str(node["code"]) not in codes:
                problems.append(f"{rtype}.{path}: code {node['code']!r} not in {node['system']}")
        if node.get("url") == DATA_ABSENT_REASON_EXT and node.get("valueCode") not in allowed.get(
            DATA_ABSENT_REASON, ()
        ):
            problems.append(f"{rtype}.{path}: data-absent-reason {node.get('valueCode')!r}")
        flat = _NESTED_ITEMS.sub("item", path)  # item.item.type is an item's type too
        for (btype, bpath), codes in CODE_BINDINGS.items():
            if btype != rtype:
                continue
            parent, _dot, leaf = bpath.rpartition(".")
            if flat == parent and leaf in node and node[leaf] not in codes:
                problems.append(f"{rtype}.{bpath}: {node[leaf]!r} is not allowed")
    return problems


def assert_valid_codes(resource: dict) -> None:
    """Raise ValueError listing every code that is not from a declared value set."""
    problems = check_resource(resource)
    if problems:
        raise ValueError("; ".join(problems))


# --- referrals (appended for wayfinder.referrals / referrals.fhir) ------------------------
# SDOHCC-ValueSetReferralTaskStatus: R4 TaskStatus without ``ready`` and ``received``.
REFERRAL_TASK_STATUS = frozenset(
    {
        "draft",
        "requested",
        "accepted",
        "rejected",
        "in-progress",
        "on-hold",
        "completed",
        "cancelled",
        "failed",
        "entered-in-error",
    }
)
TASK_CODE = "http://hl7.org/fhir/CodeSystem/task-code"
REFERRAL_REASON = code_system("referral-reason")
REFERRAL_OUTCOME = code_system("referral-outcome")
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
BCP47_SYSTEM = "urn:ietf:bcp:47"


CODE_BINDINGS.update(
    {
        ("Task", "status"): REFERRAL_TASK_STATUS,
        ("Task", "intent"): frozenset({"order"}),
        ("Task", "priority"): frozenset({"routine", "urgent", "asap", "stat"}),
        ("ServiceRequest", "status"): frozenset(
            {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
        ),
        ("ServiceRequest", "intent"): frozenset({"order"}),
        ("ServiceRequest", "priority"): frozenset({"routine", "urgent", "asap", "stat"}),
    }
)


STATIC_VALUE_SETS = (
    *STATIC_VALUE_SETS,
    value_set("task-code", TASK_CODE, ["fulfill"]),
    value_set(
        "sdoh-referral",
        SDOHCC_TEMPORARY,
        ["transportation-insecurity", "contacting-subject-prohibited", "resulting-activity"],
    ),
    value_set("security-label", V3_ACT_CODE, ["ETH"]),
    value_set("language", BCP47_SYSTEM, BCP47.values()),
)
