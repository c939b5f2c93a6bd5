"""Reads of person data, all through the gate (``wayfinder.access.gate``)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.core.paginator import EmptyPage, Page, Paginator
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Substr
from django.db.models.lookups import Contains
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wayfinder.access.gate import Access, PersonScope, persons_for_list
from wayfinder.accounts.actor import Actor
from wayfinder.accounts.models import CASEWORK_ROLES, Agency, Membership, User
from wayfinder.audit.events import record
from wayfinder.audit.models import AuditEvent
from wayfinder.consent.grants import grants_by_person
from wayfinder.core import crypto
from wayfinder.core.categories import ALL_CATEGORIES
from wayfinder.core.errors import CodedError
from wayfinder.core.lookups import counts_upto
from wayfinder.people import sealing
from wayfinder.people.errors import PersonErrorCode
from wayfinder.people.keyrotation import forget_status
from wayfinder.people.models import (
    FIELD_CATEGORIES,
    PLAIN_FIELDS,
    CareTeamMember,
    Identity,
    Person,
)

PSEUDONYM_RE = re.compile(
    r"^\s*(?P<prefix>WF-?)?(?P<head>[0-9A-Z]{2,4})(?:(?P<dash>-?)(?P<tail>[0-9A-Z]{0,2}))?\s*$",
    re.IGNORECASE,
)


@dataclass
class PersonRow:
    person: Person
    name: str | None  # None when the viewer may not see names
    categories: frozenset[str] = frozenset()  # what the viewer may see of this person
    identity: Identity | None = None  # decrypted only where the viewer may see identity


def is_record_code(q: str) -> bool:
    """A record code (WF-7K3Q-9D, 7K3Q9D, WF-RKMM-ME) rather than a name.

    Without the "WF-" prefix a code needs a digit, so that a short name is not taken for one.
    """
    q = (q or "").strip()
    if not PSEUDONYM_RE.match(q):
        return False
    return q.upper().startswith("WF-") or any(c.isdigit() for c in q)


def _code_parts(q: str) -> list[tuple[str, str]]:
    """The (four characters, last two) a typed record code may mean, upper case.

    Only a leading "WF" is the prefix: the six characters may hold "WF" themselves
    (WF-3WF7-9D), so they are never searched and replaced. "WFAB9D" may be WF-AB9D… or WF-WFAB-9D.
    """
    m = PSEUDONYM_RE.match(q.upper())
    if m is None:  # callers check is_record_code first
        return []
    head, tail = m["head"], m["tail"] or ""
    parts = [(head, tail)]
    if m["prefix"] == "WF" and not m["dash"]:
        compact = "WF" + head + tail
        if len(compact) <= 6:
            parts.append((compact[:4], compact[4:]))
    return parts


def _code_matches(q: str) -> Q:
    """A full code finds exactly its person; a part of one (WF-7K3Q, 7K3Q) the codes holding it."""
    found = Q(pk__in=[])
    for head, tail in _code_parts(q):
        if len(head) == 4 and len(tail) == 2:
            found |= Q(pseudonym=f"WF-{head}-{tail}")
        else:
            # Look in the six characters only: "WF" would otherwise be found in every "WF-".
            chars = Substr("pseudonym", 4)
            part = Contains(chars, Value(head))
            found |= Q(part, Contains(chars, Value(tail))) if tail else Q(part)
    return found


# A name search that more than this many persons of the agency match asks for more of the name
# (``TooManyMatches``) instead of reading them all: at 10⁶ persons one common first name matched
# 38,000 of an agency, and reading, counting and paging them took 0.4 to 0.6 s, on every keystroke
# of the search-as-you-type box. Nobody reads 40 pages of "Rosa": HMIS tools say "refine the
# search".
SEARCH_CAP = 1_000
CASELOAD_SEARCH_MAX = 5_000  # "My caseload": a name is looked up among these, not the agency


class TooManyMatches(CodedError):
    """More than ``SEARCH_CAP`` persons of the agency match the words (422 in the API)."""

    def __init__(self):
        cap = number_format(SEARCH_CAP, force_grouping=True)
        super().__init__(
            PersonErrorCode.SEARCH_TOO_BROAD,
            _(
                "More than %(cap)s people at your agency match these words. Type more of the "
                "name (a family name too) to narrow the search."
            ),
            params={"cap": cap},
            cap=SEARCH_CAP,
        )


def _caseload_ids(actor: Actor) -> list[uuid.UUID] | None:
    """The persons whose care team the actor is on at their agency, if no more than
    ``CASELOAD_SEARCH_MAX`` (a caseload a person can hold); else None."""
    assert actor.agency is not None
    ids = list(
        CareTeamMember.objects.filter(user_id=actor.user.pk, agency_id=actor.agency.pk)
        .order_by()
        .values_list("person_id", flat=True)[: CASELOAD_SEARCH_MAX + 1]
    )
    return ids if len(ids) <= CASELOAD_SEARCH_MAX else None


def search_persons(actor: Actor, q: str = "", *, mine: bool = False) -> PersonScope:
    """Persons the actor may open, narrowed by record code or by the beginnings of names.

    A ``PersonScope`` (the gate's scope in its two halves, see ``access.gate``): slice it for a
    page newest first, ``count()`` it, or hand it to a ``Paginator``. Raises ``TooManyMatches``
    when a name matches more than ``SEARCH_CAP`` persons of the actor's agency. ``mine``: only
    the persons whose care team the actor is on; a name is then looked up among them, so that
    "Rosa" in a caseload of forty is not refused for the agency's thousand Rosas.
    """
    scope = persons_for_list(actor)
    if mine:
        scope = caseload_scope(scope, actor)
    q = (q or "").strip()
    if not q:
        return scope
    if is_record_code(q):
        return scope.filter(_code_matches(q))
    tokens = crypto.name_tokens(q)
    if not tokens or actor.agency is None or not actor.is_casework:
        return scope.none()

    # Every typed word must begin one of the person's names ("luc gom" finds Lucía Gómez);
    # a two-letter word must be a whole name (prefixes start at PREFIX_MIN letters).
    terms = [("prefix" if len(t) >= crypto.PREFIX_MIN else "name", t) for t in tokens]
    among = _caseload_ids(actor) if mine else None
    named = crypto.blind_match_all(actor.agency.pk, terms, limit=SEARCH_CAP + 1, among=among)
    if len(named) > SEARCH_CAP:
        raise TooManyMatches()
    own = scope.own.filter(pk__any_of=named)
    # The shared half holds a few persons of a few other agencies: look the name up at each,
    # among those persons only (not among every match of that agency).
    shared = list(scope.shared.order_by().values_list("pk", "owner_agency_id"))
    by_agency: dict[uuid.UUID, list[uuid.UUID]] = {}
    for pk, agency_id in shared:
        by_agency.setdefault(agency_id, []).append(pk)
    matched = set().union(
        *(crypto.blind_match_all(a, terms, among=pks) for a, pks in by_agency.items())
    )
    other_ids = [pk for pk, _a in shared if pk in matched]
    if not other_ids:
        return PersonScope(own=own, shared=scope.shared.none())
    # A name may only find someone whose name the searcher may see: a partner whose consent does
    # not cover identity must not be able to link a typed name to a record code.
    grants = grants_by_person(actor.agency.pk, other_ids)
    seen = [pid for pid in other_ids if "identity" in grants.get(pid, {})]
    return PersonScope(own=own, shared=scope.shared.filter(pk__in=seen))


def _with_owner_agencies(actor: Actor, persons: list[Person]) -> list[Person]:
    """Set each person's ``owner_agency`` without a join on the page's query (a join would keep
    it from walking the index): the actor's own agency, else one query for the few others."""
    if not persons:
        return persons
    others = {p.owner_agency_id for p in persons} - {actor.agency.pk}
    agencies = Agency.objects.in_bulk(others) if others else {}
    agencies[actor.agency.pk] = actor.agency
    for p in persons:
        p.owner_agency = agencies[p.owner_agency_id]
    return persons


def _visible_categories(actor: Actor, persons: list[Person]) -> dict:
    """{person id: categories the actor may see} for persons from ``persons_for(actor)``.

    ``persons_for`` already holds only the actor's own agency's persons and consented persons
    whose care team the actor is on, so one consent query covers the whole page.
    """
    own = actor.agency.pk
    others = [p.pk for p in persons if p.owner_agency_id != own]
    grants = grants_by_person(own, others) if others else {}
    return {
        p.pk: ALL_CATEGORIES if p.owner_agency_id == own else frozenset(grants.get(p.pk, {}))
        for p in persons
    }


# The person list counts its rows up to here; past it, it says "10,000+ people." (the count
# would otherwise read the whole agency's index on every page).
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator whose ``count`` stops at ``COUNT_CAP + 1`` (``capped`` is then true)."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        return cast(PersonScope, self.object_list).count_upto(self.cap + 1)

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class KeysetPage(Page):
    """A page read by keyset (the rows after or before a row), not by OFFSET: ``number`` is
    only shown, and whether there is a next or previous page comes from the rows read."""

    def __init__(self, object_list, number, paginator, *, has_next: bool, has_previous: bool):
        super().__init__(object_list, number, paginator)
        self._next, self._previous = has_next, has_previous

    def has_next(self) -> bool:
        return self._next

    def has_previous(self) -> bool:
        return self._previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def cursor_of(person: Person) -> str:
    """Where a keyset page starts or ends: the row's intake time and id (no personal data)."""
    return f"{person.created_at.isoformat()}_{person.pk}"


def _parse_cursor(value: str):
    when, _sep, pk = (value or "").rpartition("_")
    try:
        at = datetime.fromisoformat(when)
        return (at, uuid.UUID(pk)) if at.tzinfo is not None else None
    except ValueError:
        return None


def _keyset_page(scope: PersonScope, paginator, page, per_page, *, after="", before=""):
    """The page after the row ``after`` or before the row ``before`` (None if neither parses)."""
    try:
        number = max(1, int(page))
    except (TypeError, ValueError):
        number = 1
    if (mark := _parse_cursor(after)) is not None:
        rows = list(scope.after(*mark)[: per_page + 1])
        return KeysetPage(
            rows[:per_page], max(2, number), paginator,
            has_next=len(rows) > per_page, has_previous=True,
        )  # fmt: skip
    if (mark := _parse_cursor(before)) is not None:
        rows = scope.before(*mark).last(per_page + 1)
        more = len(rows) > per_page
        return KeysetPage(
            rows[-per_page:], number if more else 1, paginator,
            has_next=True, has_previous=more,
        )  # fmt: skip
    return None


def person_page(
    actor: Actor,
    *,
    q: str = "",
    page: int | str = 1,
    per_page: int = 25,
    fields: tuple[str, ...] = ("chosen_name",),
    view: str | None = None,
    strict: bool = False,
    capped: bool = False,
    after: str = "",
    before: str = "",
    mine: bool = False,
) -> tuple[Page, list[PersonRow]]:
    """One page of the person list, with names only where the viewer may see them (audited).

    The page and the API (``GET /api/v1/persons/``) both read through here. ``fields``: the
    record's fields the caller shows; the audit event names the categories of those the viewer
    could see, and the persons whose any such field was shown. ``view`` tags the event
    (``"api"``). ``strict``: a page past the end is empty (the API) instead of the last page.
    The cost does not grow with the rows: one consent query for every partner row on the page,
    one keystore query for the names (no per-row gate check).

    ``capped`` (the page): count up to ``COUNT_CAP`` only. ``after``/``before``: a ``cursor_of``
    the last/first row of the page before/after this one; the page is then read from that row on
    along the index (keyset), whatever its number, instead of over an OFFSET of all rows before.
    ``mine``: only the persons whose care team the actor is on (the dashboard's caseload, whole).
    """
    # The scope in two halves, merged newest first: a page walks the agency's index, whatever its size.
    scope = search_persons(actor, q, mine=mine)
    paginator: Paginator = (CappedPaginator if capped else Paginator)(cast(Any, scope), per_page)
    keyset = _keyset_page(scope, paginator, page, per_page, after=after, before=before)
    if keyset is not None:
        page_obj = keyset
    elif strict:
        try:
            page_obj = paginator.page(page)
        except EmptyPage:
            return Page([], int(page), paginator), []
    else:
        page_obj = paginator.get_page(page)
    persons = _with_owner_agencies(actor, list(page_obj.object_list))
    categories = _visible_categories(actor, persons)
    identities = sealing.identities([p for p in persons if "identity" in categories[p.pk]])
    rows = [
        PersonRow(
            p,
            identities[p.pk].chosen_name if p.pk in identities else None,
            categories[p.pk],
            identities.get(p.pk),
        )
        for p in persons
    ]
    wanted = {FIELD_CATEGORIES[f] for f in fields}
    shown = {p.pk: categories[p.pk] & wanted for p in persons}
    if "identity" in wanted:  # a name is shown only where there is one to decrypt
        for p in persons:
            if p.pk not in identities:
                shown[p.pk] = shown[p.pk] - {"identity"}
    if any(shown.values()):
        detail = {
            "shown": [p.pseudonym for p in persons if shown[p.pk]],
            "searched": bool(q),
        }
        if view:
            detail["view"] = view
        record(
            "person.list",
            category="people",
            actor=actor,
            categories=sorted(set().union(*shown.values())),
            detail=detail,
        )
    return page_obj, rows


def reveal_person(actor: Actor, access: Access) -> dict:
    """The fields this actor may see, decrypted, as {field: value}; the view is audited."""
    person = access.person
    shown = {f for f, cat in FIELD_CATEGORIES.items() if access.can(cat)}
    data: dict = {f: getattr(person, f) for f in PLAIN_FIELDS if f in shown}
    sealed = [f for f in Identity.FIELDS if f in shown]
    if sealed:
        identity = sealing.identities([person]).get(person.pk)
        if identity is not None:
            data.update({f: getattr(identity, f) for f in sealed})
            data["declined"] = [f for f in identity.declined if f in shown]
    data["declined"] = sorted(
        set(data.get("declined", [])) | {f for f in person.declined if f in shown}
    )
    categories = sorted({FIELD_CATEGORIES[f] for f in shown})
    detail = {}
    if not access.is_owner:
        detail["consents"] = access.consent_ids_for(categories)
    record(
        "person.view",
        category="people",
        actor=actor,
        obj=person,
        person=person,
        categories=categories,
        detail=detail,
    )
    return data


def likely_duplicates(actor: Actor, identity: Identity, *, exclude=None) -> list[Person]:
    """Persons at the actor's own agency who look like the same person (never across agencies).

    Likely = same date of birth and at least one name token, or every token of the chosen name.
    """
    if actor.agency is None:
        return []
    agency_id = actor.agency.pk
    chosen = crypto.name_tokens(identity.chosen_name)
    all_names = crypto.name_tokens(identity.chosen_name, identity.legal_name, *identity.aliases)
    name_hits = crypto.blind_lookup(agency_id, "name", all_names)
    chosen_hits = crypto.blind_lookup(agency_id, "name", chosen)
    dob_hits = (
        crypto.blind_lookup(agency_id, "dob", [identity.date_of_birth.isoformat()])
        if identity.date_of_birth
        else {}
    )
    ids = {pid for pid in name_hits if pid in dob_hits}
    ids |= {pid for pid, n in chosen_hits.items() if chosen and n >= len(chosen)}
    if exclude is not None:
        ids.discard(exclude.pk)
    return list(
        Person.objects.filter(
            pk__in=ids, owner_agency_id=agency_id, forgotten_at__isnull=True
        ).order_by("pseudonym")
    )


@dataclass(frozen=True)
class HistoryFilter:
    """Who, what and when, for the access history page (all optional)."""

    user_id: int | None = None
    actions: tuple[str, ...] = ()
    since: date | None = None  # first local day included
    until: date | None = None  # last local day included

    def apply(self, qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if self.user_id is not None:
            qs = qs.filter(actor_id=self.user_id)
        if self.actions:
            qs = qs.filter(action__in=self.actions)
        if self.since is not None:
            qs = qs.filter(at__gte=_start_of_day(self.since))
        if self.until is not None:
            qs = qs.filter(at__lt=_start_of_day(self.until + timedelta(days=1)))
        return qs


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def listed_in(pseudonym: str) -> QuerySet[AuditEvent]:
    """The list and caseload views whose page showed this record code (``person.list`` events
    name the codes they showed in ``detail["shown"]``).

    On PostgreSQL a containment that the ``audit_listed_shown`` index answers (audit migration
    0004): matching the code in every list event's text read the whole audit trail, 7 s at
    3 million events. SQLite has no such index and matches the text."""
    events = AuditEvent.objects.filter(action="person.list")
    if connections[events.db].vendor == "postgresql":
        return events.filter(detail__shown__contains=[pseudonym])
    return events.filter(detail__icontains=pseudonym)


def access_history(person: Person, where: HistoryFilter | None = None) -> QuerySet[AuditEvent]:
    """Every audited look at or change to this person, newest first (for agency admins).

    Besides the events about the person, this holds every list or caseload view that showed
    their name (those events name the shown pseudonyms in ``detail``).
    """
    where = where or HistoryFilter()
    about = where.apply(AuditEvent.objects.filter(person_pseudonym=person.pseudonym)).order_by()
    listed = where.apply(listed_in(person.pseudonym)).order_by()
    # A union, not an OR: each half can use its own index on a large audit table.
    return about.union(listed).order_by("-seq")


# --- dashboard ---------------------------------------------------------------------------------


@dataclass
class CaseloadRow:
    person: Person
    name: str | None  # None when the viewer may not see names
    is_lead: bool
    categories: frozenset[str]  # what the actor may see of this person


# The dashboard shows the first rows of the caseload (a worklist, as case-management tools do)
# and links to the whole of it: the person list's "my caseload" filter, paged by keyset.
CASELOAD_LIMIT = 25


def _on_my_team(actor: Actor) -> QuerySet[CareTeamMember]:
    """The actor's care-team rows at their active agency, for the person ``OuterRef("pk")``."""
    assert actor.agency is not None
    return CareTeamMember.objects.filter(
        person=OuterRef("pk"), user_id=actor.user.pk, agency_id=actor.agency.pk
    )


def caseload_scope(scope: PersonScope, actor: Actor) -> PersonScope:
    """``scope`` narrowed to the persons whose care team the actor is on at their agency."""
    if actor.agency is None:
        return scope.none()
    return scope.filter(Exists(_on_my_team(actor)))


def caseload(actor: Actor) -> list[CaseloadRow]:
    """The first ``CASELOAD_LIMIT`` persons whose care team the actor is on at their active
    agency, the ones they lead first, each part newest first (audited).

    Each row carries the categories the actor may see: the page shows a field only where it may.
    """
    if actor.agency is None or not actor.is_casework:
        return []
    mine = _on_my_team(actor)
    lead = Exists(mine.filter(is_lead=True))
    # The gate's scope in its two halves (as the list reads it), so that each part walks the
    # agency's newest-first index and stops at the limit: the records the actor leads, newest
    # first, then the others on whose team they are. One ``OR`` query sorted by "leads" read and
    # sorted every record of the caseload (1.3 s at 100,000). Two queries always, so the count
    # does not depend on how many the actor leads. A person has at most one row per user on their
    # team (``uniq_care_team_member``), so "on the team, not as lead" is that row with
    # ``is_lead`` false: the database finds those few rows first, where "on the team and not
    # leading" walked the whole agency's index when the actor leads nearly every record.
    scope = persons_for_list(actor)
    leading = list(scope.filter(lead)[:CASELOAD_LIMIT])
    others = list(scope.filter(Exists(mine.filter(is_lead=False)))[:CASELOAD_LIMIT])
    persons = leading + others[: CASELOAD_LIMIT - len(leading)]
    n_lead = len(leading)
    categories = _visible_categories(actor, persons)
    rows = [CaseloadRow(p, None, i < n_lead, categories[p.pk]) for i, p in enumerate(persons)]
    identities = sealing.identities([r.person for r in rows if "identity" in r.categories])
    for row in rows:
        if row.person.pk in identities:
            row.name = identities[row.person.pk].chosen_name
    if rows:
        shown = sorted(set().union(*(r.categories for r in rows)))
        record(
            "person.list",
            category="people",
            actor=actor,
            categories=[c for c in ("identity", "communication", "trafficking") if c in shown],
            detail={"shown": [r.person.pseudonym for r in rows], "view": "caseload"},
        )
    return rows


def dashboard_counts(actor: Actor, *, caseload: bool = False) -> dict:
    """Numbers only (no names): the actor's caseload (``caseload``: casework staff), the agency's
    open records and how many are new this month; the network's for network admins.

    Each count stops at ``COUNT_CAP + 1`` (the page says "More than 10,000" past the cap, as the
    list does): a full count read the agency's whole index on every dashboard. The counts are
    read in one statement, one round trip for all of them.
    """
    counts: dict = {}
    wanted: dict[str, Any] = {}
    if caseload and actor.agency is not None and actor.is_casework:
        wanted["caseload"] = caseload_scope(persons_for_list(actor), actor)
    elif caseload:
        counts["caseload"] = 0
    if actor.agency is not None:
        now = timezone.localtime()
        month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        open_records = Person.objects.filter(
            owner_agency_id=actor.agency.pk, forgotten_at__isnull=True
        )
        wanted["agency_total"] = open_records
        wanted["new_this_month"] = open_records.filter(created_at__gte=month_start)
        if actor.is_network_admin:
            wanted["network_total"] = Person.objects.filter(forgotten_at__isnull=True)
    counts.update(zip(wanted, _counts_upto(list(wanted.values()), COUNT_CAP + 1), strict=True))
    if actor.agency is None:
        return counts
    if actor.is_network_admin:
        counts["agencies"] = Agency.objects.filter(is_active=True).count()
    if actor.is_network_admin or actor.is_agency_admin:
        counts["forgets_not_final"] = forget_status().pending
    return counts


def _counts_upto(scopes: list[QuerySet[Person] | PersonScope], limit: int) -> list[int]:
    """``min(count, limit)`` of each queryset or ``PersonScope``, in one statement: each count
    reads at most ``limit`` entries (``PersonScope.count_upto``'s shape), and one round trip
    carries them all instead of one each."""
    limited = []
    for scope in scopes:
        if isinstance(scope, PersonScope):
            halves = [h.order_by().values("pk") for h in (scope.own, scope.shared)]
            limited.append(halves[0].union(halves[1], all=True)[:limit])
        else:
            limited.append(scope.order_by().values("pk")[:limit])
    return counts_upto(limited)


# --- care team ---------------------------------------------------------------------------------


def care_team(person: Person) -> list[CareTeamMember]:
    """The person's care team, lead first, with each member's user and agency."""
    return list(
        person.care_team.select_related("user", "agency")
        # What the care-team section shows (and the actions use): a member's name, agency, lead.
        .only(*_TEAM_FIELDS, "person_id", "is_lead")
        .order_by("-is_lead", "created_at", "pk")
    )


# A care-team member's or candidate's user and agency, as the care-team section shows them
# (``str(user)``, the agency's name) and as the care-team actions use them (their ids): only
# these columns are read, which keeps building the rows cheap.
_TEAM_FIELDS = (
    "user_id",
    "agency_id",
    "user__display_name",
    "user__email",
    "agency__name",
)


def team_candidates(person: Person) -> list[Membership]:
    """Casework staff of any active agency who are not on the person's team yet, by agency."""
    on_team = person.care_team.values("user_id")
    memberships = (
        Membership.objects.filter(
            is_active=True,
            role__in=CASEWORK_ROLES,
            agency__is_active=True,
            user__is_active=True,
        )
        .exclude(user_id__in=on_team)
        .select_related("user", "agency")
        .only(*_TEAM_FIELDS, "role")
        .order_by("agency__name", "user__display_name", "user__email", "role", "pk")
    )
    seen: set = set()
    out = []
    for m in memberships:  # one entry per (user, agency), whatever their number of roles there
        if (m.user_id, m.agency_id) not in seen:
            seen.add((m.user_id, m.agency_id))
            out.append(m)
    return out


# --- access history ----------------------------------------------------------------------------


@dataclass
class HistoryRow:
    event: AuditEvent
    user: User | None
    agency: Agency | None


def history_people(person: Person) -> list[User]:
    """Everyone who appears in the person's access history (the "Who" filter), by name."""
    about = AuditEvent.objects.filter(person_pseudonym=person.pseudonym, actor_id__isnull=False)
    listed = listed_in(person.pseudonym).filter(actor_id__isnull=False)
    ids = {
        actor_id
        for qs in (about, listed)
        # order_by(): the model's default order by seq would make DISTINCT (actor, seq), a row
        # for every event rather than one for each person who looked
        for actor_id in qs.order_by().values_list("actor_id", flat=True).distinct()
        if actor_id is not None
    }
    return sorted(User.objects.filter(pk__in=ids), key=lambda u: str(u).casefold())


def history_page(
    person: Person, *, page: int = 1, per_page: int = 50, where: HistoryFilter | None = None
) -> tuple[Page, list]:
    """One page of the person's access history, with who and which agency resolved in bulk."""
    page_obj = Paginator(access_history(person, where), per_page).get_page(page)
    events = list(page_obj.object_list)
    users = User.objects.in_bulk({e.actor_id for e in events if e.actor_id})
    agencies = Agency.objects.in_bulk({e.agency_id for e in events if e.agency_id})
    rows = [HistoryRow(e, users.get(e.actor_id), agencies.get(e.agency_id)) for e in events]
    return page_obj, rows
