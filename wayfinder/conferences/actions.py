"""Every write of the conferences app. One transaction each, with its audit event (ids only)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.access.gate import access_for
from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Agency, User
from wayfinder.audit.events import record
from wayfinder.conferences import queries
from wayfinder.conferences.errors import ConferenceErrorCode as Code
from wayfinder.conferences.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AttendanceWish,
    Meeting,
    MeetingStatus,
    MinutesVisibility,
    Outcome,
    Series,
    SeriesType,
)
from wayfinder.core.categories import ALL_CATEGORIES
from wayfinder.core.errors import CodedError
from wayfinder.people.models import Person
from wayfinder.people.sealing import seal, unseal
from wayfinder.plans import actions as plan_actions
from wayfinder.plans.models import Assignee, Goal
from wayfinder.referrals.models import Referral

MINUTES_PURPOSE, ACTION_PURPOSE = "conference-minutes", "conference-action"
WINDOW_DAYS = 13 * 366  # the first meeting must fall within this many days of the start
MAX_TEXT = 8000


def _audit(action: str, actor: Actor, obj, person: Person | None = None, categories=(), **detail):
    record(
        action,
        category="conferences",
        actor=actor,
        obj=obj,
        person=person,
        categories=sorted(categories),
        detail=detail,
    )


def _chair(series: Series, actor: Actor) -> None:
    """Only casework staff of the chair agency run a series and its meetings."""
    if actor.agency is None or actor.agency.pk != series.chair_agency_id or not actor.is_casework:
        raise PermissionDenied


def _open(meeting: Meeting) -> None:
    # Read from the database: an item's cached meeting may have been closed since.
    if not Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.OPEN).exists():
        raise CodedError(Code.MEETING_CLOSED, _("This meeting is closed."), status=409)


def _text(value: str, field: str = "text") -> str:
    value = (value or "").strip()
    if not value:
        raise CodedError(Code.TEXT_REQUIRED, _("Write something first."), field=field)
    if len(value) > MAX_TEXT:
        raise CodedError(Code.TEXT_TOO_LONG, _("This is too long."), field=field)
    return value


def _check_rrule(rrule: str, starts_at: datetime) -> str:
    rrule = (rrule or "").strip()
    try:
        # A meeting at most daily, and one within 13 years: a rule that never occurs (or
        # occurs every second) would make each look-up walk the calendar for ever.
        if not rrule or not queries.within(rrule, starts_at, days=WINDOW_DAYS):
            raise ValueError
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        raise CodedError(
            Code.RRULE_INVALID,
            _("Give the schedule as an RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=TU."),
            field="rrule",
        ) from None
    return rrule


@transaction.atomic
def create_series(
    *,
    actor: Actor,
    name: str,
    type: str,
    rrule: str,
    starts_at: datetime,
    duration_minutes: int = 60,
    place: str = "",
    video_link: str = "",
    attendees: list[User] | tuple = (),
) -> Series:
    """A series chaired by the actor's agency; the actor is a standing attendee."""
    if actor.agency is None or not actor.is_casework:
        raise PermissionDenied
    if type not in SeriesType.values:
        raise CodedError(Code.TYPE_UNKNOWN, _("Choose a meeting type."), field="type")
    name = _text(name, "name")[:120]
    rrule = _check_rrule(rrule, starts_at)
    if not (place or "").strip() and not (video_link or "").strip():
        raise CodedError(Code.PLACE_REQUIRED, _("Give a place or a video link."), field="place")
    _check_link((video_link or "").strip())
    series = Series.objects.create(
        name=name,
        type=type,
        chair_agency=actor.agency,
        rrule=rrule,
        starts_at=starts_at,
        duration_minutes=max(5, min(int(duration_minutes), 600)),
        place=(place or "").strip()[:200],
        video_link=(video_link or "").strip(),
    )
    series.standing_attendees.set({actor.user, *attendees})
    _audit("conference.series_create", actor, series, type=type)
    return series


@transaction.atomic
def schedule_next_meeting(series: Series, *, actor: Actor) -> Meeting:
    """The next occurrence of the schedule after the latest meeting already held or planned."""
    _chair(series, actor)
    last = series.meetings.order_by("-starts_at").first()
    found = queries.occurrences(
        series.rrule, series.starts_at, after=last.starts_at if last else None
    )
    if not found:
        raise CodedError(Code.NO_OCCURRENCE, _("The schedule has no further meeting."), status=409)
    starts = found[0]
    meeting = Meeting.objects.create(
        series=series, starts_at=starts, ends_at=starts + timedelta(minutes=series.duration_minutes)
    )
    carried = 0
    if last is not None:
        # Deferred items carry over, with their exclusions and a reason saying so.
        for old in last.items.filter(outcome=Outcome.DEFERRED).order_by("created_at", "pk"):
            reasons = [r for r in old.reasons if r.get("code") != "deferred"]
            AgendaItem.objects.create(
                meeting=meeting,
                person_id=old.person_id,
                presenter_id=old.presenter_id,
                reasons=[*reasons, {"code": "deferred", "category": "identity", "count": 1}],
                excluded_categories=old.excluded_categories,
                voice_ct=old.voice_ct,
                attendance_wish=old.attendance_wish,
            )
            carried += 1
    _audit("conference.meeting_create", actor, meeting, series=str(series.pk), carried=carried)
    return meeting


