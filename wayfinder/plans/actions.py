"""Every write to a person's plan. One transaction each, with its audit event (ids only)."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wayfinder.access.gate import Access, access_for
from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency, User
from wayfinder.assessments.models import Need
from wayfinder.audit.events import record
from wayfinder.core.errors import CodedError
from wayfinder.core.languages import UI_TO_ISO
from wayfinder.people.models import Person
from wayfinder.people.sealing import seal, unseal
from wayfinder.plans.assignees import assignable_agency_ids
from wayfinder.plans.errors import PlanErrorCode as Code
from wayfinder.plans.models import (
    Assignee,
    Domain,
    Goal,
    GoalStatus,
    NoteVisibility,
    ProgressNote,
    Step,
    StepStatus,
)

GOAL_PURPOSE, STEP_PURPOSE, NOTE_PURPOSE = "plan-goal", "plan-step", "plan-note"
MAX_TEXT = 4000
UNSET = object()


def _owner(person: Person, actor: Actor) -> Access:
    """The owning agency's casework staff: the only ones who shape the plan."""
    access = access_for(actor, person)
    if access is None or not access.is_owner:
        raise PermissionDenied
    return access


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise CodedError(Code(f"{field}_required"), message, field=field)
    if len(value) > MAX_TEXT:
        raise CodedError(Code(f"{field}_too_long"), _("This is too long."), field=field)
    return value


def _check_need(person: Person, need_id) -> uuid.UUID | None:
    if need_id in (None, ""):
        return None
    if not Need.objects.filter(pk=need_id, person_id=person.pk).exists():
        raise CodedError(
            Code.NEED_UNKNOWN, _("That need is not on this record."), field="need_id", status=404
        )
    return uuid.UUID(str(need_id))


def _check_target(target_date: date | None) -> None:
    if target_date is not None and target_date < timezone.localdate():
        raise CodedError(
            Code.TARGET_IN_PAST, _("The target date cannot be in the past."), field="target_date"
        )


def _check_domain(domain: str) -> None:
    if domain not in Domain.values:
        raise CodedError(Code.DOMAIN_REQUIRED, _("Choose an area of life."), field="domain")


def _audit(action: str, actor: Actor, obj, person: Person, categories, **detail) -> None:
    record(
        action,
        category="plans",
        actor=actor,
        obj=obj,
        person=person,
        categories=sorted(categories),
        detail=detail,
    )


@transaction.atomic
def add_goal(
    person: Person,
    *,
    actor: Actor,
    text: str,
    domain: str,
    language: str = "",
    target_date: date | None = None,
    need_id=None,
) -> Goal:
    """Record a goal in the person's own words (``language``: ISO 639-3 of those words)."""
    _owner(person, actor)
    text = _text(text, "text", _("Write the goal in the person's own words."))
    _check_domain(domain)
    _check_target(target_date)
    need = _check_need(person, need_id)
    goal = Goal(
        person=person,
        agency=actor.agency,
        domain=domain,
        target_date=target_date,
        need_id=need,
        created_by=actor.user,
    )
    language = (language or person.primary_language or "").strip().lower()[:3]
    goal.words_ct = seal(person, {"text": text, "language": language}, GOAL_PURPOSE)
    goal.save()
    _audit("plan.goal_create", actor, goal, person, goal.categories(), domain=domain)
    return goal


@transaction.atomic
def update_goal(
    goal: Goal,
    *,
    actor: Actor,
    text=UNSET,
    language=UNSET,
    domain=UNSET,
    target_date=UNSET,
    need_id=UNSET,
) -> Goal:
    """Change a goal's words, area, target date or need (the changed field names are audited)."""
    goal = Goal.objects.select_for_update().select_related("person").get(pk=goal.pk)
    person = goal.person
    _owner(person, actor)
    changed = []
    if text is not UNSET or language is not UNSET:
        words = unseal(person, goal.words_ct, GOAL_PURPOSE) or {"text": "", "language": ""}
        if text is not UNSET:
            words["text"] = _text(text, "text", _("Write the goal in the person's own words."))
            changed.append("text")
        if language is not UNSET:
            words["language"] = (language or "").strip().lower()[:3]
            changed.append("language")
        goal.words_ct = seal(person, words, GOAL_PURPOSE)
    if domain is not UNSET and domain != goal.domain:
        _check_domain(domain)
        goal.domain = domain
        changed.append("domain")
    if target_date is not UNSET and target_date != goal.target_date:
        _check_target(target_date)
        goal.target_date = target_date
        changed.append("target_date")
    if need_id is not UNSET:
        goal.need_id = _check_need(person, need_id)
        changed.append("need_id")
    goal.save()
    _audit("plan.goal_update", actor, goal, person, goal.categories(), fields=sorted(changed))
    return goal


@transaction.atomic
def set_goal_status(goal: Goal, *, actor: Actor, status: str) -> Goal:
    goal = Goal.objects.select_for_update().select_related("person").get(pk=goal.pk)
    _owner(goal.person, actor)
    if status not in GoalStatus.values:
        raise CodedError(Code.STATUS_UNKNOWN, _("Unknown goal status."))
    if status != goal.status:
        was = goal.status
        goal.status = status
        goal.status_changed_at = timezone.now()
        goal.save(update_fields=["status", "status_changed_at", "updated_at"])
        _audit("plan.goal_status", actor, goal, goal.person, goal.categories(), was=was, now=status)
    return goal


