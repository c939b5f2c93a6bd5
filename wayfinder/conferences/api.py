"""``/api/v1/conferences/``: meetings, their agenda and items, cut by the same consent rules.

An agenda lists record codes only, with ``restricted`` per item. Reading one item is the audited
opening: it carries the name, reasons and minutes only for the categories the person's
``case_conferencing`` consents give the caller's agency; a restricted item is its code and
nothing else.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, StringConstraints, WithJsonSchema, model_validator

from wayfinder.accounts.models import Agency, User
from wayfinder.api.schemas import (
    Input,
    IsoDate,
    choice,
    date_range_pattern,
    integer,
    line,
    responses,
    text,
)
from wayfinder.conferences import actions, queries, reasons
from wayfinder.conferences.models import (
    AgendaItem,
    Meeting,
    MinutesVisibility,
    Outcome,
    Series,
    SeriesType,
)
from wayfinder.people.models import Person
from wayfinder.people.sealing import identity_of
from wayfinder.plans.models import Goal
from wayfinder.referrals.models import Referral

router = Router(tags=["conferences"])
prefix = "conferences"


class MeetingOut(Schema):
    id: uuid.UUID
    series_id: uuid.UUID
    name: str
    type: str
    chair_agency_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    place: str
    video_link: str
    status: str


class AgendaRowOut(Schema):
    id: uuid.UUID
    pseudonym: str
    restricted: bool
    outcome: str


class ActionOut(Schema):
    id: uuid.UUID
    text: str
    owner_user_id: int | None
    owner_agency_id: uuid.UUID | None
    due_on: date
    status: str


class VoiceOut(Schema):
    """The person's own words for the meeting (owner and consented attendees only)."""

    know: str
    decide: str
    wish: str  # attend | represented | neither | "" (not asked)
    representative: str


class AgendaItemOut(Schema):
    id: uuid.UUID
    meeting_id: uuid.UUID
    pseudonym: str
    restricted: bool
    categories: list[str]
    name: str | None = None
    reasons: list[str] = []
    minutes: str | None = None
    actions: list[ActionOut] = []
    outcome: str
    voice: VoiceOut | None = None


def _meeting_out(m: Meeting) -> dict:
    s = m.series
    return {
        "id": m.pk,
        "series_id": s.pk,
        "name": s.name,
        "type": s.type,
        "chair_agency_id": s.chair_agency_id,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "place": s.place,
        "video_link": s.video_link,
        "status": m.status,
    }


def _meeting(request, meeting_id) -> Meeting:
    m = Meeting.objects.select_related("series").filter(pk=meeting_id).first()
    if m is None or request.actor.agency is None or not queries.is_attendee(m, request.actor.user):
        raise Http404
    return m


@router.get("/meetings/", response=responses(list[MeetingOut]), summary="Meetings you attend")
def meetings(request):
    return [_meeting_out(m) for m in queries.meetings_for(request.actor.user)]


@router.get("/meetings/{meeting_id}/", response=responses(MeetingOut), summary="One meeting")
def meeting(request, meeting_id: uuid.UUID):
    return _meeting_out(_meeting(request, meeting_id))


@router.get(
    "/meetings/{meeting_id}/agenda/",
    response=responses(list[AgendaRowOut]),
    summary="A meeting's agenda: record codes, restricted per item",
)
def agenda(request, meeting_id: uuid.UUID):
    m = _meeting(request, meeting_id)
    return [
        {
            "id": v.item.pk,
            "pseudonym": v.pseudonym,
            "restricted": v.restricted,
            "outcome": v.item.outcome,
        }
        for v in queries.item_views(queries.agenda(m), request.actor.agency)
    ]


