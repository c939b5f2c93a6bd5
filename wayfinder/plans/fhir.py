"""FHIR R4 ``Goal`` (SDOH Clinical Care shape) from a goal of the person-centred plan.

A substance use goal is labelled ETH / 42CFRPart2 and carries the §2.32 notice in ``note``.
The goal's words are the person's own, so ``description.text`` carries them and ``expressedBy``
points to the Patient. ``category`` holds the SDOHCC category nearest the domain (required binding)
and Wayfinder's own domain code. Callers pass the words only when the recipient may see them (the
plan queries decide); otherwise the description is the domain name.
"""

from __future__ import annotations

from django.utils import translation

from wayfinder.consent.fhir import V3_ACT_CODE, WAYFINDER_CS
from wayfinder.consent.part2 import REDISCLOSURE_STATEMENT
from wayfinder.core.categories import Category
from wayfinder.plans.models import Domain, Goal, GoalStatus

SDOHCC_GOAL = "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-Goal"
SDOHCC_CATEGORY_SYSTEM = (
    "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
)
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
DOMAIN_SYSTEM = WAYFINDER_CS + "plan-domain"

# SDOHCC-ValueSetSDOHCategory (required binding for Goal.category[SDOHCC]).
SDOHCC_CATEGORIES = {
    "sdoh-category-unspecified": "SDOH Category Unspecified",
    "food-insecurity": "Food Insecurity",
    "housing-instability": "Housing Instability",
    "homelessness": "Homelessness",
    "inadequate-housing": "Inadequate Housing",
    "transportation-insecurity": "Transportation Insecurity",
    "financial-insecurity": "Financial Insecurity",
    "material-hardship": "Material Hardship",
    "educational-attainment": "Educational Attainment",
    "employment-status": "Employment Status",
    "veteran-status": "Veteran Status",
    "stress": "Stress",
    "social-connection": "Social Connection",
    "intimate-partner-violence": "Intimate Partner Violence",
    "elder-abuse": "Elder Abuse",
    "personal-health-literacy": "Personal Health Literacy",
    "health-insurance-coverage-status": "Health Insurance Coverage Status",
    "medical-cost-burden": "Medical Cost Burden",
    "digital-literacy": "Digital Literacy",
    "digital-access": "Digital Access",
    "utility-insecurity": "Utility Insecurity",
    "incarceration-status": "Incarceration Status",
    "language-access": "Language Access",
    "protective-factor": "Protective Factor",
}
# There is no trafficking, legal or health code in that value set: those fall to "unspecified".
DOMAIN_TO_SDOHCC: dict[str, list[str]] = {
    Domain.HOUSING: ["housing-instability"],
    Domain.INCOME_EMPLOYMENT: ["financial-insecurity", "employment-status"],
    Domain.EDUCATION_VOCATIONAL: ["educational-attainment"],
    Domain.SOCIAL_SUPPORT: ["social-connection"],
    Domain.COMMUNITY: ["social-connection"],
    Domain.BASIC_NEEDS: ["material-hardship"],
    Domain.LANGUAGE_CULTURE: ["language-access"],
}

# R4 value sets.
GOAL_LIFECYCLE = {
    "proposed",
    "planned",
    "accepted",
    "active",
    "on-hold",
    "completed",
    "cancelled",
    "entered-in-error",
    "rejected",
}
GOAL_ACHIEVEMENT_CODES = {
    "in-progress",
    "improving",
    "worsening",
    "no-change",
    "achieved",
    "sustaining",
    "not-achieved",
    "no-progress",
    "not-attainable",
}
_LIFECYCLE: dict[str, str] = {
    GoalStatus.ACTIVE: "active",
    GoalStatus.ON_HOLD: "on-hold",
    GoalStatus.ACHIEVED: "completed",
    GoalStatus.STOPPED: "cancelled",
}
_ACHIEVEMENT: dict[str, tuple[str, str]] = {
    GoalStatus.ACTIVE: ("in-progress", "In Progress"),
    GoalStatus.ON_HOLD: ("no-progress", "No Progress"),
    GoalStatus.ACHIEVED: ("achieved", "Achieved"),
}


def goal_to_fhir(goal: Goal, words: str | None = None) -> dict:
    """The goal as a FHIR R4 Goal. ``words``: the person's own words, if the recipient may see them."""
    with translation.override("en"):
        domain_label = str(Domain(goal.domain).label)
    categories = [
        {"coding": [{"system": SDOHCC_CATEGORY_SYSTEM, "code": c, "display": SDOHCC_CATEGORIES[c]}]}
        for c in DOMAIN_TO_SDOHCC.get(goal.domain, ["sdoh-category-unspecified"])
    ]
    categories.append(
        {"coding": [{"system": DOMAIN_SYSTEM, "code": goal.domain, "display": domain_label}]}
    )
    resource = {
        "resourceType": "Goal",
        "id": str(goal.pk),
        "meta": {"profile": [SDOHCC_GOAL]},
        "lifecycleStatus": _LIFECYCLE[goal.status],
        "category": categories,
        "description": {"text": words if words else domain_label},
        "subject": {"reference": f"Patient/{goal.person_id}"},
        "startDate": goal.created_at.date().isoformat(),
        "statusDate": goal.status_changed_at.date().isoformat(),
        "expressedBy": {"reference": f"Patient/{goal.person_id}"},
    }
    if goal.status in _ACHIEVEMENT:
        code, display = _ACHIEVEMENT[goal.status]
        resource["achievementStatus"] = {
            "coding": [{"system": GOAL_ACHIEVEMENT, "code": code, "display": display}]
        }
    if goal.target_date:
        resource["target"] = [{"dueDate": goal.target_date.isoformat()}]
    if Category.SUBSTANCE_USE in goal.categories():
        # 42 CFR Part 2: labelled as such, and the §2.32 notice travels with the resource.
        resource["meta"]["security"] = [
            {
                "system": V3_ACT_CODE,
                "code": "ETH",
                "display": "substance abuse information sensitivity",
            },
            {"system": V3_ACT_CODE, "code": "42CFRPart2", "display": "42 CFR Part2"},
        ]
        resource["note"] = [{"text": REDISCLOSURE_STATEMENT}]
    if goal.need_id:
        # A need is an SDOH health concern: a Condition in the SDOHCC model.
        resource["addresses"] = [{"reference": f"Condition/{goal.need_id}"}]
    return resource


