"""Reads of the plan, through the gate: a partner sees an item only if its categories are consented.

What is not consented is simply absent (no count, no placeholder). Every read that decrypts goal,
step or note text is audited, naming for a partner the consents that allowed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from wayfinder.access.gate import Access, get_access, persons_for
from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency
from wayfinder.audit.events import record
from wayfinder.consent import part2
from wayfinder.consent.grants import grants_by_person
from wayfinder.core.categories import Category
from wayfinder.directory.models import Phone
from wayfinder.people.models import CareTeamMember
from wayfinder.people.sealing import unseal_rows
from wayfinder.plans.actions import GOAL_PURPOSE, NOTE_PURPOSE, STEP_PURPOSE, can_update_step
from wayfinder.plans.models import (
    Goal,
    GoalStatus,
    NoteVisibility,
    ProgressNote,
    Step,
    StepStatus,
    goal_categories,
)


@dataclass
class StepRow:
    step: Step
    text: str
    overdue: bool
    can_update: bool = False
    language: str = ""  # ISO 639-3 of the words ("" for steps written before it was recorded)


@dataclass
class NoteRow:
    note: ProgressNote
    text: str
    by_person: bool = False  # written by the person in the survivor portal


@dataclass
class GoalRow:
    goal: Goal
    text: str
    language: str
    steps: list[StepRow] = field(default_factory=list)
    notes: list[NoteRow] = field(default_factory=list)


@dataclass
class PlanView:
    access: Access
    goals: list[GoalRow]
    notes: list[NoteRow]  # notes on the plan as a whole
    notices: list[dict]  # 42 CFR §2.32 when a partner sees substance use information

    @property
    def is_empty(self) -> bool:
        return not self.goals and not self.notes


def goal_visible(access: Access, goal: Goal) -> bool:
    return goal.categories() <= access.categories


def note_visible(actor: Actor, access: Access, note: ProgressNote, goals_shown: set) -> bool:
    """Own agency's notes always; others' only when shared with the team and consented."""
    if note.agency_id == actor.agency.pk:
        return note.goal_id is None or note.goal_id in goals_shown
    if note.visibility != NoteVisibility.CARE_TEAM:
        return False
    if note.goal_id is not None and note.goal_id not in goals_shown:
        return False
    return note.categories() <= access.categories


def can_see_plan(access: Access) -> bool:
    return access.can(Category.PLAN) or access.can(Category.NOTES)


def visible_goals(access: Access) -> list[Goal]:
    """The person's goals this reader may see (no text decrypted)."""
    goals = Goal.objects.filter(person_id=access.person.pk).order_by("created_at", "pk")
    return [g for g in goals if goal_visible(access, g)]


def plan_summary(access: Access) -> tuple[int, int]:
    """(active goals, their open steps past due) among the goals this reader may see: one query.

    The counts of ``visible_goals`` filtered to active goals and of their open steps due before
    today, read as one row per active goal (its domain decides whether it is visible).
    """
    late = Q(steps__status=StepStatus.OPEN, steps__due_on__lt=timezone.localdate())
    rows = (
        Goal.objects.filter(person_id=access.person.pk, status=GoalStatus.ACTIVE)
        .order_by()
        .annotate(late=Count("steps", filter=late))
        .values_list("domain", "late")
    )
    shown = [n for domain, n in rows if goal_categories(domain) <= access.categories]
    return len(shown), sum(shown)


def plan_for(actor: Actor, access: Access) -> PlanView:
    """The person's plan as this actor may see it (audited when anything is shown)."""
    person = access.person
    goals = visible_goals(access)
    shown_ids = {g.pk for g in goals}
    steps = list(
        Step.objects.filter(goal_id__in=shown_ids).select_related(
            "goal", "assigned_user", "assigned_agency"
        )
    )
    notes = [
        n
        for n in ProgressNote.objects.filter(person=person)
        .select_related("goal", "author", "agency")
        .order_by("-created_at", "pk")
        if note_visible(actor, access, n, shown_ids)
    ]
    words = unseal_rows(goals, "words_ct", GOAL_PURPOSE)
    step_texts = unseal_rows(steps, "text_ct", STEP_PURPOSE)
    note_texts = unseal_rows(notes, "text_ct", NOTE_PURPOSE)
    today = timezone.localdate()
    rows = {
        g.pk: GoalRow(
            g, words.get(g.pk, {}).get("text", ""), words.get(g.pk, {}).get("language", "")
        )
        for g in goals
    }
    for s in steps:
        rows[s.goal_id].steps.append(
            StepRow(
                s,
                step_texts.get(s.pk, {}).get("text", ""),
                s.is_overdue(today),
                can_update_step(actor, access, s),
                step_texts.get(s.pk, {}).get("language", ""),
            )
        )
    general: list[NoteRow] = []
    for n in notes:
        sealed = note_texts.get(n.pk, {})
        row = NoteRow(n, sealed.get("text", ""), bool(sealed.get("by_person")))
        (rows[n.goal_id].notes if n.goal_id else general).append(row)

    categories: set[str] = set()
    for g in goals:
        categories |= g.categories()
    for n in notes:
        categories |= n.categories()
    notices = [part2.notice()] if not access.is_owner and part2.needs_notice(categories) else []
    if categories:
        detail: dict[str, Any] = {"goals": len(goals), "steps": len(steps), "notes": len(notes)}
        if not access.is_owner:
            detail["consents"] = access.consents_by_category(categories)
        record(
            "plan.view",
            category="plans",
            actor=actor,
            obj=person,
            person=person,
            categories=sorted(categories),
            detail=detail,
        )
    return PlanView(access, list(rows.values()), general, notices)


