"""Reads of sessions, answers, scores and needs, all behind the gate and audited where personal.

Partners (basis "consent") see sessions and scores only with the ``assessments`` category and
needs only with ``needs``; answers in a health, substance-use, legal or immigration section, and
needs for such services, also need that category.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from wayfinder.access.gate import Access, get_access, persons_for, persons_for_list
from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import Role
from wayfinder.assessments import scoring
from wayfinder.assessments.actions import NOTE_PURPOSE, RESPONSE_PURPOSE, TEXT_PURPOSE
from wayfinder.assessments.instruments import Instrument, available_instruments, get_instrument
from wayfinder.assessments.models import (
    ACTIVE_NEED_STATUSES,
    Need,
    NeedStatus,
    SafetyFlag,
    Score,
    Session,
    SessionStatus,
    need_data_categories,
    need_priority,
)
from wayfinder.audit.events import record
from wayfinder.core.interpretation import Interpretation
from wayfinder.core.languages import UI_TO_ISO
from wayfinder.people.models import CareTeamMember
from wayfinder.people.sealing import unseal_texts


def audit_detail(access: Access, categories) -> dict:
    return {} if access.is_owner else {"consents": access.consent_ids_for(categories)}


def require(access: Access, category: str) -> None:
    if not access.can(category):
        raise Http404


# --- sessions ----------------------------------------------------------------------------------


def get_session(actor: Actor, session_id) -> tuple[Access, Session]:
    """A session through the gate on its person (404 for unknown and forbidden alike)."""
    try:
        person_id = (
            Session.objects.filter(pk=session_id).values_list("person_id", flat=True).first()
        )
    except (ValidationError, ValueError):
        raise Http404 from None
    if person_id is None:
        raise Http404
    access = get_access(actor, person_id)
    require(access, "assessments")
    session = Session.objects.select_related("person", "started_by", "agency").get(pk=session_id)
    return access, session


def readable_items(access: Access, instrument: Instrument) -> set[str]:
    """Items this reader may see: every item for the owner; for partners, consented sections."""
    return {
        i.id
        for i in instrument.all_items()
        if not (cat := instrument.item_category(i.id)) or access.can(cat)
    }


def sessions_of(access: Access) -> list[Session]:
    """The person's sessions, newest first, with their scores (no audit: callers audit)."""
    require(access, "assessments")
    return list(
        Session.objects.filter(person=access.person)
        .select_related("started_by")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("score_id")))
        .order_by("-conducted_on", "-created_at")
    )


@dataclass
class StoredAnswer:
    value: Any = None  # coded value, or the unsealed text
    declined: bool = False
    by_person: bool = False


def stored_answers(
    session: Session, *, readable: set[str] | None = None, with_text: bool = True
) -> dict[str, StoredAnswer]:
    """{item id: StoredAnswer}: free text unsealed only when asked for and readable."""
    rows = [a for a in session.answers.all() if readable is None or a.item_id in readable]
    texts = (
        unseal_texts(
            session.person,
            {a.item_id: a.text_ct for a in rows if a.text_ct is not None},
            TEXT_PURPOSE,
        )
        if with_text
        else {}
    )
    out = {}
    for a in rows:
        if a.declined:
            out[a.item_id] = StoredAnswer(None, True, a.by_person)
        elif a.text_ct is not None:
            out[a.item_id] = StoredAnswer(texts.get(a.item_id), False, a.by_person)
        else:
            out[a.item_id] = StoredAnswer(a.value, False, a.by_person)
    return out


def as_scoring_answers(stored: dict[str, StoredAnswer]) -> dict[str, Any]:
    return {
        k: (scoring.DECLINED if v.declined else v.value)
        for k, v in stored.items()
        if v.declined or v.value is not None
    }


def audit_session_view(actor: Actor, access: Access, session: Session, *, what: str) -> None:
    instrument = session.instrument
    categories = sorted(
        {"assessments"}
        | {c for i in readable_items(access, instrument) if (c := instrument.item_category(i))}
    )
    record(
        f"assessment.{what}",
        category="assessments",
        actor=actor,
        obj=session,
        person=session.person,
        categories=categories,
        detail=audit_detail(access, categories),
    )