@transaction.atomic
def add_guest(meeting: Meeting, *, actor: Actor, user: User) -> Meeting:
    _chair(meeting.series, actor)
    _open(meeting)
    meeting.guests.add(user)
    _audit("conference.guest_add", actor, meeting, user=user.pk)
    return meeting


@transaction.atomic
def add_item(
    meeting: Meeting,
    *,
    actor: Actor,
    person: Person,
    presenter: User | None = None,
    reasons: list[dict] | None = None,
) -> AgendaItem:
    """Put a person on the agenda. The chair must be able to see the person (the gate)."""
    _chair(meeting.series, actor)
    _open(meeting)
    if access_for(actor, person) is None:
        raise Http404
    if presenter is not None and not queries.is_attendee(meeting, presenter):
        raise CodedError(
            Code.NOT_AN_ATTENDEE, _("The presenter must attend the meeting."), field="presenter"
        )
    item, _created = AgendaItem.objects.get_or_create(
        meeting=meeting,
        person=person,
        defaults={"presenter": presenter, "reasons": list(reasons or [])},
    )
    _audit(
        "conference.item_add", actor, item, person, reasons=[r.get("code") for r in item.reasons]
    )
    return item


@transaction.atomic
def set_exclusions(item: AgendaItem, *, actor: Actor, categories) -> AgendaItem:
    """The person's "do not discuss": recorded by the owning agency, hidden from every attendee."""
    access = access_for(actor, item.person)
    if access is None or not access.is_owner:
        raise PermissionDenied
    cats = sorted(set(categories))
    if set(cats) - ALL_CATEGORIES:
        raise CodedError(Code.CATEGORY_UNKNOWN, _("Unknown data category."), field="categories")
    item.excluded_categories = cats
    item.save(update_fields=["excluded_categories", "updated_at"])
    _audit("conference.item_exclusions", actor, item, item.person, excluded=cats)
    return item


@transaction.atomic
def open_item(item: AgendaItem, *, actor: Actor) -> queries.ItemView:
    """What this attendee sees of the item; the disclosure is audited with the consents behind it."""
    if not queries.is_attendee(item.meeting, actor.user) or actor.agency is None:
        raise Http404
    view = queries.item_view(item, actor.agency)
    _audit(
        "conference.item_open",
        actor,
        item,
        item.person,
        view.categories if view.basis == "consent" else (),
        basis=view.basis,
        consents=view.consent_ids,
    )
    return view


@transaction.atomic
def record_attendance(meeting: Meeting, *, actor: Actor, present: list[User]) -> Meeting:
    _chair(meeting.series, actor)
    _open(meeting)
    allowed = queries.attendee_ids(meeting)
    if any(u.pk not in allowed for u in present):
        raise CodedError(Code.NOT_AN_ATTENDEE, _("Only attendees can be present."), field="present")
    meeting.present.set(present)
    _audit("conference.attendance", actor, meeting, present=len(present))
    return meeting


@transaction.atomic
def record_minutes(
    item: AgendaItem, *, actor: Actor, text: str, visibility: str = MinutesVisibility.CONSENTED
) -> AgendaItem:
    _chair(item.meeting.series, actor)
    _open(item.meeting)
    if visibility not in MinutesVisibility.values:
        raise CodedError(Code.VISIBILITY_UNKNOWN, _("Say who may read the minutes."))
    item.minutes_ct = seal(item.person, {"text": _text(text)}, MINUTES_PURPOSE)
    item.minutes_visibility = visibility
    item.save(update_fields=["minutes_ct", "minutes_visibility", "updated_at"])
    _audit("conference.minutes", actor, item, item.person, visibility=visibility)
    return item


def minutes_for(view: queries.ItemView) -> str | None:
    """The minutes this view may read: owner always; consented attendees if shared and notes."""
    item = view.item
    if view.restricted or item.minutes_ct is None:
        return None
    if view.basis != "owner" and (
        item.minutes_visibility != MinutesVisibility.CONSENTED or not view.can("notes")
    ):
        return None
    words = unseal(item.person, item.minutes_ct, MINUTES_PURPOSE)
    return (words or {}).get("text")


