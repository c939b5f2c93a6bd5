"""Every write in assessments: sessions, answers, completion (scores + needs), and needs by hand.

Only casework staff of the person's owning agency write here; partners read what consent allows.
Each action runs in one transaction and writes its own audit event (never with answer values).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.accounts.actor import Actor
from wayfinder.assessments import scoring
from wayfinder.assessments.errors import AssessmentErrorCode as Code
from wayfinder.assessments.instruments import (
    Instrument,
    available_instruments,
)
from wayfinder.assessments.models import (
    ACTIVE_NEED_STATUSES,
    ANSWER_TEXT_PURPOSE,
    Answer,
    InterpreterUsed,
    Need,
    NeedStatus,
    SafetyFlag,
    Score,
    Session,
    SessionMode,
    SessionStatus,
)
from wayfinder.assessments.tell_once import record_changes, record_offers
from wayfinder.audit.events import record
from wayfinder.core.errors import CodedError
from wayfinder.core.interpretation import Interpretation, InterpreterAnswer
from wayfinder.core.service_categories import URGENCY_RANK, ServiceCategory, Urgency
from wayfinder.directory.interpreters import interpreter_detail, resolve_interpreter
from wayfinder.people.actions import update_person
from wayfinder.people.models import Person
from wayfinder.people.sealing import seal

TEXT_PURPOSE = ANSWER_TEXT_PURPOSE
NOTE_PURPOSE = "need_note"
RESPONSE_PURPOSE = "safety_response"
EARLIEST_DATE = date(2000, 1, 1)


class AnswersInvalid(CodedError):
    """Some answers were not valid; nothing was saved. ``errors``: {item id: AnswerError}.

    The API lists them as ``errors: [{"field": "answers.<item>", "message", "type"}]``.
    """

    def __init__(self, errors: dict[str, scoring.AnswerError]):
        listed = [
            {"field": f"answers.{item}", "message": err.message, "type": err.code}
            for item, err in errors.items()
        ]
        super().__init__(Code.INVALID_ANSWERS, _("Some answers need another look."), errors=listed)
        self.errors = errors


class SessionClosed(CodedError):
    def __init__(self):
        super().__init__(Code.SESSION_CLOSED, _("This assessment is already finished."), status=409)


def can_write(person: Person, actor: Actor) -> bool:
    """Casework staff of the owning agency may assess and record needs."""
    return (
        actor.agency is not None
        and actor.is_casework
        and person.owner_agency_id == actor.agency.pk
        and not person.is_forgotten
    )


def _check_writer(person: Person, actor: Actor) -> None:
    if not can_write(person, actor):
        raise PermissionDenied


def is_person_actor(actor: Actor) -> bool:
    """The person themself, in the survivor portal (``wayfinder.portal``): no user, no agency."""
    return actor.via == "portal" and actor.agency is None and not actor.user.is_authenticated


def _check_session_writer(session: Session, actor: Actor) -> None:
    """Staff who may assess; or the person, in a session their navigator opened for them to
    complete themself (mode "self"; the portal checks it is theirs)."""
    if session.mode == SessionMode.SELF and is_person_actor(actor):
        return
    _check_writer(session.person, actor)


def _user(actor: Actor):
    return actor.user if actor.user.is_authenticated else None


def _categories(instrument: Instrument, item_ids) -> list[str]:
    extra = {instrument.item_category(i) for i in item_ids if i in instrument.items_by_id}
    return sorted({"assessments"} | {c for c in extra if c})


# --- sessions ------------------------------------------------------------------------------------


@transaction.atomic
def start_session(
    person: Person,
    *,
    actor: Actor,
    instrument_id: str,
    mode: str,
    language: str,
    interpreter_used: str = "",
    conducted_on: date | None = None,
    interpreter: InterpreterAnswer | None = None,
) -> Session:
    """Begin (the latest version of) an instrument with the person; links the previous sitting.

    ``interpreter``: who interpreted (``directory.interpreters``); when given, it sets
    ``interpreter_used`` (the yes/no summary kept for older readers).
    """
    _check_writer(person, actor)
    offered = {i.id: i for i in available_instruments()}
    if instrument_id not in offered:
        raise CodedError(Code.UNKNOWN_INSTRUMENT, _("This assessment is not offered here."))
    instrument = offered[instrument_id]
    if language not in instrument.languages:
        raise CodedError(
            Code.UNKNOWN_LANGUAGE, _("This assessment is not available in that language.")
        )
    if mode not in SessionMode.values:
        raise CodedError(Code.INVALID_MODE, _("Choose how the assessment is done."))
    interpreter_fields = resolve_interpreter(interpreter)
    if interpreter_fields["interpretation"]:
        interpreter_used = (
            InterpreterUsed.YES
            if interpreter_fields["interpretation"] == Interpretation.INTERPRETED
            else InterpreterUsed.NO
        )
    if interpreter_used not in InterpreterUsed.values:
        raise CodedError(Code.INVALID_INTERPRETER, _("Say whether an interpreter is used."))
    today = timezone.localdate()
    conducted_on = conducted_on or today
    if conducted_on > today or conducted_on < EARLIEST_DATE:
        raise CodedError(Code.INVALID_DATE, _("The date cannot be in the future or before 2000."))
    previous = (
        Session.objects.filter(
            person=person, instrument_id=instrument_id, status=SessionStatus.COMPLETED
        )
        .order_by("-conducted_on", "-completed_at")
        .first()
    )
    session = Session.objects.create(
        person=person,
        agency=actor.agency,
        started_by=actor.user,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        kind=instrument.kind,
        mode=mode,
        language=language,
        interpreter_used=interpreter_used,
        conducted_on=conducted_on,
        previous=previous,
        **interpreter_fields,
    )
    record(
        "assessment.start",
        category="assessments",
        actor=actor,
        obj=session,
        person=person,
        categories=["assessments"],
        detail={
            "instrument": instrument.key,
            "mode": mode,
            "language": language,
            "reassessment": previous is not None,
            **interpreter_detail(session),
        },
    )
    return session


@dataclass
class SaveResult:
    saved: list[str] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)
    flags: list[SafetyFlag] = field(default_factory=list)  # raised by these answers


@transaction.atomic
def save_answers(
    session: Session,
    *,
    actor: Actor,
    answers: dict[str, Any],
    by_person: bool = False,
    current_section: int | None = None,
) -> SaveResult:
    """Save some answers (partial is fine). Values: a raw answer, ``scoring.DECLINED``, or None to
    clear. All are checked first; if any is invalid, nothing is saved (``AnswersInvalid``)."""
    session = Session.objects.select_for_update().select_related("person").get(pk=session.pk)
    _check_session_writer(session, actor)
    if not session.is_open:
        raise SessionClosed
    instrument = session.instrument
    errors: dict[str, scoring.AnswerError] = {}
    cleaned: dict[str, Any] = {}
    for item_id, raw in answers.items():
        if item_id not in instrument.items_by_id:
            errors[item_id] = scoring.AnswerError("unknown_item", _("There is no such question."))
            continue
        if raw is scoring.DECLINED:
            cleaned[item_id] = scoring.DECLINED
            continue
        try:
            cleaned[item_id] = scoring.clean_value(instrument.item(item_id), raw)
        except scoring.AnswerError as exc:
            errors[item_id] = exc
    if errors:
        raise AnswersInvalid(errors)

    existing = {a.item_id: a for a in session.answers.filter(item_id__in=list(cleaned))}
    result = SaveResult()
    for item_id, value in cleaned.items():
        row = existing.get(item_id)
        if value is None:
            if row is not None:
                row.delete()
                result.cleared.append(item_id)
            continue
        row = row or Answer(session=session, item_id=item_id)
        row.declined = value is scoring.DECLINED
        row.by_person = by_person
        row.value, row.text_ct = None, None
        if row.declined:
            result.declined.append(item_id)
        elif instrument.item(item_id).is_free_text:
            row.text_ct = seal(session.person, {"text": value}, TEXT_PURPOSE)
        else:
            row.value = value
        row.save()
        result.saved.append(item_id)
    if current_section is not None and 0 <= current_section < len(instrument.sections):
        session.current_section = current_section
        session.save(update_fields=["current_section", "updated_at"])
    else:
        session.save(update_fields=["updated_at"])
    record(
        "assessment.answer",
        category="assessments",
        actor=actor,
        obj=session,
        person=session.person,
        categories=_categories(instrument, cleaned),
        detail={
            "items": sorted(result.saved),
            "cleared": sorted(result.cleared),
            "declined": len(result.declined),
            "by_person": by_person,
        },
    )
    saved = {i: cleaned[i] for i in result.saved}
    result.flags = _raise_flags(session, instrument, saved, actor=actor, by_person=by_person)
    return result


def _raise_flags(
    session: Session, instrument: Instrument, answers: dict[str, Any], *, actor, by_person: bool
) -> list[SafetyFlag]:
    """A safety flag for each trigger these answers fire, once per session and item (an answer
    changed back does not take the disclosure back). Each raise is audited without the answer."""
    fired = scoring.fired_triggers(instrument, answers)
    if not fired:
        return []
    already = set(
        SafetyFlag.objects.filter(
            source_session=session, source_item__in=[f.item_id for f in fired]
        ).values_list("source_item", flat=True)
    )
    raised = []
    for f in fired:
        if f.item_id in already:
            continue
        flag = SafetyFlag.objects.create(
            person=session.person,
            kind=f.kind,
            source_session=session,
            source_item=f.item_id,
            by_person=by_person,
            raised_at=timezone.now(),
            raised_by=_user(actor),
        )
        record(
            "safety_flag.raise",
            category="assessments",
            actor=actor,
            obj=flag,
            person=session.person,
            categories=flag.data_categories,
            detail={"session": str(session.pk), "by_person": by_person},
        )
        raised.append(flag)
    return raised


def can_respond(flag: SafetyFlag, actor: Actor) -> bool:
    """Casework staff of the person's owning agency record the response."""
    return can_write(flag.person, actor)