@dataclass
class ScoreRow:
    rule: Any
    score: Score

    @property
    def band(self):
        if self.score.value is None:
            return None
        return next((b for b in self.rule.bands if self.score.value <= b["max"] + 1e-9), None)


def score_rows(session: Session) -> list[ScoreRow]:
    instrument = session.instrument
    rows = []
    for score in session.scores.all():
        rule = instrument.score_rule(score.score_id)
        if rule is not None:
            rows.append(ScoreRow(rule, score))
    return rows


# --- needs -------------------------------------------------------------------------------------


def can_see_need(access: Access, need: Need) -> bool:
    return all(access.can(c) for c in need.data_categories)


def _sort_needs(needs: list[Need]) -> list[Need]:
    status_order: dict[str, int] = {
        NeedStatus.OPEN: 0,
        NeedStatus.IN_PROGRESS: 1,
        NeedStatus.MET: 2,
        NeedStatus.DECLINED: 3,
    }
    return sorted(needs, key=lambda n: (status_order[n.status] > 1, *need_priority(n)))


def open_needs(access: Access, *, include_in_progress: bool = True) -> list[Need]:
    """The person's needs that are not yet met or declined (and that this reader may see),
    most urgent first. For matching and referrals; the caller audits its own read."""
    if not access.can("needs"):
        return []
    statuses = ACTIVE_NEED_STATUSES if include_in_progress else (NeedStatus.OPEN,)
    needs = Need.objects.filter(person=access.person, status__in=statuses).select_related(
        "source_session"
    )
    return _sort_needs([n for n in needs if can_see_need(access, n)])


def open_need_counts(access: Access) -> tuple[int, int]:
    """(open, urgent): how many of ``open_needs`` there are, and how many of them are urgent
    (immediate or high), counted in the database."""
    if not access.can("needs"):
        return 0, 0
    rows = (
        Need.objects.filter(person=access.person, status__in=ACTIVE_NEED_STATUSES)
        .values_list("category", "urgency")
        .annotate(n=Count("id"))
        .order_by()
    )
    shown = [
        (urgency, n)
        for category, urgency, n in rows
        if all(access.can(c) for c in need_data_categories(category))
    ]
    return sum(n for _, n in shown), sum(n for u, n in shown if u in ("immediate", "high"))


@dataclass
class NeedRow:
    need: Need
    note: str
    source_label: str  # instrument title + item text, or "" when added by staff
    source_date: date | None


def needs_of(actor: Actor, access: Access, *, language: str = "en") -> list[NeedRow]:
    """Every need of the person this reader may see, with notes unsealed (audited)."""
    require(access, "needs")
    needs = [
        n
        for n in Need.objects.filter(person=access.person).select_related("source_session")
        if can_see_need(access, n)
    ]
    notes = unseal_texts(
        access.person, {n.pk: n.note_ct for n in needs if n.note_ct is not None}, NOTE_PURPOSE
    )
    rows = []
    for n in _sort_needs(needs):
        note = notes.get(n.pk, "")
        label, when = "", None
        if n.source_session is not None:
            inst = n.source_session.instrument
            when = n.source_session.conducted_on
            label = inst.tr(inst.title, language)
            if n.source_item in inst.items_by_id:
                label += " · " + inst.tr(inst.item(n.source_item).text, language)
        rows.append(NeedRow(n, note, label, when))
    categories = sorted({c for n in needs for c in n.data_categories} | {"needs"})
    record(
        "need.list",
        category="needs",
        actor=actor,
        person=access.person,
        categories=categories,
        detail={"shown": len(rows), **audit_detail(access, categories)},
    )
    return rows


