"""Reads of referrals, each scoped to the two agencies involved and, for the partner, to consent.

- The referring agency reads its referrals through the gate (``get_access``: the person's owner).
- The receiving agency reads a referral only while a referral consent naming it is in force
  (``consent.queries.disclosable``); otherwise 404, or ``AccessEnded`` when its consent was
  withdrawn or ran out. It sees exactly the consented categories, and every look is audited
  with the consents that allowed it.
- Everyone else: 404.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Expression,
    F,
    Field,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from wayfinder.access.gate import Access, AccessEnded, get_access
from wayfinder.accounts.actor import Actor
from wayfinder.assessments.actions import NOTE_PURPOSE as NEED_NOTE
from wayfinder.assessments.models import Need
from wayfinder.audit.events import record, record_many
from wayfinder.consent.grants import (
    access_ended,
    consent_in_force,
    grants_by_person,
)
from wayfinder.consent.queries import disclosable_payload
from wayfinder.core.languages import language_name
from wayfinder.core.lookups import counts_upto
from wayfinder.directory.interpreters import service_language_access, services_language_access
from wayfinder.people.sealing import unseal
from wayfinder.plans.actions import GOAL_PURPOSE
from wayfinder.plans.models import Goal
from wayfinder.referrals.models import (
    OPEN_STATUSES,
    PRIORITY_ORDER,
    PRIORITY_RANK,
    Delivery,
    Notification,
    Referral,
    ReferralEvent,
    Side,
    Status,
)
from wayfinder.referrals.sharing import (
    NOTE_CATEGORY,
    NOTE_PURPOSE,
    PURPOSE,
    REASON_CATEGORY,
    REASON_PURPOSE,
    sharing,
)

LIST_LIMIT = 200

# The choices' (lazy) labels by value, read once: a model's get_FOO_display hashes every choice
# (and so translates every label) at each call, which a list pays per row and column.
_CHOICE_LABELS = {
    name: dict(cast(Field, Referral._meta.get_field(name)).flatchoices)
    for name in ("status", "service_category", "priority")
}


def label_rows(rows, *names: str) -> None:
    """Set ``r.<name>_label`` on each row, the text ``r.get_<name>_display()`` gives, each
    label translated once per call (in the active language) rather than once per row."""
    for name in names:
        labels, texts = _CHOICE_LABELS[name], {}
        attribute = f"{name}_label"
        for r in rows:
            value = getattr(r, name)
            if value not in texts:
                texts[value] = str(labels.get(value, value))
            setattr(r, attribute, texts[value])


def _text(person, blob, purpose: str) -> str:
    """A sealed {"text": ...} as plain text ("" for none, or once the person is forgotten)."""
    if blob is None:
        return ""
    return (unseal(person, bytes(blob), purpose) or {}).get("text", "")


@dataclass
class ReferralView:
    """A referral as one actor may see it: from which side, and what is shared right now."""

    referral: Referral
    side: str  # Side
    access: Access | None = None  # the referring agency's gate access to the person
    shared: dict[str, list[str]] = field(default_factory=dict)  # {category: [consent ids]}

    @property
    def is_sender(self) -> bool:
        return self.side == Side.SENDER

    @property
    def can_act_for_recipient(self) -> bool:
        """The recipient's buttons: its own staff, or the sender for an organisation not here."""
        return self.side == Side.RECIPIENT or self.referral.delivery == Delivery.PACKET

    def allowed(self) -> list[str]:
        names = self.referral.allowed(self.side) if self.side == Side.RECIPIENT else []
        if self.is_sender:
            names = self.referral.allowed(Side.SENDER)
            if self.referral.delivery == Delivery.PACKET:
                names = self.referral.allowed(Side.RECIPIENT) + names
        return names


def _load(referral_id) -> Referral:
    try:
        referral = (
            Referral.objects.select_related(
                "person", "person__owner_agency", "sending_agency", "recipient_agency", "created_by"
            )
            .filter(pk=referral_id, person__forgotten_at__isnull=True)
            .first()
        )
    except (ValidationError, ValueError):
        referral = None
    if referral is None:
        raise Http404
    return referral


