"""The gate: every read of a person's data goes through here.

Rules (deny by default; anything refused is a 404, never a 403):
- Staff with a casework role at the person's owning agency see the whole record.
- Staff of another agency see a person only while they are on the person's care team *and* an
  active consent lets their agency see at least one data category; they then see exactly the
  consented categories (``Access.categories``) — nothing else, not even a hint.
- Analysts, trainers and network admins (without a casework role) see no person at all; they
  work with de-identified reports.

Consent is read from ``wayfinder.consent.queries`` at the moment of each read: a withdrawn or
expired consent stops access on the very next request. A partner on the care team whose consent
ended gets ``AccessEnded`` (still a 404 to anything that does not know better), so pages and the
API can say "your access ended on … because …" without showing anything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from wayfinder.core.categories import ALL_CATEGORIES

if TYPE_CHECKING:
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
        from wayfinder.consent.wording import access_ended_message

        return access_ended_message(self.reason)

    def details(self) -> dict:
        """What an API reply may say besides the message: when, why, and the record code."""
        return {
            "ended_at": self.ended_at.isoformat(),
            "reason": self.reason,
            "pseudonym": self.pseudonym,
        }


def _on_team(actor: Actor, person: Person) -> bool:
    return person.care_team.filter(user_id=actor.user.pk, agency_id=actor.agency.pk).exists()


def persons_for(actor: Actor) -> QuerySet[Person]:
    """Every person this actor may open, not yet forgotten. Empty for non-casework roles."""
    from wayfinder.consent.queries import consented_person_ids
    from wayfinder.people.models import Person

    if actor.agency is None or not actor.is_casework:
        return Person.objects.none()
    on_team = Person.objects.filter(
        care_team__user_id=actor.user.pk, care_team__agency_id=actor.agency.pk
    ).values("pk")
    consented = consented_person_ids(actor.agency.pk)
    scope = Q(owner_agency_id=actor.agency.pk) | (Q(pk__in=on_team) & Q(pk__in=consented))
    return Person.objects.filter(scope, forgotten_at__isnull=True)


def access_for(actor: Actor, person: Person, purpose: str = "care_coordination") -> Access | None:
    """The actor's access to this person, or None."""
    from wayfinder.consent.queries import active_grants

    if actor.agency is None or not actor.is_casework or person.is_forgotten:
        return None
    if person.owner_agency_id == actor.agency.pk:
        return Access(person=person, categories=ALL_CATEGORIES, basis="owner")
    if not _on_team(actor, person):
        return None
    grants = tuple(active_grants(person, actor.agency.pk, purpose))
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
        _raise_refusal(actor, person, purpose)
    return access


def _raise_refusal(actor: Actor, person: Person, purpose: str):
    """404; ``AccessEnded`` when a care-team member's agency lost access because consent ended."""
    from wayfinder.consent.queries import access_ended

    if (
        actor.agency is not None
        and actor.is_casework
        and person.owner_agency_id != actor.agency.pk
        and _on_team(actor, person)
    ):
        ended = access_ended(person, actor.agency.pk, purpose)
        if ended is not None:
            raise AccessEnded(person, ended.at, ended.reason)
    raise Http404


def require_category(access: Access, category: str) -> None:
    if not access.can(category):
        raise Http404