def get_need(actor: Actor, need_id) -> tuple[Access, Need]:
    try:
        person_id = Need.objects.filter(pk=need_id).values_list("person_id", flat=True).first()
    except (ValidationError, ValueError):
        raise Http404 from None
    if person_id is None:
        raise Http404
    access = get_access(actor, person_id)
    require(access, "needs")
    need = Need.objects.select_related("person", "source_session").get(pk=need_id)
    if not can_see_need(access, need):
        raise Http404
    return access, need


def need_note(need: Need) -> str:
    if need.note_ct is None:
        return ""
    return unseal_texts(need.person, {"note": need.note_ct}, NOTE_PURPOSE).get("note", "")


# --- trajectory --------------------------------------------------------------------------------


@dataclass
class Point:
    session: Session
    when: date
    value: float | None
    declined: int
    answered: int


@dataclass
class Series:
    instrument: Instrument  # the latest version, for labels
    rule: Any  # ScoreRule
    points: list[Point]
    item_rows: list[dict] = field(default_factory=list)  # per item: label, values per session
    has_reversed: bool = False

    @property
    def valued(self) -> list[Point]:
        return [p for p in self.points if p.value is not None]


def trajectory(actor: Actor, access: Access, *, language: str = "en") -> list[Series]:
    """Charted scores across completed sessions, oldest first, with per-item values (audited)."""
    require(access, "assessments")
    sessions = list(
        Session.objects.filter(person=access.person, status=SessionStatus.COMPLETED)
        .prefetch_related("scores", "answers")
        .order_by("conducted_on", "completed_at")
    )
    by_instrument: dict[str, list[Session]] = {}
    for s in sessions:
        by_instrument.setdefault(s.instrument_id, []).append(s)
    series: list[Series] = []
    for inst_id, group in by_instrument.items():
        latest = get_instrument(inst_id)
        readable = readable_items(access, latest)
        for rule in charted_rules(access, latest, readable):
            points = []
            for s in group:
                score = next((x for x in s.scores.all() if x.score_id == rule.id), None)
                if score is None:
                    continue
                points.append(Point(s, s.conducted_on, score.value, score.declined, score.answered))
            if not points:
                continue
            item_rows = []
            for item_id in rule.items:
                if item_id not in readable:
                    continue
                item = latest.item(item_id)
                values = []
                for p in points:
                    a = next((x for x in p.session.answers.all() if x.item_id == item_id), None)
                    cell = _display_value(p.session.instrument, item_id, a, language)
                    if item_id in rule.reverse and cell["number"] is not None:
                        # changes are read as the score reads them: less agreement is better
                        cell["number"] = item.min + item.max - cell["number"]
                    values.append(cell)
                item_rows.append({"label": latest.tr(item.text, language), "values": values})
            series.append(Series(latest, rule, points, item_rows, bool(rule.reverse)))
    if series:
        _audit_trajectory(actor, access, sessions=len(sessions))
    return series


def charted_rules(access: Access, instrument: Instrument, readable: set[str]) -> Iterator[Any]:
    """The instrument's charted scores this reader may see (``readable``: their readable items)."""
    for rule in instrument.scores:
        if not rule.chart:
            continue
        # A score built from items this reader may not see is not shown to them.
        if not set(rule.items) <= readable and not access.is_owner:
            continue
        yield rule


def _audit_trajectory(actor: Actor, access: Access, *, sessions: int) -> None:
    record(
        "assessment.trajectory",
        category="assessments",
        actor=actor,
        person=access.person,
        categories=["assessments"],
        detail={"sessions": sessions, **audit_detail(access, ["assessments"])},
    )


@dataclass
class SessionSummary:
    completed: int  # completed sessions
    paused: list[Session]  # the first ``paused`` unfinished sessions, least recently touched first
    series: list[Series]  # charted scores of the asked kinds (points only, no item rows)