def plan_access(actor: Actor, person_id) -> Access:
    """The gate for plan pages: 404 unless the actor may see the plan or its notes."""
    access = get_access(actor, person_id)
    if not can_see_plan(access):
        raise Http404
    return access


def _get(model, pk, related=()):
    try:
        return model.objects.select_related("person", *related).get(pk=pk)
    except (model.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def get_goal(actor: Actor, goal_id) -> tuple[Goal, Access]:
    """One goal through the gate: 404 unless the actor may see it."""
    goal = _get(Goal, goal_id)
    access = get_access(actor, goal.person_id)
    if not goal_visible(access, goal):
        raise Http404
    goal.person = access.person
    return goal, access


def get_step(actor: Actor, step_id) -> tuple[Step, Access]:
    step = _get(Step, step_id, ("goal",))
    access = get_access(actor, step.person_id)
    if not goal_visible(access, step.goal):
        raise Http404
    step.person = access.person
    return step, access


# --- dashboard -----------------------------------------------------------------------------


OVERDUE_LIMIT = 25


@dataclass
class OverdueRow:
    step: Step
    text: str
    days_late: int


def _overdue_candidates(actor: Actor, today, n: int) -> list[Step]:
    """The first ``n`` open steps past due (by due date, then id) that concern the actor.

    Those are the steps of persons on the actor's care team at their own agency, the steps
    assigned to the actor, and (at a partner) the steps assigned to the actor's agency for
    other agencies' persons; always of persons ``persons_for`` lets the actor open. Each of the
    three is walked on its own, along a partial index of open steps, and stops at ``n``: so the
    read is bounded by what is the actor's, never by the network's other open steps (one walk of
    every open step past due, filtered, read them all whenever the actor had few). The first
    ``n`` of the union are among the first ``n`` of each walk.
    """
    if actor.agency is None:
        return []
    agency_id = actor.agency.pk
    late = Step.objects.filter(status=StepStatus.OPEN, due_on__lt=today)
    team = CareTeamMember.objects.filter(user_id=actor.user.pk, agency_id=agency_id)
    walks = [
        # the agency's own records the actor may all open (persons_for), less the forgotten
        late.filter(
            person__owner_agency_id=agency_id,
            person__forgotten_at__isnull=True,
            person_id__in=team.values("person_id"),
        ),
        late.filter(assigned_user_id=actor.user.pk, person__in=persons_for(actor)),
        late.filter(assigned_agency_id=agency_id, person__in=persons_for(actor)).exclude(
            person__owner_agency_id=agency_id
        ),
    ]
    related = ("goal", "person", "assigned_user", "assigned_agency")
    found = {
        s.pk: s
        for walk in walks
        for s in walk.select_related(*related).order_by("due_on", "pk")[:n]
    }
    return sorted(found.values(), key=lambda s: (s.due_on, s.pk))[:n]


def overdue_steps(actor: Actor, *, limit: int = OVERDUE_LIMIT) -> list[OverdueRow]:
    """Open steps past their due date that concern this actor (audited when any are shown).

    At the owning agency: the steps of persons on the actor's caseload, and steps assigned to
    them. At a partner: steps assigned to the actor or their agency, where the consent still
    covers the goal's categories.
    """
    if actor.agency is None or not actor.is_casework:
        return []
    today = timezone.localdate()
    candidates = _overdue_candidates(actor, today, limit * 2)
    partner_ids = {s.person_id for s in candidates if s.person.owner_agency_id != actor.agency.pk}
    grants = grants_by_person(actor.agency.pk, partner_ids) if partner_ids else {}
    steps = [
        s
        for s in candidates
        if s.person.owner_agency_id == actor.agency.pk
        or s.categories() <= set(grants.get(s.person_id, {}))
    ][:limit]
    texts = unseal_rows(steps, "text_ct", STEP_PURPOSE)
    rows = [
        OverdueRow(s, texts.get(s.pk, {}).get("text", ""), (today - s.due_on).days) for s in steps
    ]
    if rows:
        # For partners: per record, the consents that allowed each category shown.
        consents: dict = {}
        for s in steps:
            if s.person_id in grants:
                per = consents.setdefault(s.person.pseudonym, {})
                per.update({c: grants[s.person_id][c] for c in sorted(s.categories())})
        record(
            "plan.overdue_list",
            category="plans",
            actor=actor,
            categories=sorted(set().union(*(s.categories() for s in steps))),
            detail={
                "shown": sorted({s.person.pseudonym for s in steps}),
                "steps": len(steps),
                "consents": consents,
            },
        )
    return rows


@dataclass
class Contact:
    agency: Agency
    phone: str  # the public number from the directory ("" when it lists none)


def who_to_call(person, plan: PlanView) -> list[Contact]:
    """For the printed plan: the person's own agency, then every agency with an open step, each
    with the public phone number its directory listing gives (organisation, else a service)."""
    agencies = {person.owner_agency_id: person.owner_agency}
    for row in plan.goals:
        for s in row.steps:
            if s.step.assigned_agency is not None and s.step.status == StepStatus.OPEN:
                agencies.setdefault(s.step.assigned_agency_id, s.step.assigned_agency)
    org_ids = {
        a.directory_organization_id for a in agencies.values() if a.directory_organization_id
    }
    phones: dict = {}
    for phone in (
        Phone.objects.filter(
            Q(organization_id__in=org_ids) | Q(service__organization_id__in=org_ids)
        )
        .select_related("service")
        .order_by("organization_id", "id")
    ):
        org = phone.organization_id or (phone.service.organization_id if phone.service else None)
        phones.setdefault(org, phone.number)  # the organisation's own number comes first
    own = agencies.pop(person.owner_agency_id)
    ordered = [own, *sorted(agencies.values(), key=lambda a: a.name)]
    return [Contact(a, phones.get(a.directory_organization_id, "")) for a in ordered]