def get_referral(actor: Actor, referral_id) -> ReferralView:
    """The referral for a party to it, or 404 (``AccessEnded`` for a partner whose consent ended)."""
    referral = _load(referral_id)
    if actor.agency is None or not actor.is_casework:
        raise Http404
    if actor.agency.pk == referral.sending_agency_id:
        access = get_access(actor, referral.person_id)
        return ReferralView(referral, Side.SENDER, access=access)
    if (
        actor.agency.pk == referral.recipient_agency_id
        and referral.status != Status.DRAFT
        and referral.delivery == Delivery.NETWORK
    ):
        shared = sharing(referral.person, actor.agency)
        if shared:
            return ReferralView(referral, Side.RECIPIENT, shared=shared)
        ended = access_ended(referral.person, actor.agency.pk, PURPOSE)
        if ended is not None:
            raise AccessEnded(referral.person, ended.at, ended.reason)
    raise Http404


# --- what the partner sees -----------------------------------------------------------------------


def _need(referral: Referral, categories: set[str]) -> dict | None:
    if not referral.need_id or "needs" not in categories:
        return None
    need = Need.objects.filter(pk=referral.need_id, person_id=referral.person_id).first()
    if need is None or not set(need.data_categories) <= categories:
        return None
    note = _text(referral.person, need.note_ct, NEED_NOTE)
    return {
        "id": str(need.pk),
        "category": need.category,
        "category_label": str(need.get_category_display()),
        "urgency": need.urgency,
        "urgency_label": str(need.get_urgency_display()),
        "status": need.status,
        "note": note,
    }


def linkable_needs(person) -> list:
    """The person's open needs a referral may be for (the referral page's choices), most
    urgent first and the crisis need before others of its urgency."""
    from wayfinder.assessments.models import ACTIVE_NEED_STATUSES, Need, need_priority

    return sorted(
        Need.objects.filter(person_id=person.pk, status__in=ACTIVE_NEED_STATUSES),
        key=need_priority,
    )


def linkable_goals(person) -> list:
    """The person's plan goals a referral may support (active or on hold)."""
    from wayfinder.plans.models import GoalStatus

    return list(
        Goal.objects.filter(
            person_id=person.pk, status__in=[GoalStatus.ACTIVE, GoalStatus.ON_HOLD]
        ).order_by("created_at", "pk")
    )


def linked_goal(referral: Referral):
    """The plan goal a referral supports, if it is still the person's (the page, API and FHIR)."""

    if not referral.goal_id:
        return None
    return Goal.objects.filter(pk=referral.goal_id, person_id=referral.person_id).first()


def goal_words(person, goal) -> dict:
    """A goal's words and their language, decrypted through the sealing path (no audit)."""

    return unseal(person, bytes(goal.words_ct), GOAL_PURPOSE) or {}


def _goal(referral: Referral, categories: set[str]) -> dict | None:
    if not referral.goal_id or "plan" not in categories:
        return None
    goal = linked_goal(referral)
    if goal is None or not set(goal.categories()) <= categories:
        return None
    words = goal_words(referral.person, goal)
    return {
        "id": str(goal.pk),
        "domain": goal.domain,
        "domain_label": str(goal.get_domain_display()),
        "text": words.get("text", ""),
        "language": words.get("language", ""),
        "status": goal.status,
        "target_date": goal.target_date.isoformat() if goal.target_date else None,
    }


def _empty_payload(referral: Referral) -> dict:
    return {
        "pseudonym": referral.person.pseudonym,
        "purpose": str(PURPOSE),
        "categories": [],
        "consents": {},
        "fields": {},
        "declined": [],
        "notices": [],
    }