@router.get("/items/{item_id}/", response=responses(AgendaItemOut), summary="Open one agenda item")
def item(request, item_id: uuid.UUID):
    it = (
        AgendaItem.objects.select_related("meeting", "meeting__series", "person")
        .filter(pk=item_id)
        .first()
    )
    if it is None:
        raise Http404
    _meeting(request, it.meeting_id)
    view = actions.open_item(it, actor=request.actor)
    out: dict = {
        "id": it.pk,
        "meeting_id": it.meeting_id,
        "pseudonym": view.pseudonym,
        "restricted": view.restricted,
        "categories": sorted(view.categories),
        "outcome": it.outcome,
    }
    if view.restricted:
        return out
    identity = identity_of(it.person) if view.can("identity") else None
    out["name"] = identity.chosen_name if identity else None
    out["reasons"] = reasons.explain(it.reasons, view.categories)
    out["minutes"] = actions.minutes_for(view)
    voice = actions.voice_for(view)
    if voice is not None:
        out["voice"] = {k: voice[k] for k in ("know", "decide", "wish", "representative")}
    if view.basis == "owner" or view.can("plan"):
        out["actions"] = [
            {
                "id": a.pk,
                "text": actions.action_text(a),
                "owner_user_id": a.owner_user_id,
                "owner_agency_id": a.owner_agency_id,
                "due_on": a.due_on,
                "status": a.status,
            }
            for a in it.actions.all()
        ]
    return out


# --- API writes ---
#
# Each calls the same action as the pages: only casework staff of the chair agency write, and a
# refusal (or an unknown id in a body) is the 404 of a thing the caller cannot see. Bodies refuse
# unknown fields (``Input``), and each field's schema says exactly what the action accepts.

_DAY = "(?:MO|TU|WE|TH|FR|SA|SU)"
_N = "(?:[1-9]|1[0-2])"
RRULE_PATTERN = (
    rf"^FREQ=(?:DAILY(?:;INTERVAL={_N})?"
    rf"|WEEKLY(?:;INTERVAL={_N})?(?:;BYDAY={_DAY}(?:,{_DAY}){{0,6}})?"
    rf"|MONTHLY(?:;INTERVAL={_N})?(?:;BYDAY=(?:[1-4]|-1)?{_DAY})?"
    rf"|YEARLY(?:;INTERVAL={_N})?)$"
)
START_PATTERN = (
    "^(?:"
    + date_range_pattern(date(2000, 1, 1), date(2099, 12, 31))[1:-1]
    + r")T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:Z|[+-](?:0[0-9]|1[0-3]):[0-5][0-9])?$"
)

if TYPE_CHECKING:
    SeriesName: TypeAlias = str
    RruleLine: TypeAlias = str
    SeriesTypeCode: TypeAlias = str
    PlaceLine: TypeAlias = str
    LinkLine: TypeAlias = str
    MinutesText: TypeAlias = str
    ActionText: TypeAlias = str
    VisibilityCode: TypeAlias = str
    OutcomeCode: TypeAlias = str
    Minutes: TypeAlias = int
    UserId: TypeAlias = int
    StartLine: TypeAlias = str
else:
    SeriesName = line(120, filled=True)
    SeriesTypeCode = choice(SeriesType.values)
    PlaceLine = line(200, filled=True)
    MinutesText = text(actions.MAX_TEXT, filled=True)
    ActionText = text(2000, filled=True)
    VisibilityCode = choice(MinutesVisibility.values)
    OutcomeCode = choice(Outcome.values)
    Minutes = integer(5, 600)
    # The schedules the API takes: a rule python-dateutil reads and that always gives a meeting
    # within the action's window from any start in 2000-2099 (pages take any RFC 5545 rule).
    RruleLine = Annotated[str, StringConstraints(strict=True, pattern=RRULE_PATTERN)]
    StartLine = Annotated[
        str,
        StringConstraints(strict=True, pattern=START_PATTERN),
        WithJsonSchema(
            {
                "type": "string",
                "pattern": START_PATTERN,
                "description": "YYYY-MM-DDTHH:MM:SS, optionally Z or +HH:MM (2000-2099).",
            }
        ),
    ]
    LinkLine = Annotated[
        str, StringConstraints(strict=True, max_length=200, pattern=actions.VIDEO_LINK_PATTERN)
    ]
    UserId = integer(1, 2_147_483_647)  # a user's id (PostgreSQL integer)