@transaction.atomic
def set_outcome(item: AgendaItem, *, actor: Actor, outcome: str) -> AgendaItem:
    _chair(item.meeting.series, actor)
    _open(item.meeting)
    if outcome not in Outcome.values:
        raise CodedError(Code.OUTCOME_UNKNOWN, _("Choose an outcome."), field="outcome")
    item.outcome = outcome
    item.save(update_fields=["outcome", "updated_at"])
    _audit("conference.outcome", actor, item, item.person, outcome=outcome)
    return item


@transaction.atomic
def add_action_item(
    item: AgendaItem,
    *,
    actor: Actor,
    text: str,
    due_on: date,
    owner_user: User | None = None,
    owner_agency: Agency | None = None,
    goal_id=None,
    referral_id=None,
) -> ActionItem:
    _chair(item.meeting.series, actor)
    _open(item.meeting)
    text = _text(text)
    if owner_user is None and owner_agency is None:
        raise CodedError(Code.OWNER_REQUIRED, _("Say who will do it."), field="owner")
    if goal_id and not Goal.objects.filter(pk=goal_id, person_id=item.person_id).exists():
        raise CodedError(Code.LINK_UNKNOWN, _("That goal is not this person's."), field="goal_id")
    if (
        referral_id
        and not Referral.objects.filter(pk=referral_id, person_id=item.person_id).exists()
    ):
        raise CodedError(
            Code.LINK_UNKNOWN, _("That referral is not this person's."), field="referral_id"
        )
    action = ActionItem(
        item=item,
        person=item.person,
        owner_user=owner_user,
        owner_agency=owner_agency,
        due_on=due_on,
        goal_id=goal_id or None,
        referral_id=referral_id or None,
        created_by=actor.user,
    )
    action.text_ct = seal(item.person, {"text": text}, ACTION_PURPOSE)
    action.save()
    _audit("conference.action_add", actor, action, item.person, linked=bool(goal_id or referral_id))
    return action


def action_text(action: ActionItem) -> str:
    return (unseal(action.person, action.text_ct, ACTION_PURPOSE) or {}).get("text", "")


@transaction.atomic
def close_meeting(meeting: Meeting, *, actor: Actor) -> Meeting:
    """Close the meeting; refused while any agenda item has no outcome."""
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    _chair(meeting.series, actor)
    _open(meeting)
    missing = meeting.items.filter(outcome="").count()
    if missing:
        raise CodedError(
            Code.OUTCOMES_MISSING,
            _("Give every agenda item an outcome before closing the meeting."),
            status=409,
        )
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["status", "closed_at", "updated_at"])
    _audit("conference.meeting_close", actor, meeting)
    return meeting


# --- Follow-up (issue 12, part B): an action item into the plan, or done as a conference task ---


def _plan_assignee(action: ActionItem) -> tuple[str, User | None, Agency | None]:
    """Who does the step: the owner if they are on the care team, else the owner's agency."""
    person = action.person
    if action.owner_user_id and person.care_team.filter(user_id=action.owner_user_id).exists():
        return Assignee.STAFF, action.owner_user, None
    agency = action.owner_agency
    if agency is None and action.owner_user is not None:
        agency = (
            Agency.objects.filter(memberships__user=action.owner_user, memberships__is_active=True)
            .order_by("name", "pk")
            .first()
        )
    return Assignee.AGENCY, None, agency


@transaction.atomic
def add_action_to_plan(action: ActionItem, *, actor: Actor, goal: Goal | None = None):
    """The person's navigator accepts an open action item into the plan: it becomes a step.

    The step goes to ``goal`` (default: the goal the action item links to), carries the action's
    words, due date and owner, and is written by the plans app's own ``add_step`` (one transaction,
    its one audit event naming the action item). The action item remembers the step.
    """
    # Lock the action item's row alone (PostgreSQL refuses FOR UPDATE over the nullable owners).
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    access = access_for(actor, action.person)
    if access is None or not access.is_owner:
        raise PermissionDenied
    if action.status != ActionStatus.OPEN or action.step_id is not None:
        raise CodedError(Code.ACTION_NOT_OPEN, _("This action item is no longer open."), status=409)
    goal_id = goal.pk if goal is not None else action.goal_id
    chosen = (
        Goal.objects.filter(pk=goal_id, person_id=action.person_id).select_related("person").first()
        if goal_id
        else None
    )
    if chosen is None or not chosen.is_open:
        raise CodedError(
            Code.GOAL_REQUIRED, _("Choose one of the person's open goals."), field="goal"
        )
    assignee, user, agency = _plan_assignee(action)
    step = plan_actions.add_step(
        chosen,
        actor=actor,
        text=action_text(action),
        assignee=assignee,
        assigned_user=user,
        assigned_agency=agency,
        due_on=action.due_on,
        referral_id=action.referral_id,
        source={
            "conference_action_id": str(action.pk),
            "meeting_id": str(action.item.meeting_id),
        },
    )
    action.step_id = step.pk
    action.save(update_fields=["step_id", "updated_at"])
    return step