def referral_payload(
    actor: Actor, referral: Referral, *, action: str = "referral.disclose"
) -> dict:
    """What the receiving agency may see: only the consented categories (audited, with consents).

    Used for the partner's page and API, the FHIR export and the printed packet. The person's
    fields come from ``consent.queries.disclosable_payload``; the need, the note to the partner
    and the plan goal are added only when every category they reveal is consented.
    """
    agency = referral.recipient_agency
    if agency is not None:
        payload = disclosable_payload(referral.person, agency, PURPOSE, actor=actor)
    else:
        payload = _empty_payload(referral)
    categories = set(payload["categories"])
    note = ""
    if NOTE_CATEGORY in categories:
        note = _text(referral.person, referral.note_ct, NOTE_PURPOSE)
    reason = ""
    if REASON_CATEGORY in categories:
        reason = _text(referral.person, referral.referral_reason_ct, REASON_PURPOSE)
    payload.update(
        need=_need(referral, categories),
        goal=_goal(referral, categories),
        note=note,
        reason_for_referral=reason,
        communication=communication_needs(referral, payload)
        if "communication" in categories
        else None,
    )
    record(
        action if categories else "referral.view",
        category="referrals",
        actor=actor,
        obj=referral,
        person=referral.person,
        categories=sorted(categories),
        detail={
            "recipient_agency_id": str(agency.pk) if agency else None,
            "consents": payload["consents"],
            "fields": sorted(payload["fields"]),
            "need": payload["need"] is not None,
            "goal": payload["goal"] is not None,
            "note": bool(note),
            "reason": bool(reason),
            "communication": payload["communication"] is not None,
        },
    )
    return payload


def communication_needs(referral: Referral, payload: dict) -> dict:
    """How to talk with the person: languages, interpreter, and contact through the navigator.

    Only under the "communication" consent category (the caller checks). A field the person
    declined to answer reads "declined"; one never recorded is empty.
    """
    fields, declined = payload["fields"], set(payload.get("declined", []))

    def value(name, empty):
        return "declined" if name in declined else fields.get(name) or empty

    languages = value("preferred_languages", [])
    interpreter_needed = value("interpreter_needed", "")
    return {
        "languages": languages,
        "language_names": (
            [language_name(c) for c in languages] if isinstance(languages, list) else []
        ),
        "interpreter_needed": interpreter_needed,
        "interpreter_line": interpreter_line(referral, languages, interpreter_needed),
        "contact_through_navigator": referral.contact_prohibited,
        "navigator_agency": referral.sending_agency.name,
    }


def interpreter_line(referral: Referral, languages, interpreter_needed: str) -> str:
    """Whether an interpreter will be needed at the service ("" when nothing can be said).

    From the person's languages and the service's staff languages and interpretation, when the
    referral is to a directory service; else from "interpreter needed" alone.
    """
    languages = languages if isinstance(languages, list) else []
    access = None
    if referral.service_id and languages:
        access = service_language_access(referral.service_id, languages, interpreter_needed)
    return _interpreter_line(access, languages, interpreter_needed)


def _interpreter_line(access, languages: list, interpreter_needed: str) -> str:
    """``interpreter_line`` once the service's language access is known (None: not asked)."""
    if access is not None:
        return access.text
    if interpreter_needed == "yes":
        if languages:
            return _("An interpreter will be needed (%(language)s)") % {
                "language": language_name(languages[0])
            }
        return _("An interpreter will be needed")
    return ""


def withheld_labels(referral: Referral, shared: dict) -> list[str]:
    """For a draft: the texts the partner would not see if it were sent now (their labels)."""
    out = []
    if referral.referral_reason_ct is not None and REASON_CATEGORY not in shared:
        out.append(str(Referral._meta.get_field("referral_reason_ct").verbose_name))
    if referral.note_ct is not None and NOTE_CATEGORY not in shared:
        out.append(str(_("Note to the receiving agency")))
    return out


def display_fields(payload: dict) -> dict:
    """The payload's fields as ``people.display.sections`` expects them (dates as dates)."""
    data = dict(payload["fields"])
    for name in ("date_of_birth", "exploitation_ended_on"):
        if isinstance(data.get(name), str) and data[name] not in ("", "declined"):
            with contextlib.suppress(ValueError):
                data[name] = date.fromisoformat(data[name])
    data["declined"] = payload.get("declined", [])
    return data


# --- the timeline --------------------------------------------------------------------------------


@dataclass
class EventRow:
    event: ReferralEvent
    note: str  # "" when there is none or this reader may not see it