class SeriesIn(Input):
    name: SeriesName = Field(..., description="The series' name, never a person's.")
    type: SeriesTypeCode
    rrule: RruleLine = Field(..., description="An RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU.")
    starts_at: StartLine = Field(..., description="The first meeting (ISO 8601).")
    duration_minutes: Minutes = 60
    place: PlaceLine = Field(..., description="Where, or e.g. 'Online' with a video link.")
    video_link: LinkLine = ""
    attendee_ids: list[UserId] = Field(default=[], max_length=100)


class SeriesOut(Schema):
    id: uuid.UUID
    name: str
    type: str
    chair_agency_id: uuid.UUID
    rrule: str
    starts_at: datetime
    duration_minutes: int
    place: str
    video_link: str
    attendee_ids: list[int]


class ItemIn(Input):
    person_id: uuid.UUID = Field(..., description="A person of the chair agency's caseload.")
    presenter_id: UserId | None = Field(None, description="An attendee of the meeting.")


class MinutesIn(Input):
    text: MinutesText
    visibility: VisibilityCode = MinutesVisibility.CONSENTED.value


def _owner_schema(schema: dict, cls) -> None:
    base: Any = Input.model_config.get("json_schema_extra")
    base(schema, cls)  # the control-character rule every body publishes
    # An owner is required: a user, an agency, or both (what the validator below enforces).
    schema["anyOf"] = [
        {"required": ["owner_user_id"], "properties": {"owner_user_id": {"type": "integer"}}},
        {
            "required": ["owner_agency_id"],
            "properties": {"owner_agency_id": {"type": "string", "format": "uuid"}},
        },
    ]