def check_goal(resource: dict) -> list[str]:
    """Our value-set checks (``fhir.resources`` accepts any code): a list of problems, [] if none."""
    problems = []
    if resource.get("lifecycleStatus") not in GOAL_LIFECYCLE:
        problems.append(f"lifecycleStatus {resource.get('lifecycleStatus')!r} is not valid")
    for c in resource.get("achievementStatus", {}).get("coding", []):
        if c.get("system") == GOAL_ACHIEVEMENT and c.get("code") not in GOAL_ACHIEVEMENT_CODES:
            problems.append(f"achievementStatus {c.get('code')!r} is not valid")
    sdohcc = [
        c
        for cat in resource.get("category", [])
        for c in cat.get("coding", [])
        if c.get("system") == SDOHCC_CATEGORY_SYSTEM
    ]
    if not sdohcc:
        problems.append("category must hold an SDOHCC category")
    for c in sdohcc:
        if c.get("code") not in SDOHCC_CATEGORIES:
            problems.append(f"category {c.get('code')!r} is not in SDOHCC-ValueSetSDOHCategory")
    for cat in resource.get("category", []):
        for c in cat.get("coding", []):
            if c.get("system") == DOMAIN_SYSTEM and c.get("code") not in Domain.values:
                problems.append(f"domain {c.get('code')!r} is not a Wayfinder plan domain")
    if not resource.get("description", {}).get("text") and not resource.get("description", {}).get(
        "coding"
    ):
        problems.append("description is required")
    if not resource.get("subject", {}).get("reference", "").startswith("Patient/"):
        problems.append("subject must be the Patient")
    domains = {
        c.get("code")
        for cat in resource.get("category", [])
        for c in cat.get("coding", [])
        if c.get("system") == DOMAIN_SYSTEM
    }
    labels = {c.get("code") for c in resource.get("meta", {}).get("security", [])}
    notes = " ".join(n.get("text", "") for n in resource.get("note", []))
    if Domain.SUBSTANCE_USE in domains and (
        not {"ETH", "42CFRPart2"} <= labels or REDISCLOSURE_STATEMENT not in notes
    ):
        problems.append("a substance use goal must carry ETH, 42CFRPart2 and the §2.32 notice")
    return problems


# --- The plan as a FHIR R4 CarePlan (issue 12: steps agreed at a case conference travel too) ---

_ACTIVITY_STATUS = {"open": "not-started", "done": "completed", "cancelled": "cancelled"}


def care_plan_to_fhir(person_id, goals, *, sources: dict | None = None) -> dict:
    """The plan as a FHIR R4 CarePlan: its goals (``Goal/<id>``, see ``goal_to_fhir``) and one
    activity per step, with who does it, by when, where it stands.

    ``goals``: the ``GoalRow``s the recipient may see (``plans.queries.plan_for``), words included
    only as they are there. ``sources``: {step id: date} of the steps agreed at a case conference
    (``conferences.queries.step_sources``), noted on the activity as such.
    """
    sources = sources or {}
    activities = []
    for row in goals:
        for s in row.steps:
            step = s.step
            detail: dict = {
                "kind": "Task",
                "status": _ACTIVITY_STATUS.get(step.status, "unknown"),
                "goal": [{"reference": f"Goal/{row.goal.pk}"}],
            }
            if s.text:
                detail["description"] = s.text
            if step.due_on:
                detail["scheduledPeriod"] = {"end": step.due_on.isoformat()}
            if step.assignee == "person":
                detail["performer"] = [{"reference": f"Patient/{person_id}"}]
            elif step.assigned_user_id:  # a staff member (and their agency)
                detail["performer"] = [{"reference": f"Practitioner/{step.assigned_user_id}"}]
            elif step.assigned_agency_id:
                detail["performer"] = [{"reference": f"Organization/{step.assigned_agency_id}"}]
            activity: dict = {"id": str(step.pk), "detail": detail}
            if step.pk in sources:
                agreed = sources[step.pk]
                activity["progress"] = [
                    {
                        "time": step.created_at.isoformat(),
                        "text": f"Agreed at a case conference on {agreed.isoformat()}.",
                    }
                ]
            activities.append(activity)
    return {
        "resourceType": "CarePlan",
        "id": f"plan-{person_id}",
        "status": "active",
        "intent": "plan",
        "title": "Person-centred plan",
        "subject": {"reference": f"Patient/{person_id}"},
        "goal": [{"reference": f"Goal/{row.goal.pk}"} for row in goals],
        "activity": activities,
    }