def timeline(view: ReferralView) -> list[EventRow]:
    """The referral's events, oldest first. The referring side's notes reach the partner only
    when "needs" is consented; the partner's own notes are always theirs to read."""
    referral = view.referral
    events = list(referral.events.select_related("actor", "agency").order_by("created_at", "pk"))
    notes = {}
    readable = [
        e
        for e in events
        if e.note_ct is not None
        and (
            view.is_sender or e.agency_id == referral.recipient_agency_id or "needs" in view.shared
        )
    ]
    for e in readable:
        notes[e.pk] = _text(referral.person, e.note_ct, NOTE_PURPOSE)
    return [EventRow(e, notes.get(e.pk, "")) for e in events]


# --- lists ---------------------------------------------------------------------------------------


def _thresholds(now=None):
    now = now or timezone.now()
    return (
        now - timedelta(hours=settings.WAYFINDER_REFERRAL_ACK_HOURS),
        now - timedelta(days=settings.WAYFINDER_REFERRAL_STALE_DAYS),
    )


def overdue_q(now=None) -> Q:
    """Not acknowledged in time, or open with no update for too long."""
    ack_before, stale_before = _thresholds(now)
    return Q(status=Status.REQUESTED, sent_at__lte=ack_before) | Q(
        status__in=OPEN_STATUSES, last_activity_at__lte=stale_before
    )


def is_overdue(referral: Referral, now=None) -> bool:
    ack_before, stale_before = _thresholds(now)
    if referral.status == Status.REQUESTED and referral.sent_at and referral.sent_at <= ack_before:
        return True
    return referral.status in OPEN_STATUSES and referral.last_activity_at <= stale_before


def received_qs(actor: Actor, *, open_only: bool = True) -> QuerySet[Referral]:
    """Referrals to the actor's agency whose referral consent is in force (open ones by default)."""
    if actor.agency is None or not actor.is_casework:
        return Referral.objects.none()
    qs = Referral.objects.filter(
        recipient_agency_id=actor.agency.pk,
        delivery=Delivery.NETWORK,
        person__forgotten_at__isnull=True,
    ).filter(consent_in_force(actor.agency.pk, PURPOSE))
    return qs.filter(status__in=OPEN_STATUSES) if open_only else qs.exclude(status=Status.DRAFT)


def sent_qs(actor: Actor, *, open_only: bool = True) -> QuerySet[Referral]:
    """Referrals the actor's agency made, drafts included (open ones by default)."""
    if actor.agency is None or not actor.is_casework:
        return Referral.objects.none()
    qs = Referral.objects.filter(
        sending_agency_id=actor.agency.pk, person__forgotten_at__isnull=True
    )
    return qs.filter(status__in=[Status.DRAFT, *OPEN_STATUSES]) if open_only else qs


def followed_qs(actor: Actor) -> QuerySet[Referral]:
    """Every referral the actor's agency may follow, in any status: the ones it sent, and the
    ones it received under a referral consent in force (the inbox's scope, closed ones too).
    The FHIR Task search narrows this."""
    return sent_qs(actor, open_only=False) | received_qs(actor, open_only=False)


# The inbox's three sections, in the page's order.
INBOX_SECTIONS = ("overdue", "new", "active")
# Rows of each section on the inbox page, and on each page of one section (``inbox_section``).
INBOX_ROWS = 25
# A section's count reads at most this many referrals: past it the page says "more than 200".
SECTION_COUNT_CAP = 200
# A partner with fewer open referrals than this has them all read at once (``inbox``): three
# pages' worth. With more, the inbox reads each section's page instead, and this first read was
# wasted: at 200 rows it cost a large partner's inbox a quarter of its time.
INBOX_ONE_READ = len(INBOX_SECTIONS) * INBOX_ROWS + 1


