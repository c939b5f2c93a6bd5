"""Reads of conferences: schedules, attendees, and what each attendee may see of an item.

``item_views`` is the heart of it: for one attendee agency, each agenda item shows exactly the
categories that the person's active ``case_conferencing`` consents grant that agency (the owning
agency sees everything), minus what the person asked not to be discussed. With no such consent the
item is **Restricted**: the pseudonym and nothing else. Consent is read at each call, so a
withdrawal hides the item on the very next request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dateutil.rrule import rrulestr
from django.db.models import Q, QuerySet
from django.utils import timezone

from wayfinder.access.gate import access_for
from wayfinder.audit.events import record
from wayfinder.conferences.models import ActionItem, ActionStatus, AgendaItem, Meeting, Series
from wayfinder.consent.grants import grants_by_person
from wayfinder.consent.models import Purpose
from wayfinder.core.categories import ALL_CATEGORIES
from wayfinder.people.sealing import identities, unseal
from wayfinder.plans.models import Step

PURPOSE = Purpose.CASE_CONFERENCING


def occurrences(rrule: str, starts_at: datetime, *, after: datetime | None = None, count: int = 1):
    """The next ``count`` start times of a schedule strictly after ``after`` (python-dateutil)."""
    rule = rrulestr(rrule, dtstart=starts_at)
    out: list[datetime] = []
    cursor = after
    for _ in range(count):
        nxt = rule[0] if cursor is None and not out else rule.after(cursor or out[-1], inc=False)
        if nxt is None:
            break
        out.append(nxt)
        cursor = nxt
    return out


def within(rrule: str, starts_at: datetime, *, days: int) -> list[datetime]:
    """The occurrences in the first ``days`` days; refuses rules more frequent than daily."""
    from datetime import timedelta

    from dateutil.rrule import DAILY

    rule = rrulestr(rrule, dtstart=starts_at)
    if getattr(rule, "_freq", DAILY) > DAILY:  # HOURLY, MINUTELY, SECONDLY
        raise ValueError("too frequent")
    return rule.between(starts_at, starts_at + timedelta(days=days), inc=True)


def attendee_ids(meeting: Meeting) -> set[int]:
    standing = meeting.series.standing_attendees.values_list("pk", flat=True)
    guests = meeting.guests.values_list("pk", flat=True)
    return set(standing) | set(guests)


def is_attendee(meeting: Meeting, user) -> bool:
    return user.pk in attendee_ids(meeting)


def meetings_for(user) -> QuerySet[Meeting]:
    """Meetings the user attends (standing or guest), soonest first."""
    return (
        Meeting.objects.filter(Q(series__standing_attendees=user) | Q(guests=user))
        .select_related("series", "series__chair_agency")
        .distinct()
        .order_by("starts_at", "pk")
    )


def series_for(user) -> QuerySet[Series]:
    return Series.objects.filter(standing_attendees=user).distinct()


@dataclass(frozen=True)
class ItemView:
    """What one attendee agency sees of one agenda item."""

    item: AgendaItem
    categories: frozenset[str]
    basis: str  # "owner" | "consent" | "restricted"
    consents: dict[str, list[str]] = field(default_factory=dict)  # {category: [consent ids]}

    @property
    def restricted(self) -> bool:
        return self.basis == "restricted"

    @property
    def pseudonym(self) -> str:
        return self.item.person.pseudonym

    def can(self, category: str) -> bool:
        return category in self.categories

    @property
    def consent_ids(self) -> list[str]:
        return sorted({c for ids in self.consents.values() for c in ids})


def item_views(items, agency) -> list[ItemView]:
    """One ``ItemView`` per item for ``agency``; one consent query for all of them."""
    items = list(items)
    agency_id = getattr(agency, "pk", agency)
    others = [i.person_id for i in items if i.person.owner_agency_id != agency_id]
    grants = grants_by_person(agency_id, others, PURPOSE) if others and agency_id else {}
    views = []
    for item in items:
        excluded = set(item.excluded_categories or ())
        if agency_id is not None and item.person.owner_agency_id == agency_id:
            views.append(ItemView(item, frozenset(ALL_CATEGORIES - excluded), "owner"))
            continue
        per = {c: ids for c, ids in grants.get(item.person_id, {}).items() if c not in excluded}
        if not per:
            views.append(ItemView(item, frozenset(), "restricted"))
        else:
            views.append(ItemView(item, frozenset(per), "consent", per))
    return views


def item_view(item: AgendaItem, agency) -> ItemView:
    return item_views([item], agency)[0]


def agenda(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.items.select_related("person", "presenter").order_by("created_at", "pk")


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(series_id=meeting.series_id, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .first()
    )


def open_actions_of(meeting: Meeting | None) -> QuerySet[ActionItem]:
    """The action items of ``meeting`` that are still open (the next meeting opens with them)."""
    if meeting is None:
        return ActionItem.objects.none()
    return (
        ActionItem.objects.filter(item__meeting=meeting, status=ActionStatus.OPEN)
        .select_related("person", "owner_user", "owner_agency")
        .order_by("due_on", "pk")
    )


# --- Follow-up (issue 12, part B): conference tasks and action items that became plan steps ---


def tasks_for(actor, *, limit: int = 20) -> list[ActionItem]:
    """Open action items not taken into a plan whose owner is this user, or this casework user's
    agency: the conference tasks of the dashboard, soonest due first."""
    if actor.agency is None or not actor.is_casework:
        return []
    return list(
        ActionItem.objects.filter(
            Q(owner_user_id=actor.user.pk) | Q(owner_agency_id=actor.agency.pk),
            status=ActionStatus.OPEN,
            step_id__isnull=True,
            person__forgotten_at__isnull=True,
        )
        .select_related(
            "person", "item__person", "item__meeting__series", "owner_user", "owner_agency"
        )
        .order_by("due_on", "pk")[:limit]
    )


def steps_of(actions) -> dict:
    """{step id: Step} for the action items that became plan steps (one query)."""
    ids = [a.step_id for a in actions if a.step_id]
    return Step.objects.in_bulk(ids) if ids else {}


def step_sources(person_id) -> dict:
    """{step id: the date of the meeting} for a person's plan steps agreed at a case conference
    (for the FHIR CarePlan export: ``plans.fhir.care_plan_to_fhir(..., sources=...)``)."""
    rows = ActionItem.objects.filter(person_id=person_id, step_id__isnull=False).values_list(
        "step_id", "item__meeting__starts_at"
    )
    return {step_id: starts.date() for step_id, starts in rows}


@dataclass(frozen=True)
class TaskRow:
    action: ActionItem
    text: str  # "" when the viewer's agency may not read it (the person's consent decides)
    name: str  # "" unless the gate lets the viewer see the person's identity
    overdue: bool


def task_rows(actor, *, today=None) -> list[TaskRow]:
    """The viewer's conference tasks with what they may see of each. The words of a task show
    where the person's case-conferencing consent (or ownership) covers the plan category; the
    name only through the gate. Showing any words is audited with the consents behind them."""
    tasks = tasks_for(actor)
    if not tasks:
        return []
    today = today or timezone.localdate()
    views = {v.item.pk: v for v in item_views([a.item for a in tasks], actor.agency)}
    rows, shown = [], {}
    # The gate for each task's person, then the names it allows decrypted together (one keystore
    # query, where each task's name was one).
    named = {}
    for a in tasks:
        access = access_for(actor, a.person)
        if access and access.can("identity"):
            named[a.pk] = a.person
    names = identities(list({p.pk: p for p in named.values()}.values())) if named else {}
    for a in tasks:
        view = views[a.item_id]
        text = ""
        if view.can("plan"):
            text = (unseal(a.person, a.text_ct, "conference-action") or {}).get("text", "")
            shown[a.person.pseudonym] = view.consents.get("plan", [])
        identity = names.get(a.person_id) if a.pk in named else None
        name = identity.chosen_name if identity else ""
        rows.append(TaskRow(a, text, name, a.due_on < today))
    if shown:
        record(
            "conference.task_list",
            category="conferences",
            actor=actor,
            categories=["plan"],
            detail={"shown": sorted(shown), "consents": shown},
        )
    return rows


def following_meeting(meeting: Meeting) -> Meeting | None:
    """The series' meeting after this one, if it is already scheduled."""
    return (
        Meeting.objects.filter(series_id=meeting.series_id, starts_at__gt=meeting.starts_at)
        .order_by("starts_at", "pk")
        .first()
    )