def _check_assignee(
    person: Person, assignee: str, user: User | None, agency: Agency | None
) -> tuple[User | None, Agency | None]:
    if assignee == Assignee.PERSON:
        return None, None
    team = person.care_team.select_related("agency")
    if assignee == Assignee.STAFF:
        member = team.filter(user=user).first() if user is not None else None
        if member is None:
            raise CodedError(
                Code.ASSIGNEE_NOT_ON_TEAM,
                _("Choose someone on the person's care team."),
                field="assigned_user",
                status=409,
            )
        return user, member.agency
    if assignee == Assignee.AGENCY:
        # Any agency working with the person: care team, an active consent, an open referral.
        if agency is None or agency.pk not in assignable_agency_ids(person):
            raise CodedError(
                Code.ASSIGNEE_NOT_ON_TEAM,
                _(
                    "Choose an agency that works with the person: on the care team, or with "
                    "an active consent or referral."
                ),
                field="assigned_agency",
                status=409,
            )
        return None, agency
    raise CodedError(Code.ASSIGNEE_REQUIRED, _("Say who does this step."), field="assignee")


@transaction.atomic
def add_step(
    goal: Goal,
    *,
    actor: Actor,
    text: str,
    assignee: str,
    assigned_user: User | None = None,
    assigned_agency: Agency | None = None,
    due_on: date | None = None,
    referral_id=None,
    language: str = "",
    source: dict | None = None,
) -> Step:
    """A step towards the goal, for a staff member, an agency or the person themself.

    ``language``: ISO 639-3 of the words (default: the language of the page it was written on),
    so the printed plan can mark a step that needs translating. ``source``: ids of what the step
    came from (e.g. a case conference's action item), added to the one audit event.
    """
    person = goal.person
    _owner(person, actor)
    text = _text(text, "text", _("Say what the step is."))
    language = (language or UI_TO_ISO.get((get_language() or "")[:2], "")).strip().lower()[:3]
    user, agency = _check_assignee(person, assignee, assigned_user, assigned_agency)
    step = Step(
        goal=goal,
        person=person,
        assignee=assignee,
        assigned_user=user,
        assigned_agency=agency,
        due_on=due_on,
        referral_id=referral_id,
        created_by=actor.user,
    )
    step.text_ct = seal(person, {"text": text, "language": language}, STEP_PURPOSE)
    step.save()
    _audit(
        "plan.step_create",
        actor,
        step,
        person,
        goal.categories(),
        goal_id=str(goal.pk),
        assignee=assignee,
        assigned_agency_id=str(agency.pk) if agency else None,
        language=language,
        **({"source": source} if source else {}),
    )
    return step


def can_update_step(actor: Actor, access: Access | None, step: Step) -> bool:
    """The owning agency, or the staff member / agency the step is for while they can see it."""
    if access is None:
        return False
    if access.is_owner:
        return True
    mine = step.assigned_user_id == actor.user.pk or step.assigned_agency_id == actor.agency.pk
    return mine and step.categories() <= access.categories


@transaction.atomic
def set_step_status(step: Step, *, actor: Actor, status: str) -> Step:
    step = Step.objects.select_for_update().select_related("goal", "person").get(pk=step.pk)
    if not can_update_step(actor, access_for(actor, step.person), step):
        raise PermissionDenied
    if status not in StepStatus.values:
        raise CodedError(Code.STATUS_UNKNOWN, _("Unknown step status."))
    if status != step.status:
        was = step.status
        step.status = status
        done = status == StepStatus.DONE
        step.done_at = timezone.now() if done else None
        step.done_by = actor.user if done else None
        step.save(update_fields=["status", "done_at", "done_by", "updated_at"])
        _audit("plan.step_status", actor, step, step.person, step.categories(), was=was, now=status)
    return step


@transaction.atomic
def set_step_due(step: Step, *, actor: Actor, due_on: date | None) -> Step:
    step = Step.objects.select_for_update().select_related("goal", "person").get(pk=step.pk)
    _owner(step.person, actor)
    step.due_on = due_on
    step.save(update_fields=["due_on", "updated_at"])
    _audit("plan.step_due", actor, step, step.person, step.categories(), fields=["due_on"])
    return step


@transaction.atomic
def add_note(
    person: Person,
    *,
    actor: Actor,
    text: str,
    visibility: str = NoteVisibility.CARE_TEAM,
    goal: Goal | None = None,
) -> ProgressNote:
    """A progress note by anyone who can open the record (on a goal only if they can see it)."""
    access = access_for(actor, person)
    if access is None:
        raise PermissionDenied
    if goal is not None and (
        goal.person_id != person.pk or not goal.categories() <= access.categories
    ):
        raise PermissionDenied
    text = _text(text, "text", _("Write the note."))
    if visibility not in NoteVisibility.values:
        raise CodedError(
            Code.VISIBILITY_REQUIRED, _("Say who may read the note."), field="visibility"
        )
    note = ProgressNote(
        person=person, goal=goal, agency=actor.agency, author=actor.user, visibility=visibility
    )
    note.text_ct = seal(person, {"text": text}, NOTE_PURPOSE)
    note.save()
    _audit(
        "plan.note_create",
        actor,
        note,
        person,
        note.categories(),
        goal_id=str(goal.pk) if goal else None,
        visibility=visibility,
    )
    return note
