"""``/api/v1/prevention/``: courses, sessions with attendance counts, campaigns with reach.

For trainers and outreach staff (and their agency's admins); anyone else gets 404. Counts only:
no trainee's name or e-mail is ever in an answer.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from wayfinder.api.schemas import Input, IsoDateTime, choice, integer, line, responses
from wayfinder.prevention import actions, queries, reports
from wayfinder.prevention.models import RegistrationStatus, Sector, TrainingSession

router = Router(tags=["prevention"])
prefix = "prevention"


class PreventionCourseOut(Schema):
    id: uuid.UUID
    title: str
    level: str
    objectives: list[str]
    duration_minutes: int
    agency_id: uuid.UUID


class PreventionSessionOut(Schema):
    id: uuid.UUID
    course_id: uuid.UUID
    starts_at: datetime
    place: str
    video_link: str
    sector: str
    language: str
    capacity: int
    registered: int
    waitlisted: int
    attended: int
    completed: int
    knowledge_pairs: int
    knowledge_before: float | None
    knowledge_after: float | None
    knowledge_change: float | None


if TYPE_CHECKING:
    Place: TypeAlias = str
    VideoLink: TypeAlias = str
    SectorCode: TypeAlias = str
    LanguageCode: TypeAlias = str
    Seats: TypeAlias = int
else:
    Place = line(200)
    VideoLink = line(500)
    SectorCode = choice(Sector.values)
    LanguageCode = choice(("en", "es"))
    Seats = integer(1, 1000)


class PreventionSessionIn(Input):
    course_id: uuid.UUID
    starts_at: IsoDateTime
    place: Place = ""
    video_link: VideoLink = ""
    sector: SectorCode
    language: LanguageCode
    capacity: Seats


class PreventionCampaignOut(Schema):
    id: uuid.UUID
    name: str
    audiences: list[str]
    channels: list[str]
    languages: list[str]
    starts_on: str
    ends_on: str | None
    events: int
    people_reached: int
    help_page_visits: int


def _trainer(request):
    if not queries.can_train(request.actor):
        raise Http404
    return request.actor


def _course_out(c) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "level": c.level,
        "objectives": c.objective_list,
        "duration_minutes": c.duration_minutes,
        "agency_id": c.agency_id,
    }


def _session_out(s: TrainingSession) -> dict:
    regs = list(s.registrations.all())
    registered = [r for r in regs if r.status == RegistrationStatus.REGISTERED]
    gain = queries.knowledge_gain(registered)
    return {
        "id": s.pk,
        "course_id": s.course_id,
        "starts_at": s.starts_at,
        "place": s.place,
        "video_link": s.video_link,
        "sector": s.sector,
        "language": s.language,
        "capacity": s.capacity,
        "registered": len(registered),
        "waitlisted": len(regs) - len(registered),
        "attended": sum(r.attended for r in registered),
        "completed": sum(r.completed for r in registered),
        "knowledge_pairs": gain.pairs,
        "knowledge_before": gain.pre_mean,
        "knowledge_after": gain.post_mean,
        "knowledge_change": gain.change,
    }


@router.get(
    "/courses/", response=responses(list[PreventionCourseOut]), summary="The course catalogue"
)
def courses(request):
    _trainer(request)
    return [_course_out(c) for c in queries.courses()]


@router.get(
    "/sessions/",
    response=responses(list[PreventionSessionOut]),
    summary="Your agency's sessions, with attendance counts and knowledge gain",
)
def sessions(request):
    actor = _trainer(request)
    return [_session_out(s) for s in queries.sessions_of(actor).prefetch_related("registrations")]


@router.get(
    "/sessions/{session_id}/", response=responses(PreventionSessionOut), summary="One session"
)
def session(request, session_id: uuid.UUID):
    actor = _trainer(request)
    s = queries.sessions_of(actor).filter(pk=session_id).first()
    if s is None:
        raise Http404
    return _session_out(s)


@router.post(
    "/sessions/",
    response=responses(PreventionSessionOut, 403, ok_status=201),
    summary="Schedule a session of a course",
)
def create_session(request, payload: PreventionSessionIn):
    actor = _trainer(request)
    course = queries.courses().filter(pk=payload.course_id).first()
    if course is None:
        raise Http404
    s = actions.create_session(
        actor=actor,
        course=course,
        starts_at=payload.starts_at,
        place=payload.place,
        video_link=payload.video_link,
        sector=payload.sector,
        language=payload.language,
        capacity=payload.capacity,
    )
    return Status(201, _session_out(s))


@router.get(
    "/campaigns/",
    response=responses(list[PreventionCampaignOut]),
    summary="Your agency's campaigns, with reach and help-page visits",
)
def campaigns(request):
    actor = _trainer(request)
    visits = reports.visits_by_code(agency=actor.agency)
    out = []
    for c in queries.campaigns_of(actor).prefetch_related("events", "codes"):
        events = list(c.events.all())
        out.append(
            {
                "id": c.pk,
                "name": c.name,
                "audiences": c.audiences,
                "channels": c.channels,
                "languages": c.languages,
                "starts_on": c.starts_on.isoformat(),
                "ends_on": c.ends_on.isoformat() if c.ends_on else None,
                "events": len(events),
                "people_reached": sum(e.people_reached for e in events),
                "help_page_visits": sum(visits.get(code.code, 0) for code in c.codes.all()),
            }
        )
    return out
