"""The gate: every read of a person's data goes through here.

Rules (deny by default; anything refused is a 404, never a 403):
- Staff with a casework role at the person's owning agency see the whole record.
- Staff of another agency see a person only while they are on the person's care team *and* an
  active consent lets their agency see at least one data category; they then see exactly the
  consented categories (``Access.categories``) — nothing else, not even a hint.
- Analysts, trainers and network admins (without a casework role) see no person at all; they
  work with de-identified reports.

Consent-based sharing is plugged in through ``_consent_grants`` / ``_consented_person_ids``,
the only two functions the consent app needs to provide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from wayfinder.core.categories import ALL_CATEGORIES

if TYPE_CHECKING:
    import uuid

    from wayfinder.accounts.actor import Actor
    from wayfinder.people.models import Person


@dataclass(frozen=True)
class Grant:
    """What one consent lets an agency see."""

    consent_id: str
    categories: frozenset[str]


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


def _consent_grants(person: Person, agency_id: uuid.UUID, purpose: str) -> tuple[Grant, ...]:
    """Active consents for ``agency`` to see ``person``. Filled in by the consent app."""
    try:
        from wayfinder.consent.queries import active_grants
    except ImportError:
        return ()
    return tuple(active_grants(person, agency_id, purpose))


def _consented_person_ids(agency_id: uuid.UUID):
    """Ids of persons with an active consent naming ``agency`` (a subquery), or None."""
    try:
        from wayfinder.consent.queries import consented_person_ids
    except ImportError:
        return None
    return consented_person_ids(agency_id)


def persons_for(actor: Actor) -> QuerySet[Person]:
    """Every person this actor may open, not yet forgotten. Empty for non-casework roles."""
    from wayfinder.people.models import Person

    if actor.agency is None or not actor.is_casework:
        return Person.objects.none()
    scope = Q(owner_agency_id=actor.agency.pk)
    consented = _consented_person_ids(actor.agency.pk)
    if consented is not None:
        on_team = Person.objects.filter(
            care_team__user_id=actor.user.pk, care_team__agency_id=actor.agency.pk
        ).values("pk")
        scope |= Q(pk__in=on_team) & Q(pk__in=consented)
    return Person.objects.filter(scope, forgotten_at__isnull=True)


def access_for(actor: Actor, person: Person, purpose: str = "care_coordination") -> Access | None:
    """The actor's access to this person, or None."""
    if actor.agency is None or not actor.is_casework or person.is_forgotten:
        return None
    if person.owner_agency_id == actor.agency.pk:
        return Access(person=person, categories=ALL_CATEGORIES, basis="owner")
    on_team = person.care_team.filter(user_id=actor.user.pk, agency_id=actor.agency.pk).exists()
    if not on_team:
        return None
    grants = _consent_grants(person, actor.agency.pk, purpose)
    categories = frozenset().union(*(g.categories for g in grants)) if grants else frozenset()
    if not categories:
        return None
    return Access(person=person, categories=categories, basis="consent", grants=grants)


def get_access(actor: Actor, person_id, purpose: str = "care_coordination") -> Access:
    """Fetch a person through the gate, or raise Http404 (for unknown and forbidden alike)."""
    from django.core.exceptions import ValidationError

    from wayfinder.people.models import Person

    try:
        person = Person.objects.select_related("owner_agency").get(
            pk=person_id, forgotten_at__isnull=True
        )
    except (Person.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    access = access_for(actor, person, purpose)
    if access is None:
        raise Http404
    return access


def require_category(access: Access, category: str) -> None:
    if not access.can(category):
        raise Http404
