"""``/api/v1/assessments/``: instruments, sessions, answers, scores, needs and FHIR exports.

The same gate and actions as the pages. A declined answer is ``{"item": "x", "declined": true}``;
``{"item": "x", "value": null}`` clears one. Answers may be sent a few at a time (partial) or all
at once, with ``"complete": true`` to finish in the same call.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, StrictBool, StringConstraints

from wayfinder.access.gate import get_access
from wayfinder.api.errors import read_only
from wayfinder.api.schemas import Input, choice, past_date, responses
from wayfinder.assessments import actions, fhir, queries, scoring
from wayfinder.assessments.errors import AssessmentErrorCode as Code
from wayfinder.assessments.instruments import (
    Instrument,
    available_instruments,
    get_instrument,
)
from wayfinder.assessments.models import InterpreterUsed, Session, SessionMode
from wayfinder.audit.events import record
from wayfinder.core.errors import CodedError, CommonErrorCode
from wayfinder.directory.interpreters import InterpreterIn, InterpreterOut, interpreter_out

router = Router(tags=["assessments"])
prefix = "assessments"

ItemId = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_]{0,62}$")]


Strict = Input  # unknown fields are refused (wayfinder.api.schemas)


# --- schemas -------------------------------------------------------------------------------------


class OptionOut(Schema):
    value: str | int
    label: dict[str, str]
    score: float | None = None


class ItemOut(Schema):
    id: str
    type: str
    text: dict[str, str]
    help: dict[str, str] | None = None
    options: list[OptionOut] = []
    min: int | None = None
    max: int | None = None
    show_if: dict | None = None


class SectionOut(Schema):
    id: str
    title: dict[str, str]
    items: list[ItemOut]


class InstrumentOut(Schema):
    id: str
    version: int
    kind: str
    languages: list[str]
    title: dict[str, str]
    citation: str
    reassess_after_days: int | None
    sections: list[SectionOut] | None = None


# The constrained types come from the api/schemas.py factories, which a type checker cannot read
# as types: to it they are the value a validated field holds.
if TYPE_CHECKING:
    InstrumentId: TypeAlias = str
    InstrumentLanguage: TypeAlias = str
    ConductedOn: TypeAlias = date
else:
    InstrumentId = choice(i.id for i in available_instruments())
    InstrumentLanguage = choice(
        sorted({lang for i in available_instruments() for lang in i.languages})
    )
    ConductedOn = past_date(2000)


class StartIn(Strict):
    # Each instrument is offered in its own languages: the schema pairs them.
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {
                    "properties": {
                        "instrument": {"const": i.id},
                        "language": {"enum": list(i.languages)},
                    }
                }
                for i in available_instruments()
            ]
        }
    )

    instrument: InstrumentId
    mode: SessionMode
    language: InstrumentLanguage
    interpreter_used: InterpreterUsed
    conducted_on: ConductedOn | None = None
    # Who interpreted; when given, it decides ``interpreter_used``.
    interpreter: InterpreterIn | None = None


# What an answer can be (scoring.clean_value): an option or a text or a date as a string, a list
# of options, or a number.
AnswerValue = str | list[str] | int | float | None


class AnswerIn(Strict):
    item: ItemId
    value: AnswerValue = None
    declined: StrictBool = False


class AnswersIn(Strict):
    answers: list[AnswerIn] = Field(default_factory=list, max_length=500)
    complete: StrictBool = False


class ScoreOut(Schema):
    id: str
    value: float | None
    answered: int
    declined: int
    missing: int
    band: str | None = None


class AnswerOut(Schema):
    item: str
    value: Any = None
    declined: bool = False


class SessionOut(Schema):
    id: uuid.UUID
    person: uuid.UUID
    instrument: str
    version: int
    status: str
    mode: str
    language: str
    interpreter_used: str
    interpreter: InterpreterOut | None = None
    conducted_on: date
    current_section: int
    completed_at: datetime | None
    previous: uuid.UUID | None
    scores: list[ScoreOut] = []
    answers: list[AnswerOut] | None = None


class NeedOut(Schema):
    id: uuid.UUID
    category: str
    urgency: str
    status: str
    source_session: uuid.UUID | None
    source_item: str
    added_by_staff: bool
    created_at: datetime


class FlagOut(Schema):
    id: uuid.UUID
    kind: str  # self_harm | danger_now | trafficker_nearby
    item: str


class SubmitOut(Schema):
    session: SessionOut
    saved: list[str]
    cleared: list[str]
    needs_created: list[NeedOut] = []
    # Safety flags these answers raised: show the person the crisis information at once.
    safety_flags: list[FlagOut] = []


# --- helpers -------------------------------------------------------------------------------------


def _instrument_out(inst: Instrument, *, full: bool) -> dict:
    out = {
        "id": inst.id,
        "version": inst.version,
        "kind": inst.kind,
        "languages": list(inst.languages),
        "title": inst.title,
        "citation": inst.citation,
        "reassess_after_days": inst.reassess_after_days,
    }
    if full:
        out["sections"] = [
            {
                "id": s.id,
                "title": s.title,
                "items": [
                    {
                        "id": i.id,
                        "type": i.type,
                        "text": i.text,
                        "help": i.help,
                        "options": [
                            {"value": o.value, "label": o.label, "score": o.score}
                            for o in i.options
                        ],
                        "min": i.min,
                        "max": i.max,
                        "show_if": i.show_if,
                    }
                    for i in s.items
                ],
            }
            for s in inst.sections
        ]
    return out


def _score_out(session: Session) -> list[dict]:
    return [
        {
            "id": r.score.score_id,
            "value": r.score.value,
            "answered": r.score.answered,
            "declined": r.score.declined,
            "missing": r.score.missing,
            "band": r.band["label"]["en"] if r.band else None,
        }
        for r in queries.score_rows(session)
    ]


def _session_out(session: Session, *, answers: dict | None = None) -> dict:
    out = {
        "id": session.pk,
        "person": session.person_id,
        "instrument": session.instrument_id,
        "version": session.instrument_version,
        "status": session.status,
        "mode": session.mode,
        "language": session.language,
        "interpreter_used": session.interpreter_used,
        "interpreter": interpreter_out(session),
        "conducted_on": session.conducted_on,
        "current_section": session.current_section,
        "completed_at": session.completed_at,
        "previous": session.previous_id,
        "scores": _score_out(session),
    }
    if answers is not None:
        out["answers"] = [
            {"item": k, "value": None if v.declined else v.value, "declined": v.declined}
            for k, v in answers.items()
        ]
    return out


def _need_out(n) -> dict:
    return {
        "id": n.pk,
        "category": n.category,
        "urgency": n.urgency,
        "status": n.status,
        "source_session": n.source_session_id,
        "source_item": n.source_item,
        "added_by_staff": n.added_by_staff,
        "created_at": n.created_at,
    }


def _writer(session_or_person, actor) -> None:
    person = getattr(session_or_person, "person", session_or_person)
    if not actions.can_write(person, actor):
        # A partner may read what consent allows but not change it (they know it exists).
        raise read_only()


# --- instruments ---------------------------------------------------------------------------------


@router.get(
    "/instruments",
    response=responses(list[InstrumentOut]),
    operation_id="assessments_instruments",
)
def list_instruments(request):
    """The latest version of every instrument offered for new sessions here."""
    return [_instrument_out(i, full=False) for i in available_instruments()]


def _instrument_or_404(instrument_id: str, version: int | None) -> Instrument:
    try:
        return get_instrument(instrument_id, version)
    except KeyError:
        raise CodedError(CommonErrorCode.NOT_FOUND, "No such instrument.", status=404) from None


@router.get(
    "/instruments/{instrument_id}",
    response=responses(InstrumentOut),
    operation_id="assessments_instrument",
)
def read_instrument(request, instrument_id: str, version: int | None = None):
    """One instrument (default: latest version), with its sections and items."""
    return _instrument_out(_instrument_or_404(instrument_id, version), full=True)


@router.get(
    "/instruments/{instrument_id}/fhir",
    response=responses(dict),
    operation_id="assessments_instrument_fhir",
)
def instrument_fhir(request, instrument_id: str, version: int | None = None):
    """The instrument as a FHIR R4 ``Questionnaire``."""
    return fhir.questionnaire(_instrument_or_404(instrument_id, version))


# --- sessions ------------------------------------------------------------------------------------


@router.get(
    "/persons/{uuid:person_id}/sessions",
    response=responses(list[SessionOut], 410),
    operation_id="assessments_person_sessions",
)
def list_sessions(request, person_id: uuid.UUID):
    access = get_access(request.actor, person_id)
    sessions = queries.sessions_of(access)
    record(
        "assessment.list",
        category="assessments",
        actor=request.actor,
        person=access.person,
        categories=["assessments"],
        detail={"shown": len(sessions), **queries.audit_detail(access, ["assessments"])},
    )
    return [_session_out(s) for s in sessions]


@router.post(
    "/persons/{uuid:person_id}/sessions",
    response=responses(SessionOut, 403, 409, 410, ok_status=201),
    operation_id="assessments_start",
)
def start_session(request, person_id: uuid.UUID, payload: StartIn):
    access = get_access(request.actor, person_id)
    _writer(access.person, request.actor)
    session = actions.start_session(
        access.person,
        actor=request.actor,
        instrument_id=payload.instrument,
        mode=payload.mode,
        language=payload.language,
        interpreter_used=payload.interpreter_used,
        conducted_on=payload.conducted_on,
        interpreter=payload.interpreter.answer() if payload.interpreter else None,
    )
    return Status(201, _session_out(session))


@router.get(
    "/sessions/{uuid:session_id}",
    response=responses(SessionOut, 410),
    operation_id="assessments_session",
)
def read_session(request, session_id: uuid.UUID):
    """A session with the answers this reader may see (free text included), audited."""
    access, session = queries.get_session(request.actor, session_id)
    readable = queries.readable_items(access, session.instrument)
    answers = queries.stored_answers(session, readable=readable)
    queries.audit_session_view(request.actor, access, session, what="view")
    return _session_out(session, answers=answers)


@router.post(
    "/sessions/{uuid:session_id}/answers",
    response=responses(SubmitOut, 403, 409, 410),
    operation_id="assessments_answers",
)
def submit_answers(request, session_id: uuid.UUID, payload: AnswersIn):
    """Save some or all answers; ``complete: true`` then finishes (scores and needs)."""
    _access, session = queries.get_session(request.actor, session_id)
    _writer(session, request.actor)
    seen: set[str] = set()
    changes: dict[str, Any] = {}
    for a in payload.answers:
        if a.item in seen:
            raise CodedError(Code.DUPLICATE_ITEM, f"'{a.item}' is answered twice.")
        seen.add(a.item)
        if a.declined and a.value is not None:
            raise CodedError(
                Code.DECLINED_WITH_VALUE, f"'{a.item}' has a value and is declined; send one."
            )
        changes[a.item] = scoring.DECLINED if a.declined else a.value
    # A refusal (``AnswersInvalid`` lists each item's error) is a coded error: see api/errors.py.
    result = actions.save_answers(session, actor=request.actor, answers=changes)
    created = []
    if payload.complete:
        done = actions.complete_session(session, actor=request.actor)
        created = [_need_out(n) for n in done.needs_created]
    session.refresh_from_db()
    return {
        "session": _session_out(session),
        "saved": result.saved,
        "cleared": result.cleared,
        "needs_created": created,
        "safety_flags": [{"id": f.pk, "kind": f.kind, "item": f.source_item} for f in result.flags],
    }


@router.post(
    "/sessions/{uuid:session_id}/complete",
    response=responses(SubmitOut, 403, 409, 410),
    operation_id="assessments_complete",
)
def complete_session(request, session_id: uuid.UUID):
    _access, session = queries.get_session(request.actor, session_id)
    _writer(session, request.actor)
    done = actions.complete_session(session, actor=request.actor)
    session.refresh_from_db()
    return {
        "session": _session_out(session),
        "saved": [],
        "cleared": [],
        "needs_created": [_need_out(n) for n in done.needs_created],
    }


@router.get(
    "/sessions/{uuid:session_id}/scores",
    response=responses(list[ScoreOut], 410),
    operation_id="assessments_scores",
)
def read_scores(request, session_id: uuid.UUID):
    access, session = queries.get_session(request.actor, session_id)
    readable = queries.readable_items(access, session.instrument)
    rows = [
        s
        for s, r in zip(_score_out(session), queries.score_rows(session), strict=True)
        if access.is_owner or set(r.rule.items) <= readable
    ]
    queries.audit_session_view(request.actor, access, session, what="scores")
    return rows


@router.get(
    "/sessions/{uuid:session_id}/fhir",
    response=responses(dict, 410),
    operation_id="assessments_session_fhir",
)
def session_fhir(request, session_id: uuid.UUID):
    """The session as a FHIR R4 ``Bundle``: QuestionnaireResponse + score Observations."""
    access, session = queries.get_session(request.actor, session_id)
    readable = queries.readable_items(access, session.instrument)
    answers = queries.stored_answers(session, readable=readable)
    bundle = fhir.session_bundle(session, answers, readable=readable)
    queries.audit_session_view(request.actor, access, session, what="export")
    return bundle


# --- needs ---------------------------------------------------------------------------------------


@router.get(
    "/persons/{uuid:person_id}/needs",
    response=responses(list[NeedOut], 410),
    operation_id="assessments_needs",
)
def list_needs(request, person_id: uuid.UUID, active: bool = False):
    """The person's needs this reader may see; ``active=true`` for open and being addressed."""
    access = get_access(request.actor, person_id)
    rows = queries.needs_of(request.actor, access)
    needs = [r.need for r in rows if not active or r.need.is_active]
    return [_need_out(n) for n in needs]