class ActionIn(Input):
    """An owner (``owner_user_id`` or ``owner_agency_id``, or both) is required."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_owner_schema)

    text: ActionText
    due_on: IsoDate
    owner_user_id: UserId | None = None
    owner_agency_id: uuid.UUID | None = None
    goal_id: uuid.UUID | None = None
    referral_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _has_owner(self):
        if self.owner_user_id is None and self.owner_agency_id is None:
            raise ValueError("Give the action item an owner: a user or an agency.")
        return self


class OutcomeIn(Input):
    outcome: OutcomeCode


def _series_out(s: Series) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "type": s.type,
        "chair_agency_id": s.chair_agency_id,
        "rrule": s.rrule,
        "starts_at": s.starts_at,
        "duration_minutes": s.duration_minutes,
        "place": s.place,
        "video_link": s.video_link,
        "attendee_ids": sorted(s.standing_attendees.values_list("pk", flat=True)),
    }


def _row(it: AgendaItem, agency) -> dict:
    view = queries.item_view(it, agency)
    return {
        "id": it.pk,
        "pseudonym": view.pseudonym,
        "restricted": view.restricted,
        "outcome": it.outcome,
    }


def _item(request, item_id) -> AgendaItem:
    it = (
        AgendaItem.objects.select_related("meeting", "meeting__series", "person")
        .filter(pk=item_id)
        .first()
    )
    if it is None:
        raise Http404
    _meeting(request, it.meeting_id)
    return it


def _network_user(user_id: int | None):
    """An active user of the network, by id; an unknown one is a 404, as in a path."""
    if user_id is None:
        return None
    user = (
        User.objects.filter(
            pk=user_id,
            is_active=True,
            memberships__is_active=True,
            memberships__agency__is_active=True,
        )
        .distinct()
        .first()
    )
    if user is None:
        raise Http404
    return user


@router.post(
    "/series/",
    response=responses(SeriesOut, ok_status=201),
    summary="Create a series chaired by your agency",
)
def create_series(request, payload: SeriesIn):
    starts = datetime.fromisoformat(payload.starts_at)
    if timezone.is_naive(starts):
        starts = timezone.make_aware(starts)
    attendees = [_network_user(pk) for pk in dict.fromkeys(payload.attendee_ids)]
    series = actions.create_series(
        actor=request.actor,
        name=payload.name,
        type=payload.type,
        rrule=payload.rrule,
        starts_at=starts,
        duration_minutes=payload.duration_minutes,
        place=payload.place,
        video_link=payload.video_link,
        attendees=[u for u in attendees if u is not None],
    )
    return Status(201, _series_out(series))


@router.post(
    "/series/{series_id}/meetings/",
    response=responses(MeetingOut, 409, ok_status=201),
    summary="Schedule the next meeting of a series",
)
def schedule_next(request, series_id: uuid.UUID):
    series = Series.objects.filter(pk=series_id).first()
    if series is None:
        raise Http404
    return Status(201, _meeting_out(actions.schedule_next_meeting(series, actor=request.actor)))


@router.post(
    "/meetings/{meeting_id}/items/",
    response=responses(AgendaRowOut, 409, ok_status=201),
    summary="Put a person of your caseload on the agenda",
)
def add_item(request, meeting_id: uuid.UUID, payload: ItemIn):
    m = _meeting(request, meeting_id)
    person = Person.objects.filter(
        pk=payload.person_id,
        owner_agency_id=m.series.chair_agency_id,
        forgotten_at__isnull=True,
    ).first()
    if person is None:
        raise Http404
    presenter = _network_user(payload.presenter_id)
    it = actions.add_item(m, actor=request.actor, person=person, presenter=presenter)
    return Status(201, _row(it, request.actor.agency))


@router.post(
    "/items/{item_id}/minutes/",
    response=responses(AgendaRowOut, 409),
    summary="Record an item's minutes (sealed)",
)
def record_minutes(request, item_id: uuid.UUID, payload: MinutesIn):
    it = actions.record_minutes(
        _item(request, item_id),
        actor=request.actor,
        text=payload.text,
        visibility=payload.visibility,
    )
    return _row(it, request.actor.agency)


@router.post(
    "/items/{item_id}/actions/",
    response=responses(ActionOut, 409, ok_status=201),
    summary="Add an action item",
)
def add_action(request, item_id: uuid.UUID, payload: ActionIn):
    it = _item(request, item_id)
    agency = None
    if payload.owner_agency_id is not None:
        agency = Agency.objects.filter(pk=payload.owner_agency_id, is_active=True).first()
        if agency is None:
            raise Http404
    # A goal or referral id that is not this person's names nothing the caller can see.
    if payload.goal_id and not Goal.objects.filter(pk=payload.goal_id, person=it.person).exists():
        raise Http404
    if (
        payload.referral_id
        and not Referral.objects.filter(pk=payload.referral_id, person=it.person).exists()
    ):
        raise Http404
    a = actions.add_action_item(
        it,
        actor=request.actor,
        text=payload.text,
        due_on=payload.due_on,
        owner_user=_network_user(payload.owner_user_id),
        owner_agency=agency,
        goal_id=payload.goal_id,
        referral_id=payload.referral_id,
    )
    return Status(
        201,
        {
            "id": a.pk,
            "text": actions.action_text(a),
            "owner_user_id": a.owner_user_id,
            "owner_agency_id": a.owner_agency_id,
            "due_on": a.due_on,
            "status": a.status,
        },
    )


@router.post(
    "/items/{item_id}/outcome/",
    response=responses(AgendaRowOut, 409),
    summary="Set an item's outcome",
)
def set_outcome(request, item_id: uuid.UUID, payload: OutcomeIn):
    it = actions.set_outcome(_item(request, item_id), actor=request.actor, outcome=payload.outcome)
    return _row(it, request.actor.agency)


@router.post(
    "/meetings/{meeting_id}/close/",
    response=responses(MeetingOut, 409),
    summary="Close a meeting (every item needs an outcome)",
)
def close_meeting(request, meeting_id: uuid.UUID):
    m = actions.close_meeting(_meeting(request, meeting_id), actor=request.actor)
    return _meeting_out(m)
