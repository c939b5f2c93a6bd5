"""``/api/v1/conferences/``: meetings, their agenda and items, cut by the same consent rules.

An agenda lists record codes only, with ``restricted`` per item. Reading one item is the audited
opening: it carries the name, reasons and minutes only for the categories the person's
``case_conferencing`` consents give the caller's agency; a restricted item is its code and
nothing else.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.http import Http404
from ninja import Router, Schema

from wayfinder.api.schemas import responses
from wayfinder.conferences import actions, queries, reasons
from wayfinder.conferences.models import AgendaItem, Meeting
from wayfinder.people.sealing import identity_of

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
