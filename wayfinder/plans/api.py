"""``/api/v1/plans/``: a person's plan (goals, steps, notes) through the gate, and its writes.

A partner sees exactly what its consent covers: goals and steps need "plan" plus the goal
domain's category; notes need "notes". Anything else is absent. Substance use items carry the
42 CFR §2.32 notice in ``notices``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, TypeAlias

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, WithJsonSchema

from wayfinder.accounts.models import Agency, User
from wayfinder.api.schemas import (
    Input,
    IsoDate,
    choice,
    date_range_pattern,
    line,
    responses,
    text,
)
from wayfinder.plans import actions, queries
from wayfinder.plans.fhir import goal_to_fhir
from wayfinder.plans.models import Assignee, Domain, GoalStatus, NoteVisibility, StepStatus

router = Router(tags=["plans"])
prefix = "plans"


class StepOut(Schema):
    id: uuid.UUID
    goal_id: uuid.UUID
    text: str
    language: str  # ISO 639-3 of the words ("" when not recorded)
    assignee: str
    assigned_user_id: int | None
    assigned_agency_id: uuid.UUID | None
    due_on: date | None
    status: str
    overdue: bool
    referral_id: uuid.UUID | None


class NoteOut(Schema):
    id: uuid.UUID
    goal_id: uuid.UUID | None
    text: str
    visibility: str
    agency_id: uuid.UUID
    author_id: int | None
    created_at: datetime


class GoalOut(Schema):
    id: uuid.UUID
    domain: str
    text: str
    language: str
    target_date: date | None
    status: str
    need_id: uuid.UUID | None
    categories: list[str]
    steps: list[StepOut]
    notes: list[NoteOut]


class Notice(Schema):
    code: str
    statement: str
    explanation: str


class PlanOut(Schema):
    person_id: uuid.UUID
    pseudonym: str
    goals: list[GoalOut]
    notes: list[NoteOut]
    notices: list[Notice]


def _step(row) -> dict:
    s = row.step
    return {
        "id": s.pk,
        "goal_id": s.goal_id,
        "text": row.text,
        "language": row.language,
        "assignee": s.assignee,
        "assigned_user_id": s.assigned_user_id,
        "assigned_agency_id": s.assigned_agency_id,
        "due_on": s.due_on,
        "status": s.status,
        "overdue": row.overdue,
        "referral_id": s.referral_id,
    }


def _note(row) -> dict:
    n = row.note
    return {
        "id": n.pk,
        "goal_id": n.goal_id,
        "text": row.text,
        "visibility": n.visibility,
        "agency_id": n.agency_id,
        "author_id": n.author_id,
        "created_at": n.created_at,
    }


def _goal(row) -> dict:
    g = row.goal
    return {
        "id": g.pk,
        "domain": g.domain,
        "text": row.text,
        "language": row.language,
        "target_date": g.target_date,
        "status": g.status,
        "need_id": g.need_id,
        "categories": sorted(g.categories()),
        "steps": [_step(s) for s in row.steps],
        "notes": [_note(n) for n in row.notes],
    }


def _plan(actor, access) -> dict:
    plan = queries.plan_for(actor, access)
    return {
        "person_id": access.person.pk,
        "pseudonym": access.person.pseudonym,
        "goals": [_goal(r) for r in plan.goals],
        "notes": [_note(n) for n in plan.notes],
        "notices": plan.notices,
    }


@router.get("/persons/{person_id}/", response=responses(PlanOut, 410), summary="A person's plan")
def plan(request, person_id: uuid.UUID):
    access = queries.plan_access(request.actor, person_id)
    return _plan(request.actor, access)


# The constrained types come from the api/schemas.py factories, which a type checker cannot read
# as types: to it they are the str a validated field holds. In a patch a field left out is None
# (a null sent for these is refused by validation).
if TYPE_CHECKING:
    GoalText: TypeAlias = str
    StepText: TypeAlias = str
    NoteText: TypeAlias = str
    LanguageTag: TypeAlias = str
    DomainCode: TypeAlias = str
    AssigneeCode: TypeAlias = str
    VisibilityCode: TypeAlias = str
    GoalTextChange: TypeAlias = str | None
    LanguageTagChange: TypeAlias = str | None
    DomainCodeChange: TypeAlias = str | None
    GoalStatusChange: TypeAlias = str | None
    StepStatusChange: TypeAlias = str | None
else:
    GoalText = GoalTextChange = text(2000, filled=True)
    StepText = text(2000, filled=True)
    NoteText = text(4000, filled=True)
    LanguageTag = LanguageTagChange = line(3)
    DomainCode = DomainCodeChange = choice(Domain.values)
    AssigneeCode = choice(Assignee.values)
    VisibilityCode = choice(NoteVisibility.values)
    GoalStatusChange = choice(GoalStatus.values)
    StepStatusChange = choice(StepStatus.values)
_TODAY = timezone.localdate()  # when the schema was built: the action checks the real today
# JSON Schema cannot say "not before today": the format names the rule (OpenAPI formats are
# open-ended), the pattern gives real calendar dates, the action refuses a past date (422).
TargetDate = Annotated[
    IsoDate,
    WithJsonSchema(
        {
            "type": "string",
            "format": "future-date",
            "pattern": date_range_pattern(_TODAY, date(_TODAY.year + 100, 12, 31)),
            "description": "A date as YYYY-MM-DD, today or later.",
        }
    ),
]


class GoalIn(Input):
    text: GoalText = Field(..., description="The goal in the person's own words.")
    domain: DomainCode
    language: LanguageTag = ""
    target_date: TargetDate | None = None
    need_id: uuid.UUID | None = None


class GoalPatch(Input):
    text: GoalTextChange = None
    language: LanguageTagChange = None
    domain: DomainCodeChange = None
    target_date: TargetDate | None = None
    status: GoalStatusChange = None
    need_id: uuid.UUID | None = None


def _one_goal(actor, goal_id) -> dict:
    goal, access = queries.get_goal(actor, goal_id)
    plan_rows = queries.plan_for(actor, access).goals
    return _goal(next(r for r in plan_rows if r.goal.pk == goal.pk))


@router.post(
    "/persons/{person_id}/goals/",
    response=responses(GoalOut, 409, 410, ok_status=201),
    summary="Add a goal",
)
def create_goal(request, person_id: uuid.UUID, payload: GoalIn):
    access = queries.plan_access(request.actor, person_id)
    if not access.is_owner:
        raise Http404
    goal = actions.add_goal(
        access.person,
        actor=request.actor,
        text=payload.text,
        domain=payload.domain,
        language=payload.language,
        target_date=payload.target_date,
        need_id=payload.need_id,
    )
    return Status(201, _one_goal(request.actor, goal.pk))


@router.patch("/goals/{goal_id}/", response=responses(GoalOut, 409, 410), summary="Change a goal")
def update_goal(request, goal_id: uuid.UUID, payload: GoalPatch):
    """Only the fields sent change. ``target_date`` / ``need_id`` sent as null clear them."""
    sent = payload.model_fields_set
    goal, access = queries.get_goal(request.actor, goal_id)
    if not access.is_owner:
        raise Http404
    changes = {f: getattr(payload, f) for f in sent if f != "status"}
    if changes:
        goal = actions.update_goal(goal, actor=request.actor, **changes)
    if "status" in sent and payload.status is not None:
        actions.set_goal_status(goal, actor=request.actor, status=payload.status)
    return _one_goal(request.actor, goal.pk)


class StepIn(Input):
    """Who does it: a staff member on the care team (``assigned_user_id``), an agency on the
    care team (``assigned_agency_id``), or the person themself. One not on the team: 409."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {
                    "properties": {
                        "assignee": {"const": "staff"},
                        "assigned_user_id": {"type": "integer"},
                    },
                    "required": ["assigned_user_id"],
                },
                {
                    "properties": {
                        "assignee": {"const": "agency"},
                        "assigned_agency_id": {"type": "string", "format": "uuid"},
                    },
                    "required": ["assigned_agency_id"],
                },
                {"properties": {"assignee": {"const": "person"}}},
            ]
        }
    )

    text: StepText
    language: LanguageTag = ""  # ISO 639-3 of the words; default: the request's language
    assignee: AssigneeCode
    assigned_user_id: int | None = None
    assigned_agency_id: uuid.UUID | None = None
    due_on: IsoDate | None = None
    referral_id: uuid.UUID | None = None