def session_summary(
    actor: Actor, access: Access, *, kinds: tuple[str, ...], paused: int = 3
) -> SessionSummary:
    """For the person's page, in one query: how many sessions are completed, the paused ones,
    and the charted scores of the instruments of ``kinds`` as ``trajectory`` gives them (without
    answers). Audited as ``trajectory`` audits, when a session of ``kinds`` is completed: the
    event says how many sessions were read and is recorded if ``trajectory`` would show a chart.
    """
    require(access, "assessments")
    rows = (
        Session.objects.filter(
            person=access.person, status__in=(SessionStatus.COMPLETED, SessionStatus.IN_PROGRESS)
        )
        .order_by("conducted_on", "completed_at")
        .values_list(
            "pk",
            "status",
            "instrument_id",
            "instrument_version",
            "kind",
            "conducted_on",
            "completed_at",
            "updated_at",
            "scores__score_id",
            "scores__value",
            "scores__declined",
            "scores__answered",
        )
    )
    sessions: dict[Any, Session] = {}
    # session id -> {score id: (value, declined, answered)}
    scores: dict[Any, dict[str, tuple[float | None, int, int]]] = {}
    for row in rows:
        pk, status, inst, version, kind, on, completed_at, updated_at = row[:8]
        score_id, value, declined, answered = row[8:]
        if pk not in sessions:
            sessions[pk] = Session(
                id=pk,
                person=access.person,
                status=status,
                instrument_id=inst,
                instrument_version=version,
                kind=kind,
                conducted_on=on,
                completed_at=completed_at,
                updated_at=updated_at,
            )
            scores[pk] = {}
        if score_id is not None:
            scores[pk][score_id] = (value, declined, answered)
    done = [s for s in sessions.values() if s.status == SessionStatus.COMPLETED]
    waiting = sorted(
        (s for s in sessions.values() if s.status == SessionStatus.IN_PROGRESS),
        key=lambda s: s.updated_at,
    )
    summary = SessionSummary(len(done), waiting[:paused], [])
    if not any(s.kind in kinds for s in done):
        return summary
    by_instrument: dict[str, list[Session]] = {}
    for s in done:
        by_instrument.setdefault(s.instrument_id, []).append(s)
    charted = False  # would ``trajectory`` show any chart (of any kind)?
    for inst_id, group in by_instrument.items():
        latest = get_instrument(inst_id)
        for rule in charted_rules(access, latest, readable_items(access, latest)):
            points = [
                Point(s, s.conducted_on, *values)
                for s in group
                if (values := scores[s.pk].get(rule.id)) is not None
            ]
            if not points:
                continue
            charted = True
            if latest.kind in kinds:
                summary.series.append(Series(latest, rule, points, [], bool(rule.reverse)))
    if charted:
        _audit_trajectory(actor, access, sessions=len(done))
    return summary


def _display_value(instrument: Instrument, item_id: str, answer, language: str) -> dict:
    """{"text": shown text, "number": numeric or None, "declined": bool} for a table cell."""
    if answer is None or item_id not in instrument.items_by_id:
        return {"text": "", "number": None, "declined": False}
    if answer.declined:
        return {"text": "", "number": None, "declined": True}
    item = instrument.item(item_id)
    opt = item.option(answer.value)
    return {
        "text": instrument.tr(opt.label, language) if opt else str(answer.value),
        "number": item.numeric(answer.value) if answer.value is not None else None,
        "declined": False,
    }


# --- work lists ---------------------------------------------------------------------------------


@dataclass
class DueRow:
    person: Any
    instrument: Instrument
    last: date
    due: date