@dataclass
class Inbox:
    """The first page of each section, whether each has more, and each one's count (capped at
    ``SECTION_COUNT_CAP``: ``capped[section]`` is then true)."""

    new: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    active: list = field(default_factory=list)
    more: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    capped: dict = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Every open received referral is listed (none is on a later page)."""
        return not any(self.more.values())

    @property
    def total(self) -> int:
        return len(self.new) + len(self.overdue) + len(self.active)

    def next_cursors(self) -> dict[str, str]:
        """For each section with more rows than listed: where its next page starts."""
        cursors = {
            s: next_cursor(getattr(self, s), self.more.get(s, False)) for s in INBOX_SECTIONS
        }
        return {s: c for s, c in cursors.items() if c}


def _section_q(section: str, now=None) -> Q:
    """Overdue (``overdue_q``); new: waiting for a reply, not overdue; active: the rest. New
    and active are written as the ranges they are (sent and last active after the thresholds:
    ``~overdue_q`` for a sent referral), so the index reads only the recent ones."""
    if section == "overdue":
        return overdue_q(now)
    ack_before, stale_before = _thresholds(now)
    if section == "new":
        return Q(status=Status.REQUESTED, sent_at__gt=ack_before, last_activity_at__gt=stale_before)
    later = [s for s in OPEN_STATUSES if s != Status.REQUESTED]
    return Q(status__in=later, last_activity_at__gt=stale_before)


def section_qs(
    actor: Actor, section: str, now=None, *, received: QuerySet[Referral] | None = None
) -> QuerySet[Referral]:
    """One section of the partner's inbox, in its order: overdue and new by priority (ASAP
    first), then oldest sent first; active by the longest without an update (the next to fall
    overdue) first. The order is the keyset's (``inbox_rank``, ``inbox_when``, ``pk``) and an
    index's (``referral_inbox_priority``, ``referral_inbox_activity``), so a page is read along
    the index and stops where the page does, however many referrals the partner has.
    ``received`` is ``received_qs(actor)`` when the caller has it already (building it is the
    costly part: its consent check)."""
    rank: Expression = PRIORITY_RANK
    when = F("sent_at")
    if section == "active":
        rank, when = Value(0, output_field=IntegerField()), F("last_activity_at")
    return (
        (received_qs(actor) if received is None else received)
        .filter(_section_q(section, now))
        .annotate(inbox_rank=rank, inbox_when=when)
        .order_by("inbox_rank", "inbox_when", "pk")
    )


def section_cursor(r: Any) -> str:
    """Where a page of a section ended: the row's rank, sending time and id (no personal data)."""
    return f"{r.inbox_rank}_{r.inbox_when.isoformat()}_{r.pk}"


def next_cursor(rows: list, more: bool) -> str:
    """The cursor of the page after ``rows`` ("" when no page follows)."""
    return section_cursor(rows[-1]) if more and rows else ""


def _parse_cursor(value: str, parts: int) -> tuple | None:
    """A keyset cursor's fields, ``(rank, time, id)`` (``parts`` 3: a section's) or ``(time,
    id)`` (2: the sent list's); None when it does not parse or its time has no time zone."""
    fields = (value or "").split("_")
    if len(fields) != parts:
        return None
    try:
        rank = tuple(int(f) for f in fields[:-2])
        when, pk = datetime.fromisoformat(fields[-2]), uuid.UUID(fields[-1])
    except ValueError:
        return None
    return (*rank, when, pk) if when.tzinfo is not None else None


def inbox_section(
    actor: Actor,
    section: str,
    *,
    after: str = "",
    limit: int | None = None,
    now=None,
    received: QuerySet[Referral] | None = None,
) -> tuple[list[Referral], bool]:
    """A page of one section: its first ``limit`` (``INBOX_ROWS``) rows, or those after the
    ``section_cursor`` ``after`` (the first page if it does not parse); and whether more
    follow. No personal data."""
    now = now or timezone.now()
    limit = limit or INBOX_ROWS
    qs = (
        section_qs(actor, section, now, received=received)
        .select_related("person", "sending_agency")
        .defer(*INBOX_UNREAD)
    )
    if (mark := _parse_cursor(after, 3)) is not None:
        rank, when, pk = mark
        qs = qs.filter(
            Q(inbox_rank__gt=rank)
            | Q(inbox_rank=rank, inbox_when__gt=when)
            | Q(inbox_rank=rank, inbox_when=when, pk__gt=pk)
        )
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    for r in rows:
        r.overdue = section == "overdue"
    label_rows(rows, "status", "service_category", "priority")
    return rows, more