class StepPatch(Input):
    status: StepStatusChange = None
    due_on: IsoDate | None = None


def _step_row(actor, step_id) -> dict:
    step, access = queries.get_step(actor, step_id)
    for row in queries.plan_for(actor, access).goals:
        for s in row.steps:
            if s.step.pk == step.pk:
                return _step(s)
    raise Http404


@router.post(
    "/goals/{goal_id}/steps/",
    response=responses(StepOut, 409, 410, ok_status=201),
    summary="Add a step",
)
def create_step(request, goal_id: uuid.UUID, payload: StepIn):
    goal, access = queries.get_goal(request.actor, goal_id)
    if not access.is_owner:
        raise Http404
    step = actions.add_step(
        goal,
        actor=request.actor,
        text=payload.text,
        assignee=payload.assignee,
        assigned_user=User.objects.filter(pk=payload.assigned_user_id).first()
        if payload.assigned_user_id
        else None,
        assigned_agency=Agency.objects.filter(pk=payload.assigned_agency_id).first()
        if payload.assigned_agency_id
        else None,
        due_on=payload.due_on,
        referral_id=payload.referral_id,
        language=payload.language,
    )
    return Status(201, _step_row(request.actor, step.pk))


@router.patch(
    "/steps/{step_id}/",
    response=responses(StepOut, 409, 410),
    summary="Mark a step done, or move its date",
)
def update_step(request, step_id: uuid.UUID, payload: StepPatch):
    """The owning agency may change both; the assignee (staff or agency) may change the status."""
    sent = payload.model_fields_set
    step, _access = queries.get_step(request.actor, step_id)
    if "due_on" in sent:
        actions.set_step_due(step, actor=request.actor, due_on=payload.due_on)
    if "status" in sent and payload.status is not None:
        actions.set_step_status(step, actor=request.actor, status=payload.status)
    return _step_row(request.actor, step.pk)


