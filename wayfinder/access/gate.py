"""The gate: every read of a person's data goes through here.

Rules (deny by default; anything refused is a 404, never a 403):
- Staff with a casework role at the person's owning agency see the whole record.
- Staff of another agency see a person only while they are on the person's care team *and* an
  active consent lets their agency see at least one data category; they then see exactly the
  consented categories (``Access.categories``) — nothing else, not even a hint.
- Analysts, trainers and network admins (without a casework role) see no person at all; they
  work with de-identified reports.

Consent is read from ``wayfinder.consent.grants`` at the moment of each read: a withdrawn or
expired consent stops access on the very next request. A partner on the care team whose consent
ended gets ``AccessEnded`` (still a 404 to anything that does not know better), so pages and the
API can say "your access ended on … because …" without showing anything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NoReturn

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.query import EmptyQuerySet
from django.http import Http404

from wayfinder.consent.grants import Grant, access_ended, active_grants, consented_person_ids
from wayfinder.consent.wording import access_ended_message
from wayfinder.core.categories import ALL_CATEGORIES
from wayfinder.people.models import CareTeamMember, Person

if TYPE_CHECKING:
    from wayfinder.accounts.actor import Actor
    from wayfinder.accounts.models import Agency

__all__ = [
    "NEWEST_FIRST",
    "Access",
    "AccessEnded",
    "PersonScope",
    "access_for",
    "get_access",
    "persons_for",
    "persons_for_list",
    "require_category",
]


@dataclass(frozen=True)
class Access:
    """An actor's right to one person: the categories they may see, and on what basis."""

    person: Person
    categories: frozenset[str]
    basis: str  # "owner" | "consent"
    grants: tuple[Grant, ...] = field(default=())

    def can(self, category: str) -> bool:
        return category in self.categories

    @property
    def is_owner(self) -> bool:
        return self.basis == "owner"

    def consent_ids_for(self, categories) -> list[str]:
        """The consents that allow these categories (for the disclosure audit)."""
        wanted = set(categories)
        return sorted({g.consent_id for g in self.grants if g.categories & wanted})

    def consents_by_category(self, categories) -> dict[str, list[str]]:
        """{category: [consent ids that allow it]} for the categories actually disclosed."""
        return {
            c: sorted(g.consent_id for g in self.grants if c in g.categories)
            for c in sorted(set(categories))
            if any(c in g.categories for g in self.grants)
        }


class AccessEnded(Http404):
    """Refused, but this actor's agency could see the person until its consent ended.

    Raised only for someone still on the person's care team, so it tells them nothing new: the
    record code they already knew, when access ended and whether the consent was withdrawn or
    expired. Everything that handles ``Http404`` keeps working unchanged.
    """

    def __init__(self, person: Person, ended_at, reason: str):
        super().__init__("access ended")
        self.person_id = person.pk
        self.pseudonym = person.pseudonym
        self.ended_at = ended_at
        self.reason = reason  # "revoked" | "expired"

    def message(self) -> str:
        return access_ended_message(self.reason)

    def details(self) -> dict:
        """What an API reply may say besides the message: when, why, and the record code."""
        return {
            "ended_at": self.ended_at.isoformat(),
            "reason": self.reason,
            "pseudonym": self.pseudonym,
        }


def _on_team(actor: Actor, agency: Agency, person: Person) -> bool:
    """Whether the actor, working at ``agency`` (their agency), is on the person's care team."""
    return person.care_team.filter(user_id=actor.user.pk, agency_id=agency.pk).exists()


def persons_for(actor: Actor) -> QuerySet[Person]:
    """Every person this actor may open, not yet forgotten. Empty for non-casework roles.

    A list paged newest first uses ``persons_for_list``: the same persons, in two halves that
    the database can page along an index (access/tests/test_person_scope.py keeps them equal).
    """
    if actor.agency is None or not actor.is_casework:
        return Person.objects.none()
    on_team = Person.objects.filter(
        care_team__user_id=actor.user.pk, care_team__agency_id=actor.agency.pk
    ).values("pk")
    consented = consented_person_ids(actor.agency.pk)
    scope = Q(owner_agency_id=actor.agency.pk) | (Q(pk__in=on_team) & Q(pk__in=consented))
    return Person.objects.filter(scope, forgotten_at__isnull=True)


# The order of every person list: newest intake first, ties broken by id (stable across pages).
NEWEST_FIRST = ("-created_at", "pk")