def reassessments_due(actor: Actor, *, within_days: int = 14, limit: int = 200) -> list[DueRow]:
    """People at the actor's agency whose last completed sitting of an instrument is (nearly)
    older than the instrument's reassessment interval, earliest due first.

    Read along the ``session_agency_latest`` index (agency, date, id, over the sittings marked
    ``latest``): each person's last completed sitting of each instrument, oldest first, stopping
    at ``limit`` rows, so the walk never passes a superseded sitting and does not grow with the
    agency's history. Instruments with the same interval are walked together (their due order is
    the date order); a walk per interval, merged here. Only the owning agency records sessions
    (``can_write``) and a person never changes owner, so a session's agency is its person's owner
    agency; the person is still checked (owned here, not forgotten), as ``persons_for`` does.
    """
    if actor.agency is None or not actor.is_casework:
        return []
    offered = {i.id: i for i in available_instruments() if i.reassess_after_days}
    if not offered:
        return []
    agency_id = actor.agency.pk
    persons = persons_for(actor).filter(owner_agency_id=agency_id)
    horizon = timezone.localdate() + timedelta(days=within_days)
    by_interval: dict[int, list[str]] = {}
    for inst in offered.values():
        by_interval.setdefault(inst.reassess_after_days or 0, []).append(inst.id)
    rows = []
    for days, instrument_ids in sorted(by_interval.items()):
        walk = (
            Session.objects.filter(
                agency_id=agency_id,
                latest=True,
                conducted_on__lte=horizon - timedelta(days=days),
                instrument_id__in=instrument_ids,
                person__owner_agency_id=agency_id,
                person__forgotten_at__isnull=True,
            )
            .order_by("conducted_on", "pk")
            .values_list("person_id", "instrument_id", "conducted_on")[:limit]
        )
        for person_id, instrument_id, last_on in walk:
            inst = offered[instrument_id]
            rows.append((person_id, inst, last_on, last_on + timedelta(days=days)))
    rows.sort(key=lambda r: (r[3], r[2]))
    rows = rows[:limit]
    people = {p.pk: p for p in persons.filter(pk__in=[r[0] for r in rows])} if rows else {}
    return [
        DueRow(people[pid], inst, last_on, due) for pid, inst, last_on, due in rows if pid in people
    ]


def open_sessions(actor: Actor, *, limit: int = 50) -> list[Session]:
    """Unfinished sessions at the actor's agency (paused, to resume), least recently touched
    first, of persons ``persons_for`` lets the actor open.

    The gate's scope in its two halves (``persons_for_list``), each walked on its own along the
    partial index of paused sessions (``session_agency_paused``) and cut at ``limit``: the
    agency's own open records, then the few shared with it. One filter on ``persons_for`` (an
    ``OR``) made PostgreSQL read the whole agency's persons to keep ten of its paused sessions:
    1.06 s at 10⁶ persons with 13,000 sessions left paused over the years.
    """
    if actor.agency is None or not actor.is_casework:
        return []
    scope = persons_for_list(actor)
    paused = Session.objects.filter(agency=actor.agency, status=SessionStatus.IN_PROGRESS)
    walks = [
        paused.filter(person__owner_agency_id=actor.agency.pk, person__forgotten_at__isnull=True),
        paused.filter(person__in=scope.shared),
    ]
    found = [
        s
        for walk in walks
        for s in walk.select_related("person").order_by("updated_at", "pk")[:limit]
    ]
    return sorted(found, key=lambda s: (s.updated_at, s.pk))[:limit]


# --- safety flags --------------------------------------------------------------------------------
#
# A flag says what an answer disclosed, so a reader sees it exactly when they may read that answer:
# the owning agency always; a partner only with ``assessments`` and the category of the item's
# section consented (``health`` for thoughts of self-harm, ``trafficking`` for danger now).


def can_see_flag(access: Access, flag: SafetyFlag) -> bool:
    return all(access.can(c) for c in flag.data_categories)


def open_flags(access: Access) -> list[SafetyFlag]:
    """The person's unanswered safety flags this reader may see, newest first (callers audit)."""
    if not access.can("assessments"):
        return []
    flags = SafetyFlag.objects.filter(person=access.person, responded_at__isnull=True)
    return [f for f in flags.select_related("source_session") if can_see_flag(access, f)]


def session_flags(access: Access, session: Session) -> list[SafetyFlag]:
    """Every flag a session raised that this reader may see, open ones first."""
    flags = SafetyFlag.objects.filter(source_session=session).select_related(
        "source_session", "responded_by"
    )
    return sorted(
        (f for f in flags if can_see_flag(access, f)), key=lambda f: (not f.is_open, f.raised_at)
    )