class NoteIn(Input):
    text: NoteText
    visibility: VisibilityCode = NoteVisibility.CARE_TEAM.value
    goal_id: uuid.UUID | None = None


@router.post(
    "/persons/{person_id}/notes/",
    response=responses(NoteOut, 409, 410, ok_status=201),
    summary="Add a progress note",
)
def create_note(request, person_id: uuid.UUID, payload: NoteIn):
    access = queries.plan_access(request.actor, person_id)
    goal = None
    if payload.goal_id is not None:
        goal = next((g for g in queries.visible_goals(access) if g.pk == payload.goal_id), None)
        if goal is None:
            raise Http404
    note = actions.add_note(
        access.person,
        actor=request.actor,
        text=payload.text,
        visibility=payload.visibility,
        goal=goal,
    )
    return Status(
        201,
        {
            "id": note.pk,
            "goal_id": note.goal_id,
            "text": payload.text.strip(),
            "visibility": note.visibility,
            "agency_id": note.agency_id,
            "author_id": note.author_id,
            "created_at": note.created_at,
        },
    )


@router.get(
    "/goals/{goal_id}/fhir/",
    response=responses(dict, 410),
    summary="One goal as a FHIR R4 Goal (SDOHCC)",
)
def goal_fhir(request, goal_id: uuid.UUID):
    goal, access = queries.get_goal(request.actor, goal_id)
    row = next(r for r in queries.plan_for(request.actor, access).goals if r.goal.pk == goal.pk)
    return goal_to_fhir(goal, row.text)