def section_counts(
    actor: Actor, now=None, *, received: QuerySet[Referral] | None = None
) -> tuple[dict, dict]:
    """Each section's count up to ``SECTION_COUNT_CAP`` (one statement for the three), and
    whether it reached the cap."""
    now = now or timezone.now()
    received = received_qs(actor) if received is None else received
    limited = [
        section_qs(actor, s, now, received=received)
        .order_by()
        .values("pk")[: SECTION_COUNT_CAP + 1]
        for s in INBOX_SECTIONS
    ]
    numbers = dict(zip(INBOX_SECTIONS, counts_upto(limited), strict=True))
    counts = {s: min(n, SECTION_COUNT_CAP) for s, n in numbers.items()}
    return counts, {s: n > SECTION_COUNT_CAP for s, n in numbers.items()}


# Sealed texts the inbox (page and API) never shows: not fetched for its rows.
INBOX_UNREAD = ("note_ct", "referral_reason_ct", "person__identity_ct")


def _section_of(r: Any, now) -> str:
    """Which section a received referral is in, by the rule ``_section_q`` writes in SQL; sets
    ``r.overdue`` and the keyset's ``inbox_rank`` and ``inbox_when`` as ``section_qs`` does."""
    r.overdue = is_overdue(r, now)
    section = "overdue" if r.overdue else "new" if r.status == Status.REQUESTED else "active"
    r.inbox_rank = PRIORITY_ORDER.get(r.priority, 9) if section != "active" else 0
    r.inbox_when = r.last_activity_at if section == "active" else r.sent_at
    return section


def inbox(actor: Actor, now=None, *, limit: int | None = None) -> Inbox:
    """The partner's inbox: the first ``limit`` rows of each section (overdue, new waiting for a
    reply, active), whether each has more, and each one's count. No personal data.

    Most partners have fewer than ``INBOX_ONE_READ`` open referrals: one read takes them all,
    and they are sorted into sections here (exact counts). A partner with more gets a read per
    section, each stopping at its page, and counts capped at ``SECTION_COUNT_CAP``: the reads do
    not grow with the referrals received."""
    now = now or timezone.now()
    limit = limit or INBOX_ROWS
    box = Inbox()
    received = received_qs(actor)
    rows = list(
        received.select_related("person", "sending_agency")
        .defer(*INBOX_UNREAD)
        .order_by("sent_at", "pk")[:INBOX_ONE_READ]
    )
    if len(rows) < INBOX_ONE_READ:
        sections: dict[str, list[Any]] = {s: [] for s in INBOX_SECTIONS}
        for r in rows:
            sections[_section_of(r, now)].append(r)
        for section, found in sections.items():
            found.sort(key=lambda r: (r.inbox_rank, r.inbox_when, r.pk))
            setattr(box, section, found[:limit])
            box.more[section] = len(found) > limit
            box.counts[section] = len(found)
            box.capped[section] = False
        label_rows([*box.overdue, *box.new, *box.active], "status", "service_category", "priority")
        return box
    for section in INBOX_SECTIONS:
        found, box.more[section] = inbox_section(
            actor, section, limit=limit, now=now, received=received
        )
        setattr(box, section, found)
    box.counts, box.capped = section_counts(actor, now, received=received)
    return box


def inbox_counts(actor: Actor, box: Inbox) -> dict:
    """The inbox tabs' numbers: the sections' counts (``waiting_more`` when the new or the
    overdue count reached its cap: the badge then reads "N+") and unread notifications."""
    return {
        **box.counts,
        "waiting_more": box.capped.get("new", False) or box.capped.get("overdue", False),
        "unread": unread_count(actor),
    }


def inbox_language_needs(actor: Actor, rows) -> None:
    """Set ``r.language_need`` on each received referral whose person agreed to share their
    communication needs with the actor's agency: their languages and whether an interpreter will
    be needed (audited, as the referral page is). Nothing else of the person is read. The
    consents of every listed person are read in one query, the services' languages in at most
    three, and the events are appended together: the queries do not grow with the rows."""
    granted = (
        grants_by_person(actor.agency.pk, {r.person_id for r in rows}, PURPOSE)
        if actor.agency is not None and rows
        else {}
    )
    shared = []
    for r in rows:
        r.language_need = ""
        if "communication" not in granted.get(r.person_id, {}):
            continue
        declined = set(r.person.declined or [])
        languages = (
            [] if "preferred_languages" in declined else list(r.person.preferred_languages or [])
        )
        needed = "" if "interpreter_needed" in declined else r.person.interpreter_needed
        shared.append((r, languages, needed))
    accesses = services_language_access(
        {
            r.pk: (r.service_id, languages, needed)
            for r, languages, needed in shared
            if r.service_id and languages
        }
    )
    events = []
    for r, languages, needed in shared:
        line = _interpreter_line(accesses.get(r.pk), languages, needed)
        if not languages and not line:
            continue
        names = ", ".join(language_name(c) for c in languages)
        r.language_need = " · ".join(p for p in (names, line) if p)
        events.append(
            {
                "action": "referral.inbox_disclose",
                "category": "referrals",
                "actor": actor,
                "obj": r,
                "person": r.person,
                "categories": ["communication"],
                "detail": {"fields": ["interpreter_needed", "preferred_languages"]},
            }
        )
    record_many(events)