@transaction.atomic
def respond_to_flag(flag: SafetyFlag, *, actor: Actor, note: str) -> SafetyFlag:
    """Record what staff did about a safety flag (one action; the note is sealed, never audited).

    The banner on the person's page and the dashboards goes once this is done."""
    flag = SafetyFlag.objects.select_for_update().select_related("person").get(pk=flag.pk)
    if not can_respond(flag, actor):
        raise PermissionDenied
    if not flag.is_open:
        raise CodedError(
            Code.FLAG_ANSWERED, _("A response to this flag is already recorded."), status=409
        )
    note = (note or "").strip()
    if not note:
        raise CodedError(
            Code.RESPONSE_REQUIRED, _("Say what was done, in a few words."), field="note"
        )
    if len(note) > 2000:
        raise CodedError(Code.NOTE_TOO_LONG, _("Keep the note to 2000 characters."), field="note")
    flag.responded_at = timezone.now()
    flag.responded_by = actor.user
    flag.response_ct = seal(flag.person, {"text": note}, RESPONSE_PURPOSE)
    flag.save(update_fields=["responded_at", "responded_by", "response_ct", "updated_at"])
    record(
        "safety_flag.respond",
        category="assessments",
        actor=actor,
        obj=flag,
        person=flag.person,
        categories=flag.data_categories,
        detail={"open_minutes": int((flag.responded_at - flag.raised_at).total_seconds() // 60)},
    )
    return flag


def coded_answers(session: Session) -> dict[str, Any]:
    """{item id: value or DECLINED} for scoring; free text counts as answered but stays sealed."""
    out: dict[str, Any] = {}
    for a in session.answers.all():
        if a.declined:
            out[a.item_id] = scoring.DECLINED
        elif a.text_ct is not None:
            out[a.item_id] = "(sealed)"
        else:
            out[a.item_id] = a.value
    return out


@dataclass
class Completion:
    session: Session
    scores: list[scoring.ScoreResult]
    needs_created: list[Need]
    needs_raised: list[Need]


@transaction.atomic
def complete_session(session: Session, *, actor: Actor) -> Completion:
    """Finish: drop answers to questions no longer shown, store scores, and turn rules into needs.

    A derived need whose category is already open (or being addressed) for the person is not
    duplicated; its urgency is raised if the new one is more urgent.
    """
    session = Session.objects.select_for_update().select_related("person").get(pk=session.pk)
    _check_session_writer(session, actor)
    if not session.is_open:
        raise SessionClosed
    instrument = session.instrument
    answers = coded_answers(session)
    shown = scoring.visible_items(instrument, answers)
    hidden = [i for i in answers if i not in shown]
    if hidden:
        session.answers.filter(item_id__in=hidden).delete()
        answers = {k: v for k, v in answers.items() if k in shown}

    results = scoring.compute_scores(instrument, answers)
    Score.objects.bulk_create(
        [
            Score(
                session=session,
                score_id=r.id,
                value=r.value,
                answered=r.answered,
                declined=r.declined,
                missing=r.missing,
                not_scored=r.not_scored,
            )
            for r in results
        ]
    )

    person = session.person
    active = {
        n.category: n
        for n in Need.objects.select_for_update()
        .filter(person=person, status__in=ACTIVE_NEED_STATUSES)
        .order_by("created_at")
    }
    created, raised = [], []
    for derived in scoring.derive_needs(instrument, answers):
        current = active.get(derived.category)
        if current is None:
            need = Need.objects.create(
                person=person,
                category=derived.category,
                urgency=derived.urgency,
                source_session=session,
                source_item=derived.item_id,
                created_by=_user(actor),
            )
            active[derived.category] = need
            created.append(need)
        elif URGENCY_RANK[derived.urgency] < URGENCY_RANK[current.urgency]:
            current.urgency = derived.urgency
            current.save(update_fields=["urgency", "updated_at"])
            raised.append(current)

    session.status = SessionStatus.COMPLETED
    session.completed_at = timezone.now()
    session.completed_by = _user(actor)
    session.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])
    # The person's row is locked above (select_related + FOR UPDATE), so two sittings of one
    # person completing at once take turns here and the second sees the first.
    Session.objects.filter(
        person_id=session.person_id, instrument_id=session.instrument_id
    ).mark_latest()
    declined = sum(1 for v in answers.values() if v is scoring.DECLINED)
    record(
        "assessment.complete",
        category="assessments",
        actor=actor,
        obj=session,
        person=person,
        categories=[*_categories(instrument, answers), "needs"],
        detail={
            "instrument": instrument.key,
            "answered": len(answers) - declined,
            "declined": declined,
            "hidden_dropped": len(hidden),
            "scores": [r.id for r in results],
            "needs_created": [str(n.pk) for n in created],
            "needs_raised": [str(n.pk) for n in raised],
        },
    )
    return Completion(session, results, created, raised)


