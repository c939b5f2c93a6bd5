"""The portal's reads: only ever the signed-in person's own record.

The gate (``access.gate``) decides what *staff* may see of a person. The person is not staff: the
portal never takes a person id from the request; every query here starts from
``account.person``, so there is no way to name another person's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.accounts.models import Agency, User
from wayfinder.assessments.models import Session, SessionMode, SessionStatus
from wayfinder.audit.models import AuditEvent
from wayfinder.consent.models import Consent
from wayfinder.people.models import Person
from wayfinder.people.sealing import unseal_rows
from wayfinder.plans.actions import GOAL_PURPOSE, NOTE_PURPOSE, STEP_PURPOSE
from wayfinder.plans.models import Assignee, Goal, NoteVisibility, ProgressNote, Step, StepStatus
from wayfinder.portal.models import PortalInvitation, hash_code
from wayfinder.portal.wording import LOOKS, REFERRAL_STATUS, what_list
from wayfinder.referrals.models import Referral


def find_invitation(raw: str) -> PortalInvitation | None:
    """An unused, unexpired invitation with this code (the code's hash is looked up)."""
    return (
        PortalInvitation.objects.select_related("account__person")
        .filter(code_hash=hash_code(raw), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


# --- sharing -----------------------------------------------------------------------------------


@dataclass
class SharingRow:
    consent: Consent
    sentence: str


def sharing(person: Person) -> list[SharingRow]:
    """Each consent in force, said plainly: "X can see your name and … until 1 March"."""
    rows = []
    for c in Consent.objects.active().filter(person=person).select_related("recipient_agency"):
        sentence = _("%(agency)s can see %(what)s until %(date)s.") % {
            "agency": c.recipient_agency.name,
            "what": what_list(c.categories),
            "date": _day(c.expires_at),
        }
        rows.append(SharingRow(c, sentence))
    return rows


def _day(value: datetime | date) -> str:
    from django.utils.formats import date_format

    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "MONTH_DAY_FORMAT")  # "3 de mayo", "May 3", "5月3日"


# --- who looked --------------------------------------------------------------------------------


# Events read for one page of "Who looked": the page costs the same however long the history.
LOOK_EVENTS = 500


@dataclass
class LookRow:
    """One agency's (or staff member's) looks, or writes, on one day: said in one sentence."""

    at: datetime  # the newest of them
    who: str
    what: str  # every kind of information they looked at or changed that day
    date: str
    looked: bool  # looks; otherwise writes or changes
    times: int
    categories: set[str] = field(default_factory=set)


@dataclass
class Looks:
    rows: list[LookRow]
    earlier: int | None  # where the next, older page starts (``?before=``); None: nothing older


def who_looked(person: Person, *, before: int | None = None, limit: int | None = None) -> Looks:
    """Staff looks at and changes to the record, newest first, by agency (not staff) name.

    Only events by an agency's staff count; the person's own portal actions are left out, and so
    is everything of the trail's inside (ids, addresses, hashes). The looks of one agency on one
    day are one line ("… looked at your file 12 times on 5 December. They saw your name and your
    plan."), and so are its writes, so a busy week does not bury the one visit that matters. A page reads at most ``limit`` events and ends
    on a whole day; ``earlier`` leads to the days before (``before``: below that audit sequence).
    """
    limit = limit or LOOK_EVENTS
    events = AuditEvent.objects.filter(person_pseudonym=person.pseudonym, agency_id__isnull=False)
    if before is not None:
        events = events.filter(seq__lt=before)
    read = list(
        events.exclude(via="portal")
        .order_by("-seq")
        .only("seq", "at", "agency_id", "actor_id", "action", "categories")[: limit + 1]
    )
    more = len(read) > limit
    read = read[:limit]
    if more:
        # The oldest day read may go on past the limit: it is left whole for the next page,
        # unless it is the only day read (a day of more than ``limit`` events is cut there).
        last = timezone.localdate(read[-1].at)
        read = [e for e in read if timezone.localdate(e.at) != last] or read
    agencies = {a.pk: a.name for a in Agency.objects.filter(pk__in={e.agency_id for e in read})}
    staff_names: dict[int, str] = {}
    if settings.WAYFINDER_PORTAL_WHO_LOOKED_NAMES == "staff":
        staff_names = {
            u.pk: (u.display_name or _("a staff member"))
            for u in User.objects.filter(pk__in={e.actor_id for e in read if e.actor_id})
        }
    rows: dict[tuple, LookRow] = {}  # in the order of each group's newest event
    for e in read:
        agency = agencies.get(e.agency_id, "") if e.agency_id else ""
        who = staff_names.get(e.actor_id) if staff_names and e.actor_id else None
        who = f"{who} ({agency})" if who else agency
        day, looked = timezone.localdate(e.at), e.action in LOOKS
        row = rows.get((day, who, looked))
        if row is None:
            row = rows[(day, who, looked)] = LookRow(e.at, who, "", _day(day), looked, 0)
        row.times += 1
        row.categories.update(e.categories or ())
    for row in rows.values():
        row.what = what_list(row.categories)
    return Looks(list(rows.values()), read[-1].seq if more and read else None)


# --- plan --------------------------------------------------------------------------------------


@dataclass
class PortalStep:
    step: Step
    text: str
    who: str
    mine: bool
    done: bool


@dataclass
class PortalNote:
    text: str
    written: date  # the day it was written, so the person can tell an old note from a new one


@dataclass
class PortalGoal:
    goal: Goal
    text: str
    steps: list[PortalStep] = field(default_factory=list)
    notes: list[PortalNote] = field(default_factory=list)  # newest first


@dataclass
class PortalPlan:
    goals: list[PortalGoal]
    notes: list[PortalNote]


def plan(person: Person) -> PortalPlan:
    """The person's goals in their own words, their steps (who, what, by when), and the notes
    shared with the care team. Notes kept for one agency only are never shown here."""
    goals = list(Goal.objects.filter(person=person).order_by("created_at", "pk"))
    steps = list(
        Step.objects.filter(person=person)
        .exclude(status=StepStatus.CANCELLED)
        .select_related("assigned_agency")
        .order_by("due_on", "created_at")
    )
    notes = list(
        ProgressNote.objects.filter(person=person, visibility=NoteVisibility.CARE_TEAM).order_by(
            "-created_at", "pk"
        )
    )
    words = unseal_rows(goals, "words_ct", GOAL_PURPOSE)
    step_texts = unseal_rows(steps, "text_ct", STEP_PURPOSE)
    note_texts = unseal_rows(notes, "text_ct", NOTE_PURPOSE)
    rows = {g.pk: PortalGoal(g, words.get(g.pk, {}).get("text", "")) for g in goals}
    for s in steps:
        if s.assignee == Assignee.PERSON:
            who = _("You")
        elif s.assignee == Assignee.AGENCY and s.assigned_agency is not None:
            who = s.assigned_agency.name
        else:
            who = _("Your helper")
        rows[s.goal_id].steps.append(
            PortalStep(
                s,
                step_texts.get(s.pk, {}).get("text", ""),
                who,
                s.assignee == Assignee.PERSON,
                s.status == StepStatus.DONE,
            )
        )
    general: list[PortalNote] = []
    for n in notes:
        note = PortalNote(
            note_texts.get(n.pk, {}).get("text", ""), timezone.localdate(n.created_at)
        )
        (rows[n.goal_id].notes if n.goal_id in rows else general).append(note)
    return PortalPlan(list(rows.values()), general)


def my_step(person: Person, step_id) -> Step | None:
    return Step.objects.filter(pk=step_id, person=person).first()


def my_goal(person: Person, goal_id) -> Goal | None:
    return Goal.objects.filter(pk=goal_id, person=person).first()


def my_consent(person: Person, consent_id) -> Consent | None:
    return Consent.objects.filter(pk=consent_id, person=person).first()


def referral_status_words(status: str) -> str:
    return str(REFERRAL_STATUS.get(status, status))


@dataclass
class ReferralRow:
    referral: Referral
    status: str
    can_confirm: bool


def referrals(person: Person) -> list[ReferralRow]:
    """The person's sent referrals, newest first, with their status in plain words."""
    rows = []
    for r in (
        Referral.objects.filter(person=person)
        .exclude(status__in=["draft", "entered-in-error"])
        .order_by("-created_at")
    ):
        can = r.status in {"accepted", "in-progress", "completed", "failed", "on-hold"}
        rows.append(ReferralRow(r, referral_status_words(r.status), can))
    return rows


def my_referral(person: Person, referral_id) -> Referral | None:
    return Referral.objects.filter(pk=referral_id, person=person).first()


# --- check-ins ---------------------------------------------------------------------------------

# Instruments the person may complete themself (their kind): protective factors, resilience.
SELF_REPORT_KINDS = ("protective_factors", "resilience")


def open_checkins(person: Person) -> list[Session]:
    """Check-ins the navigator has opened for the person to complete themself."""
    return list(
        Session.objects.filter(
            person=person,
            status=SessionStatus.IN_PROGRESS,
            mode=SessionMode.SELF,
            kind__in=SELF_REPORT_KINDS,
        ).order_by("created_at")
    )


def my_checkin(person: Person, session_id) -> Session | None:
    return next((s for s in open_checkins(person) if str(s.pk) == str(session_id)), None)