def get_flag(actor: Actor, flag_id) -> tuple[Access, SafetyFlag]:
    """A flag through the gate on its person (404 for unknown and forbidden alike)."""
    try:
        person_id = (
            SafetyFlag.objects.filter(pk=flag_id).values_list("person_id", flat=True).first()
        )
    except (ValidationError, ValueError):
        raise Http404 from None
    if person_id is None:
        raise Http404
    access = get_access(actor, person_id)
    flag = SafetyFlag.objects.select_related("person", "source_session", "responded_by").get(
        pk=flag_id
    )
    if not can_see_flag(access, flag):
        raise Http404
    return access, flag


def flag_response(flag: SafetyFlag) -> str:
    if flag.response_ct is None:
        return ""
    return unseal_texts(flag.person, {"r": flag.response_ct}, RESPONSE_PURPOSE).get("r", "")


def agency_open_flags(actor: Actor, *, limit: int = 50) -> list[SafetyFlag]:
    """Open flags for the dashboard, at the actor's own agency (owners respond to flags).

    Supervisors and agency administrators see every open flag of their agency; other casework
    staff those of people whose care team they are on, and those raised while they were signed in.
    """
    if actor.agency is None or not actor.is_casework:
        return []
    flags = SafetyFlag.objects.filter(
        responded_at__isnull=True,
        person__owner_agency_id=actor.agency.pk,
        person__forgotten_at__isnull=True,
    )
    if not (Role.SUPERVISOR in actor.roles or actor.is_agency_admin):
        on_team = Exists(
            CareTeamMember.objects.filter(
                person_id=OuterRef("person_id"), user_id=actor.user.pk, agency_id=actor.agency.pk
            )
        )
        flags = flags.filter(on_team | Q(raised_by_id=actor.user.pk))
    return list(flags.select_related("person").order_by("raised_at")[:limit])


# --- interpreters, for the reports ---------------------------------------------------------------


@dataclass
class LanguageCount:
    """Sessions in one language: with an interpreter (and how), without, declined, not asked."""

    language: str  # ISO 639-3
    total: int = 0
    interpreted: int = 0
    not_needed: int = 0
    declined: int = 0
    not_asked: int = 0  # the step did not apply, or the session predates it
    by_mode: dict[str, int] = field(default_factory=dict)  # InterpreterMode -> sessions


def interpreter_counts(
    *, start: date | None = None, end: date | None = None, agency=None
) -> list[LanguageCount]:
    """Sessions by language and by whether an interpreter was used (and by mode), for the
    sessions conducted from ``start`` to ``end`` (inclusive) by ``agency`` (None: all).

    The language is the one interpreted when an interpreter took part, else the language of the
    questions. Counts only, no person: a caller that publishes them applies its own small-cell
    suppression. Sorted by total, largest first.
    """
    qs = Session.objects.all()
    if start is not None:
        qs = qs.filter(conducted_on__gte=start)
    if end is not None:
        qs = qs.filter(conducted_on__lte=end)
    if agency is not None:
        qs = qs.filter(agency=agency)
    rows: dict[str, LanguageCount] = {}
    for language, interpretation, interp_language, mode, n in (
        qs.values_list("language", "interpretation", "interpreter_language", "interpreter_mode")
        .annotate(n=Count("id"))
        .order_by()
    ):
        code = interp_language or UI_TO_ISO.get(language, language)
        row = rows.setdefault(code, LanguageCount(language=code))
        row.total += n
        if interpretation == Interpretation.INTERPRETED:
            row.interpreted += n
            if mode:
                row.by_mode[mode] = row.by_mode.get(mode, 0) + n
        elif interpretation == Interpretation.NOT_NEEDED:
            row.not_needed += n
        elif interpretation == Interpretation.DECLINED:
            row.declined += n
        else:
            row.not_asked += n
    return sorted(rows.values(), key=lambda r: (-r.total, r.language))