@transaction.atomic
def stop_session(session: Session, *, actor: Actor) -> Session:
    """End an unfinished session without scores or needs (e.g. the person wants to stop)."""
    session = Session.objects.select_for_update().select_related("person").get(pk=session.pk)
    _check_session_writer(session, actor)
    if not session.is_open:
        raise SessionClosed
    session.status = SessionStatus.STOPPED
    session.completed_at = timezone.now()
    session.completed_by = _user(actor)
    session.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])
    record(
        "assessment.stop",
        category="assessments",
        actor=actor,
        obj=session,
        person=session.person,
        categories=["assessments"],
    )
    return session


@transaction.atomic
def update_record_from_answers(session: Session, item_ids, *, actor: Actor) -> list[str]:
    """Tell it once: put the chosen answers of ``session`` on the person's record.

    The offers are worked out again here from what is stored (nothing posted is trusted); those
    whose item is in ``item_ids`` go through ``people.actions.update_person`` (its own
    ``person.update`` event names the fields), and one ``assessment.record_update`` event links
    the change to the session: item ids and field names, never values. Returns the fields changed.
    """
    _check_writer(session.person, actor)
    chosen = [o for o in record_offers(session) if o.item_id in set(item_ids)]
    if not chosen:
        return []
    identity, plain = record_changes(session.person, chosen)
    update_person(session.person, actor=actor, identity=identity, **plain)
    fields = sorted(o.field for o in chosen)
    record(
        "assessment.record_update",
        category="assessments",
        actor=actor,
        obj=session,
        person=session.person,
        categories=sorted({"assessments", *(_record_category(f) for f in fields)}),
        detail={"items": sorted(o.item_id for o in chosen), "fields": fields},
    )
    return fields


