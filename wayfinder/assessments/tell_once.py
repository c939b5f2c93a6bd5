"""Tell it once: what an assessment's answers mean beyond the assessment.

- **Record offers.** An item may declare the person-record field it asks about (``record:`` in
  the instrument file). ``record_offers`` lists, for one session, each such answer that differs
  from the record, for staff to accept item by item at hand-back ("update the record?");
  ``actions.update_record_from_answers`` writes the accepted ones through
  ``people.actions.update_person``.
- **Visit defaults.** An item may declare that another instrument asks the same thing
  (``same_as:``). Within one **visit** — the person's sessions at the same agency with the same
  date of assessment (``conducted_on``), stopped ones left out — an answer given in one is the
  default of the other (``visit_defaults``), shown as such, and saved only when the section is.

Reads here do not pass the gate themselves: callers already hold the session through it, and only
the owning agency's casework staff write sessions or update the record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _

from wayfinder.assessments.instruments import Instrument, Section, get_instrument, translate
from wayfinder.assessments.models import ANSWER_TEXT_PURPOSE, Answer, Session, SessionStatus
from wayfinder.core.languages import language_name
from wayfinder.people.models import Identity, Person
from wayfinder.people.sealing import identity_of, unseal_texts

IDENTITY_FIELDS = ("cultural_considerations",)  # sealed in the identity, not plain columns


@dataclass(frozen=True)
class RecordOffer:
    """One answer that could go on the record, as staff see it before accepting."""

    item_id: str
    field: str  # instruments.RECORD_FIELDS key
    label: str  # the record field's name
    question: str
    answer: str  # what the record would say
    current: str  # what it says now ("" when nothing is recorded)
    value: Any  # the new value of the person's field


def _field_label(field: str) -> str:
    if field == "preferred_language":
        return str(Person._meta.get_field("preferred_languages").verbose_name)
    if field in IDENTITY_FIELDS:
        return _("Cultural or faith considerations")
    return str(Person._meta.get_field(field).verbose_name)


def _choice_label(field: str, value) -> str:
    if not value:
        return ""
    choices = dict(Person._meta.get_field(field).choices)
    return str(choices.get(value, value))


def _offer_for(item, field: str, answer, person: Person, identity: Identity | None):
    """(new value, shown answer, shown current) or None when the record already says it."""
    if field == "preferred_language":
        current = [c for c in person.preferred_languages if c]
        if current[:1] == [answer]:
            return None
        value = [answer, *(c for c in current if c != answer)][:8]
        return value, language_name(answer), ", ".join(language_name(c) for c in current)
    if field in IDENTITY_FIELDS:
        text = (answer or "").strip()
        now = getattr(identity, field, "") if identity is not None else ""
        if not text or text == (now or "").strip():
            return None
        return text, text, now or ""
    now = getattr(person, field)
    if now == answer:
        return None
    return answer, _choice_label(field, answer), _choice_label(field, now)


def record_offers(session: Session, *, language: str = "en") -> list[RecordOffer]:
    """Answers of ``session`` that belong on the record and differ from it, in item order."""
    instrument = session.instrument
    items = [i for i in instrument.all_items() if i.record]
    if not items:
        return []
    rows = {
        a.item_id: a
        for a in Answer.objects.filter(session=session, item_id__in=[i.id for i in items])
        if not a.declined
    }
    texts = unseal_texts(
        session.person,
        {k: a.text_ct for k, a in rows.items() if a.text_ct is not None},
        ANSWER_TEXT_PURPOSE,
    )
    person = session.person
    identity = None
    if any(i.record in IDENTITY_FIELDS and i.id in rows for i in items):
        identity = identity_of(person)
    offers = []
    for item in items:
        row = rows.get(item.id)
        if row is None:
            continue
        answer = texts.get(item.id) if row.text_ct is not None else row.value
        if answer in (None, "", "other"):
            continue
        found = _offer_for(item, item.record, answer, person, identity)
        if found is None:
            continue
        value, shown, current = found
        offers.append(
            RecordOffer(
                item_id=item.id,
                field=item.record,
                label=_field_label(item.record),
                question=translate(item.text, language),
                answer=shown,
                current=current,
                value=value,
            )
        )
    return offers


def record_changes(person: Person, offers: list[RecordOffer]) -> tuple[Identity | None, dict]:
    """The (identity, plain fields) for ``people.actions.update_person`` that apply ``offers``."""
    plain: dict = {}
    identity = None
    for offer in offers:
        if offer.field in IDENTITY_FIELDS:
            identity = replace(identity or identity_of(person), **{offer.field: offer.value})
        elif offer.field == "preferred_language":
            plain["preferred_languages"] = offer.value
        else:
            plain[offer.field] = offer.value
    declined = [f for f in person.declined if f not in plain]
    if declined != list(person.declined):
        plain["declined"] = declined
    return identity, plain


# --- the same question in two instruments, within one visit ---------------------------------


def visit_sessions(session: Session):
    """The other sessions of the same visit (same person, agency and date; not stopped)."""
    return (
        Session.objects.filter(
            person_id=session.person_id,
            agency_id=session.agency_id,
            conducted_on=session.conducted_on,
        )
        .exclude(pk=session.pk)
        .exclude(status=SessionStatus.STOPPED)
    )


@dataclass(frozen=True)
class VisitDefault:
    value: Any
    source: str  # the other instrument's title, in the session's language


def visit_defaults(
    session: Session, instrument: Instrument, section: Section, *, language: str
) -> dict[str, VisitDefault]:
    """{item id: default} for this section's items another instrument of the visit answered.

    One query for the section (none when no item declares ``same_as``); the latest answer wins.
    """
    wanted = {i.id: i.same_as for i in section.items if i.same_as is not None}
    if not wanted:
        return {}
    answers = (
        Answer.objects.filter(
            session__in=visit_sessions(session).filter(
                instrument_id__in={s.instrument for s in wanted.values()}
            ),
            item_id__in={s.item for s in wanted.values()},
            declined=False,
            text_ct__isnull=True,
        )
        .select_related("session")
        .order_by("session__created_at", "created_at")
    )
    out: dict[str, VisitDefault] = {}
    for answer in answers:
        other = answer.session
        for item_id, same in wanted.items():
            if other.instrument_id != same.instrument or answer.item_id != same.item:
                continue
            value = same.map.get(str(answer.value))
            if value is not None:
                title = get_instrument(other.instrument_id, other.instrument_version).title
                out[item_id] = VisitDefault(value, translate(title, language))
    return out