def can_complete_task(action: ActionItem, actor: Actor) -> bool:
    """The owner (the user, or casework staff of the owner agency) or the chair marks it done."""
    if actor.agency is None or not actor.is_casework:
        return False
    if action.owner_user_id == actor.user.pk or action.owner_agency_id == actor.agency.pk:
        return True
    return actor.agency.pk == action.item.meeting.series.chair_agency_id


@transaction.atomic
def complete_task(action: ActionItem, *, actor: Actor) -> ActionItem:
    """Mark a conference task (an open action item not in the plan) done."""
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    if not can_complete_task(action, actor):
        raise PermissionDenied
    if action.status != ActionStatus.OPEN or action.step_id is not None:
        raise CodedError(Code.ACTION_NOT_OPEN, _("This action item is no longer open."), status=409)
    action.status = ActionStatus.DONE
    action.done_at = timezone.now()
    action.done_by = actor.user
    action.save(update_fields=["status", "done_at", "done_by", "updated_at"])
    _audit(
        "conference.task_done", actor, action, action.person, meeting=str(action.item.meeting_id)
    )
    return action


# --- the survivor's voice ---
#
# Before the meeting the person's navigator (casework staff of the owning agency) records, in the
# person's own words, what they want the team to know and to decide, and whether they want to
# attend or be represented. Sealed under the person's key; read through ``voice_for`` only.

VOICE_PURPOSE = "conference-voice"
VOICE_MAX = 4000


def _navigator(item: AgendaItem, actor: Actor) -> None:
    """Only casework staff of the person's owning agency speak for the person's wishes."""
    access = access_for(actor, item.person)
    if access is None or not access.is_owner or not actor.is_casework:
        raise PermissionDenied


def _words(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > VOICE_MAX:
        raise CodedError(Code.TEXT_TOO_LONG, _("This is too long."), field=field)
    return value


@transaction.atomic
def record_voice(
    item: AgendaItem,
    *,
    actor: Actor,
    know: str = "",
    decide: str = "",
    attendance_wish: str = "",
    representative: str = "",
) -> AgendaItem:
    """The person's own words for the team, and whether they attend, are represented, or neither."""
    _navigator(item, actor)
    _open(item.meeting)
    know, decide = _words(know, "know"), _words(decide, "decide")
    representative = _words(representative, "representative")[:200]
    if attendance_wish not in ("", *AttendanceWish.values):
        raise CodedError(
            Code.WISH_UNKNOWN, _("Say whether they attend or are represented."), field="wish"
        )
    if attendance_wish == AttendanceWish.REPRESENTED and not representative:
        raise CodedError(
            Code.REPRESENTATIVE_REQUIRED,
            _("Say who will represent them."),
            field="representative",
        )
    if attendance_wish != AttendanceWish.REPRESENTED:
        representative = ""
    if not (know or decide or attendance_wish):
        raise CodedError(Code.TEXT_REQUIRED, _("Write something first."), field="know")
    words = {"know": know, "decide": decide, "representative": representative}
    item.voice_ct = seal(item.person, words, VOICE_PURPOSE) if any(words.values()) else None
    item.attendance_wish = attendance_wish
    item.save(update_fields=["voice_ct", "attendance_wish", "updated_at"])
    _audit(
        "conference.voice",
        actor,
        item,
        item.person,
        wish=attendance_wish,
        know=bool(know),
        decide=bool(decide),
    )
    return item


def voice_for(view: queries.ItemView) -> dict | None:
    """The person's words for this view: the owner and consented attendees, never a restricted
    view (an item whose every consented category the person excluded is restricted too)."""
    item = view.item
    if view.restricted or (item.voice_ct is None and not item.attendance_wish):
        return None
    words = (unseal(item.person, item.voice_ct, VOICE_PURPOSE) or {}) if item.voice_ct else {}
    return {
        "know": words.get("know", ""),
        "decide": words.get("decide", ""),
        "representative": words.get("representative", ""),
        "wish": item.attendance_wish,
        "wish_label": AttendanceWish(item.attendance_wish).label if item.attendance_wish else "",
    }


# --- pages for the chair and API writes ---

# http(s), then no blank, control character, quote or angle bracket (the API publishes it).
VIDEO_LINK_PATTERN = r'^https?://[^\x00-\x20\x7f-\xa0<>"]+$'


def _check_link(link: str) -> None:
    """A video link is an http(s) address of at most 200 characters (the column's length)."""
    if link and (len(link) > 200 or not re.fullmatch(VIDEO_LINK_PATTERN, link)):
        raise CodedError(
            Code.LINK_INVALID, _("Give the video link as a web address."), field="video_link"
        )