# --- pages for the chair ---


def network_user_choices(*, exclude=()) -> list[tuple[str, list[tuple[int, str]]]]:
    """Active users of active network agencies, grouped by agency (a user in two agencies is
    listed under the first): choices for the attendee and guest fields."""
    from wayfinder.accounts.models import Membership

    rows = (
        Membership.objects.filter(is_active=True, user__is_active=True, agency__is_active=True)
        .exclude(user_id__in=list(exclude))
        .select_related("user", "agency")
        .order_by("agency__name", "user__display_name", "user__email")
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    seen: set[int] = set()
    for m in rows:
        if m.user_id in seen:
            continue
        seen.add(m.user_id)
        groups.setdefault(m.agency.name, []).append((m.user_id, str(m.user)))
    return list(groups.items())


def caseload_person(meeting: Meeting, record_code: str):
    """The person with this record code on the chair agency's caseload, or None."""
    from wayfinder.people.models import Person

    code = (record_code or "").strip().upper()
    if not code:
        return None
    return Person.objects.filter(
        pseudonym=code,
        owner_agency_id=meeting.series.chair_agency_id,
        forgotten_at__isnull=True,
    ).first()


def chaired_series(actor) -> QuerySet[Series]:
    """The series the actor's agency chairs (casework staff only), by name."""
    if actor.agency is None or not actor.is_casework:
        return Series.objects.none()
    return Series.objects.filter(chair_agency_id=actor.agency.pk).order_by("name", "pk")


def own_people_on_agendas(actor, *, limit: int = 50) -> QuerySet[AgendaItem]:
    """Items of open, coming meetings about the actor's agency's people: where its casework
    staff record each person's wishes, whether or not they attend (record codes only)."""
    from django.utils import timezone

    if actor.agency is None or not actor.is_casework:
        return AgendaItem.objects.none()
    return (
        AgendaItem.objects.filter(
            person__owner_agency_id=actor.agency.pk,
            person__forgotten_at__isnull=True,
            meeting__status="open",
            meeting__ends_at__gte=timezone.now(),
        )
        .select_related("person", "meeting", "meeting__series")
        .order_by("meeting__starts_at", "pk")[:limit]
    )