def _record_category(field: str) -> str:
    return "contact" if field == "safe_contact_method" else "demographics"


def record_handover(session: Session, *, actor: Actor, event: str) -> None:
    """Audit a hand-over of the device to the person ("start"), its end ("end"), or a failed
    attempt to return to staff mode ("failed")."""
    if event not in {"start", "end", "failed", "signed_out"}:
        raise ValueError(event)
    with transaction.atomic():
        record(
            f"assessment.handover_{event}",
            category="assessments",
            actor=actor,
            obj=session,
            person=session.person,
            categories=["assessments"],
        )


def change_language(session: Session, *, actor: Actor, language: str) -> Session:
    """The person chose another language on a hand-over page: the questions show in it from now
    on, and the session records it (one of the instrument's languages)."""
    if language not in session.instrument.languages:
        raise CodedError(
            Code.UNKNOWN_LANGUAGE, _("This assessment is not available in that language.")
        )
    if language == session.language:
        return session
    with transaction.atomic():
        before = session.language
        session.language = language
        session.save(update_fields=["language", "updated_at"])
        record(
            "assessment.language_changed",
            category="assessments",
            actor=actor,
            obj=session,
            person=session.person,
            categories=["assessments"],
            detail={"from": before, "to": language},
        )
    return session


# --- needs by hand -------------------------------------------------------------------------------