@dataclass(frozen=True)
class PersonScope:
    """``persons_for(actor)`` split in two disjoint halves, for lists paged newest first.

    - ``own``: the actor's agency's open records. A plain ``owner_agency = A`` filter, so a page
      of it walks the ``person_open_newest`` index (owner agency, newest first, id) and stops
      after the rows it shows.
    - ``shared``: other agencies' persons whose care team the actor is on (at this agency) and
      whose active consent names this agency: a few rows, found from the consents.

    Together they hold exactly the persons of ``persons_for(actor)``, none twice (``shared``
    excludes the actor's agency). ``persons_for`` is one ``OR`` over both, which keeps the
    database from using the index: a page of it fetches and sorts the whole agency.

    A scope is what Django's ``Paginator`` needs: ``count()`` (one query) and ``scope[a:b]``,
    rows a to b of the ``UNION ALL`` of the halves in ``NEWEST_FIRST`` order (one query). A union
    cannot be filtered: narrow the scope before (``filter``/``exclude`` narrow both halves; never
    widen a half, or the halves would no longer be disjoint). Iterating gives every row.
    """

    own: QuerySet[Person]
    shared: QuerySet[Person]

    def filter(self, *args, **kwargs) -> PersonScope:
        return replace(
            self, own=self.own.filter(*args, **kwargs), shared=self.shared.filter(*args, **kwargs)
        )

    def exclude(self, *args, **kwargs) -> PersonScope:
        return replace(
            self, own=self.own.exclude(*args, **kwargs), shared=self.shared.exclude(*args, **kwargs)
        )

    def none(self) -> PersonScope:
        return replace(self, own=self.own.none(), shared=self.shared.none())

    def count(self) -> int:
        halves = [h.order_by().values("pk") for h in (self.own, self.shared)]
        return halves[0].union(halves[1], all=True).count()

    def count_upto(self, limit: int) -> int:
        """``min(count(), limit)``, reading at most ``limit`` entries of each half's index: a
        count that stops growing with the agency (the list shows "10,000+" past its cap)."""
        halves = [h.order_by().values("pk") for h in (self.own, self.shared)]
        # The database stops reading once the union has given ``limit`` rows.
        return halves[0].union(halves[1], all=True)[:limit].count()

    def after(self, created_at, pk) -> PersonScope:
        """The rows after (older than) the row ``(created_at, pk)`` in ``NEWEST_FIRST`` order:
        the next page by keyset, which walks the index from there instead of over an OFFSET."""
        return self.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__gt=pk))

    def before(self, created_at, pk) -> PersonScope:
        """The rows before (newer than) that row; read them with ``last(n)``."""
        return self.filter(Q(created_at__gt=created_at) | Q(created_at=created_at, pk__lt=pk))

    def last(self, n: int) -> list[Person]:
        """The last ``n`` rows of the scope in ``NEWEST_FIRST`` order (the previous page by
        keyset): read oldest first along the same index, then turned round."""
        oldest_first = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in NEWEST_FIRST)
        return list(reversed(list(self._ordered(slice(0, n), oldest_first))))

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index: slice) -> QuerySet[Person]:
        """Rows ``index.start`` to ``index.stop`` of the scope, newest first (a queryset)."""
        return self._ordered(index, NEWEST_FIRST)

    def _ordered(self, index: slice, order: tuple[str, ...]) -> QuerySet[Person]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("a PersonScope is read by slices: scope[start:stop]")
        if index.stop is not None and index.stop <= (index.start or 0):
            return self.own.none()
        own, shared = self.own.order_by(*order), self.shared.order_by(*order)
        if isinstance(own, EmptyQuerySet) or isinstance(shared, EmptyQuerySet):
            half = shared if isinstance(own, EmptyQuerySet) else own
            return half[index]
        if (
            index.stop is not None
            and connections[own.db].features.supports_slicing_ordering_in_compound
        ):
            # PostgreSQL does not merge the halves along the index by itself (it sorts the whole
            # agency): each half is cut to its first ``stop`` rows, which hold every row up to
            # ``stop`` of the union. SQLite cannot order the parts of a union, and needs not: it
            # merges the halves as they come, walking the index.
            own, shared = own[: index.stop], shared[: index.stop]
        else:
            own, shared = own.order_by(), shared.order_by()
        return own.union(shared, all=True).order_by(*order)[index]


def persons_for_list(actor: Actor) -> PersonScope:
    """``persons_for(actor)`` as a ``PersonScope``, for pages that list it (the person list).

    The same gate: the same persons, deny by default, consent read at this moment. Use it where a
    page of the scope is shown newest first; everywhere else use ``persons_for``.
    """
    if actor.agency is None or not actor.is_casework:
        return PersonScope(Person.objects.none(), Person.objects.none())
    agency_id = actor.agency.pk
    open_records = Person.objects.filter(forgotten_at__isnull=True)
    on_team = CareTeamMember.objects.filter(
        person=OuterRef("pk"), user_id=actor.user.pk, agency_id=agency_id
    )
    return PersonScope(
        own=open_records.filter(owner_agency_id=agency_id),
        shared=open_records.filter(pk__in=consented_person_ids(agency_id))
        .filter(Exists(on_team))
        .exclude(owner_agency_id=agency_id),
    )


def access_for(actor: Actor, person: Person, purpose: str = "care_coordination") -> Access | None:
    """The actor's access to this person, or None."""
    if actor.agency is None or not actor.is_casework or person.is_forgotten:
        return None
    if person.owner_agency_id == actor.agency.pk:
        return Access(person=person, categories=ALL_CATEGORIES, basis="owner")
    if not _on_team(actor, actor.agency, person):
        return None
    grants = tuple(active_grants(person, actor.agency.pk, purpose))
    categories = frozenset().union(*(g.categories for g in grants)) if grants else frozenset()
    if not categories:
        return None
    return Access(person=person, categories=categories, basis="consent", grants=grants)


def get_access(actor: Actor, person_id, purpose: str = "care_coordination") -> Access:
    """Fetch a person through the gate, or raise Http404 (for unknown and forbidden alike)."""
    try:
        person = Person.objects.select_related("owner_agency").get(
            pk=person_id, forgotten_at__isnull=True
        )
    except (Person.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    access = access_for(actor, person, purpose)
    if access is None:
        _raise_refusal(actor, person, purpose)
    return access


def _raise_refusal(actor: Actor, person: Person, purpose: str) -> NoReturn:
    """404; ``AccessEnded`` when a care-team member's agency lost access because consent ended."""
    if (
        actor.agency is not None
        and actor.is_casework
        and person.owner_agency_id != actor.agency.pk
        and _on_team(actor, actor.agency, person)
    ):
        ended = access_ended(person, actor.agency.pk, purpose)
        if ended is not None:
            raise AccessEnded(person, ended.at, ended.reason)
    raise Http404


def require_category(access: Access, category: str) -> None:
    if not access.can(category):
        raise Http404