# Rows of each page of the referrals an agency sent (``sent``).
SENT_ROWS = 50


def sent(
    actor: Actor, *, open_only: bool = True, after: str = "", limit: int | None = None, now=None
) -> tuple[list[Referral], bool]:
    """A page of the referrals the actor's agency made (open ones and drafts by default), the
    most recently active first: the first ``limit`` (``SENT_ROWS``), or those after the
    ``sent_cursor`` ``after`` (the first page if it does not parse); and whether more follow.

    Read along ``referral_sent_activity`` (agency, last activity, id), so a page stops where it
    ends: the lead agency at 10^6 persons has 27,836 open referrals out, and the page read and
    sorted them all to show 200, with no way to the rest."""
    if actor.agency is None or not actor.is_casework:
        return [], False
    now = now or timezone.now()
    limit = limit or SENT_ROWS
    qs = sent_qs(actor, open_only=open_only).select_related("person", "recipient_agency")
    if (mark := _parse_cursor(after, 2)) is not None:
        when, pk = mark
        qs = qs.filter(Q(last_activity_at__lt=when) | Q(last_activity_at=when, pk__lt=pk))
    rows = list(qs.order_by("-last_activity_at", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    for r in rows:
        r.overdue = is_overdue(r, now)
    return rows, more


def sent_count(actor: Actor, *, open_only: bool = True) -> tuple[int, bool]:
    """How many ``sent`` lists, up to ``SECTION_COUNT_CAP`` (and whether it stopped there)."""
    if actor.agency is None or not actor.is_casework:
        return 0, False
    limited = sent_qs(actor, open_only=open_only).order_by().values("pk")[: SECTION_COUNT_CAP + 1]
    (n,) = counts_upto([limited])
    return min(n, SECTION_COUNT_CAP), n > SECTION_COUNT_CAP


def sent_cursor(rows: list, more: bool) -> str:
    """Where a page of ``sent`` ended: its last row's activity time and id ("" on the last)."""
    if not (more and rows):
        return ""
    return f"{rows[-1].last_activity_at.isoformat()}_{rows[-1].pk}"


def counts(actor: Actor, now=None) -> dict:
    """The dashboard's and the tabs' numbers: received new / overdue / active (the inbox's
    sections, by their rule), sent and waiting for a reply, unread notifications.

    Each stops at ``SECTION_COUNT_CAP`` as the inbox's do (``capped[name]`` is then true and the
    dashboard says "More than 200"), read along the inbox's and the sender's indexes, all in one
    statement: an exact count read every open referral the agency ever sent or received on
    every dashboard (18 ms for the lead agency's 28,000 at 10^6 persons) and grew with them.
    """
    if actor.agency is None or not actor.is_casework:
        return {}
    now = now or timezone.now()
    upto = SECTION_COUNT_CAP + 1
    received = received_qs(actor)
    wanted: dict[str, QuerySet[Any, Any]] = {
        s: section_qs(actor, s, now, received=received).order_by().values("pk")[:upto]
        for s in INBOX_SECTIONS
    }
    waiting = sent_qs(actor).filter(status=Status.REQUESTED)
    wanted["waiting"] = waiting.order_by().values("pk")[:upto]
    unread = notifications_for(actor).filter(read_at__isnull=True)
    wanted["unread"] = unread.order_by().values("pk")[:upto]
    numbers = dict(zip(wanted, counts_upto(list(wanted.values())), strict=True))
    capped = {name: n > SECTION_COUNT_CAP for name, n in numbers.items()}
    return {
        **{name: min(n, SECTION_COUNT_CAP) for name, n in numbers.items()},
        "capped": capped,
        # The "Received" tab's badge adds new and overdue: "N+" when either stopped at the cap.
        "waiting_more": capped["new"] or capped["overdue"],
    }


# What the person's referrals table (``_person_table.html``) and ``is_overdue`` read.
PERSON_TABLE_FIELDS = (
    "reference",
    "recipient_name",
    "service_name",
    "service_category",
    "status",
    "sent_at",
    "last_activity_at",
    "created_at",  # the order (the panel merges its two reads by it)
)


def _person_qs(actor: Actor, access: Access) -> QuerySet[Referral]:
    """A person's referrals: all of them at the owning agency, else those to the actor's agency."""
    qs = Referral.objects.filter(person_id=access.person.pk).only(*PERSON_TABLE_FIELDS)
    if not access.is_owner:
        qs = qs.filter(recipient_agency_id=actor.agency.pk, delivery=Delivery.NETWORK).exclude(
            status=Status.DRAFT
        )
    return qs


def _person_rows(rows: list[Referral]) -> list[Referral]:
    now = timezone.now()
    for r in rows:
        r.overdue = is_overdue(r, now)
    label_rows(rows, "status", "service_category")
    return rows


def person_referrals(actor: Actor, access: Access) -> list[Referral]:
    """A person's referrals, newest first: all of them at the owning agency, else those to the
    actor's agency (the full list, ``/referrals/person/<id>/``)."""
    return _person_rows(list(_person_qs(actor, access).order_by("-created_at", "pk")))


# The person page's referrals panel: every unfinished referral, then the most recent finished
# ones up to this many rows in all (a survivor served for years may have had dozens).
PANEL_ROWS = 10
_UNFINISHED = Q(status__in=[Status.DRAFT, *OPEN_STATUSES])


def panel_referrals(actor: Actor, access: Access) -> tuple[list[Referral], int]:
    """The person page's referrals, newest first, and how many finished ones it leaves to the
    full list: every draft and open referral (never hidden), and the most recent finished ones
    up to ``PANEL_ROWS`` rows in all. One query, whatever the person's history: the finished
    ones are numbered newest first and counted in the database, and at most ``PANEL_ROWS`` of
    them come back."""
    finished = Case(When(_UNFINISHED, then=Value(0)), default=Value(1))
    newest = [F("created_at").desc(), F("pk").asc()]
    rows = list(
        _person_qs(actor, access)
        .annotate(
            finished=finished,
            nth=Window(RowNumber(), partition_by=[finished], order_by=newest),
            of=Window(Count("pk"), partition_by=[finished]),
        )
        .filter(Q(finished=0) | Q(nth__lte=PANEL_ROWS))
        .order_by("-created_at", "pk")
    )
    room = max(0, PANEL_ROWS - sum(1 for r in rows if not r.finished))
    done = next((r.of for r in rows if r.finished), 0)
    shown: list[Referral] = [r for r in rows if not r.finished or r.nth <= room]
    return _person_rows(shown), max(0, done - room)


def open_referral_agency_ids(person) -> set:
    """Agencies with an open referral for the person (``ReferralsConfig.plan_agencies``)."""
    return set(
        Referral.objects.filter(
            person_id=person.pk, status__in=OPEN_STATUSES, recipient_agency__isnull=False
        ).values_list("recipient_agency_id", flat=True)
    )


# --- notifications -------------------------------------------------------------------------------


def notifications_for(actor: Actor) -> QuerySet[Notification]:
    """The actor's own notifications and, for casework staff, their agency's."""
    q = Q(recipient_user_id=actor.user.pk)
    if actor.agency is not None and actor.is_casework:
        q |= Q(recipient_agency_id=actor.agency.pk)
    return Notification.objects.filter(q)


def unread_count(actor: Actor) -> int:
    return notifications_for(actor).filter(read_at__isnull=True).count()


def recent_notifications(actor: Actor, limit: int = 50) -> list[Notification]:
    return list(
        notifications_for(actor).select_related("referral").order_by("-created_at", "pk")[:limit]
    )