def _check_need_fields(category: str | None, urgency: str | None, status: str | None) -> None:
    if category is not None and category not in ServiceCategory.values:
        raise CodedError(Code.INVALID_CATEGORY, _("Choose a service."))
    if urgency is not None and urgency not in Urgency.values:
        raise CodedError(Code.INVALID_URGENCY, _("Choose an urgency."))
    if status is not None and status not in NeedStatus.values:
        raise CodedError(Code.INVALID_STATUS, _("Choose a status."))


@transaction.atomic
def add_need(person: Person, *, actor: Actor, category: str, urgency: str, note: str = "") -> Need:
    """Record a need by hand ("added by staff")."""
    _check_writer(person, actor)
    _check_need_fields(category, urgency, None)
    note = (note or "").strip()
    if len(note) > 2000:
        raise CodedError(Code.NOTE_TOO_LONG, _("Keep the note to 2000 characters."))
    need = Need.objects.create(
        person=person,
        category=category,
        urgency=urgency,
        created_by=actor.user,
        note_ct=seal(person, {"text": note}, NOTE_PURPOSE) if note else None,
    )
    record(
        "need.create",
        category="needs",
        actor=actor,
        obj=need,
        person=person,
        categories=need.data_categories,
        detail={"category": category, "urgency": urgency, "note": bool(note)},
    )
    return need


_UNSET: Any = object()


@transaction.atomic
def update_need(
    need: Need,
    *,
    actor: Actor,
    category: str | None = None,
    urgency: str | None = None,
    status: str | None = None,
    note: str | None = _UNSET,
) -> Need:
    """Edit or close a need. Closing (met, declined) stamps ``closed_at``; reopening clears it."""
    need = Need.objects.select_for_update().select_related("person").get(pk=need.pk)
    _check_writer(need.person, actor)
    _check_need_fields(category, urgency, status)
    changed = []
    for name, value in (("category", category), ("urgency", urgency), ("status", status)):
        if value is not None and getattr(need, name) != value:
            setattr(need, name, value)
            changed.append(name)
    if note is not _UNSET:
        note = (note or "").strip()
        if len(note) > 2000:
            raise CodedError(Code.NOTE_TOO_LONG, _("Keep the note to 2000 characters."))
        need.note_ct = seal(need.person, {"text": note}, NOTE_PURPOSE) if note else None
        changed.append("note")
    if "status" in changed:
        need.closed_at = None if need.is_active else timezone.now()
    need.save()
    record(
        "need.update",
        category="needs",
        actor=actor,
        obj=need,
        person=need.person,
        categories=need.data_categories,
        detail={
            "fields": changed,
            "status": need.status,
            "urgency": need.urgency,
            "category": need.category,
        },
    )
    return need
