"""Grant reads: which consents let an agency see a person, right now.

The gate (``wayfinder.access.gate``) calls ``active_grants``, ``consented_person_ids`` and
``access_ended``; the referral workflow calls ``may_disclose`` / ``disclosable``. All of them
decide at the moment of the read: a consent counts while ``valid_from <= now < expires_at`` and it
is not revoked, so a withdrawal or an expiry cuts access on the very next read.

This module depends on ``consent.models`` (and core) only, so the gate can sit above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.lookups import IsNull, Lookup
from django.utils import timezone

from wayfinder.consent.models import Consent, ConsentStatus, Purpose

if TYPE_CHECKING:
    from wayfinder.people.models import Person

DEFAULT_PURPOSE = Purpose.CARE_COORDINATION


@dataclass(frozen=True)
class Grant:
    """What one consent lets an agency see."""

    consent_id: str
    categories: frozenset[str]


def agency_id_of(agency):
    return getattr(agency, "pk", agency)


def active_consents(person: Person, agency, purpose: str | None = None, *, now=None):
    """The consents that let ``agency`` see ``person`` right now (for ``purpose``), soonest end first."""
    qs = Consent.objects.active(now).filter(person_id=person.pk).naming(agency_id_of(agency))
    if purpose:
        qs = qs.for_purpose(purpose)
    return list(qs.order_by("expires_at", "pk"))


def active_grants(person: Person, agency_id, purpose: str = DEFAULT_PURPOSE) -> list[Grant]:
    """For the gate: one ``Grant`` per active consent, with the categories it really grants."""
    return [
        Grant(consent_id=str(c.pk), categories=c.granted_categories)
        for c in active_consents(person, agency_id, purpose)
        if c.granted_categories
    ]


def consented_person_ids(agency_id, purpose: str = DEFAULT_PURPOSE) -> QuerySet:
    """For the gate's lists: ids of persons with an active consent naming this agency (a subquery)."""
    return Consent.objects.active().naming(agency_id).for_purpose(purpose).values("person_id")


def consent_in_force(agency_id, purpose: str = DEFAULT_PURPOSE, person=None) -> Lookup:
    """For the gate's lists, row by row: whether the row's person (``person``, by default the
    ``person_id`` of the row being filtered) has an active consent naming this agency.

    The same rule as ``consented_person_ids``, read as a correlated check of one row through the
    (recipient agency, person) index: a list read along its own index stops at its page, where
    ``person_id IN (consented_person_ids)`` first reads every consent naming the agency (the
    planner turns an IN or an EXISTS into a join it misjudges; a scalar subquery it keeps per row).
    """
    consent = (
        Consent.objects.active()
        .naming(agency_id)
        .for_purpose(purpose)
        .filter(person_id=person if person is not None else OuterRef("person_id"))
        .order_by()
        .values("pk")[:1]
    )
    return IsNull(Subquery(consent), False)


def may_disclose(
    person: Person, agency, category: str, purpose: str, *, now=None
) -> Consent | None:
    """The active consent that lets ``agency`` receive ``category`` of ``person`` for ``purpose``.

    ``None`` means no: leave that category out entirely. Substance use information needs a consent
    that names it with every 42 CFR §2.31 element; nothing broader counts.
    """
    for consent in active_consents(person, agency, purpose, now=now):
        if category in consent.granted_categories:
            return consent
    return None


def disclosable(person: Person, agency, purpose: str, *, now=None) -> dict[str, list[str]]:
    """{category: [ids of the consents that allow it]} for everything ``agency`` may receive now."""
    out: dict[str, list[str]] = {}
    for consent in active_consents(person, agency, purpose, now=now):
        for category in sorted(consent.granted_categories):
            out.setdefault(category, []).append(str(consent.pk))
    return {c: sorted(ids) for c, ids in sorted(out.items())}


def grants_by_person(agency_id, person_ids, purpose: str = DEFAULT_PURPOSE) -> dict:
    """{person id: {category: [consent ids]}} that ``agency`` may see now, for many persons at once."""
    out: dict = {}
    rows = Consent.objects.active().naming(agency_id).for_purpose(purpose)
    rows = rows.filter(person_id__in=list(person_ids)).only("person_id", "categories", "part2")
    for consent in rows.order_by("pk"):
        per_person = out.setdefault(consent.person_id, {})
        for category in sorted(consent.granted_categories):
            per_person.setdefault(category, []).append(str(consent.pk))
    return out


@dataclass(frozen=True)
class Ended:
    at: datetime
    reason: str  # ConsentStatus.REVOKED | ConsentStatus.EXPIRED


def access_ended(person: Person, agency_id, purpose: str = DEFAULT_PURPOSE, *, now=None):
    """When and why ``agency`` stopped being able to see ``person``, or None.

    None when a consent is still active, or when there never was one (nothing to explain).
    """
    now = now or timezone.now()
    if active_consents(person, agency_id, purpose, now=now):
        return None
    ended = list(
        Consent.objects.ended(now)
        .filter(person_id=person.pk, valid_from__lte=now)
        .naming(agency_id)
        .for_purpose(purpose)
        .only("revoked_at", "expires_at")
    )
    if not ended:
        return None
    last = max(ended, key=lambda c: c.ended_at)
    reason = ConsentStatus.REVOKED if last.revoked_at is not None else ConsentStatus.EXPIRED
    return Ended(at=last.ended_at, reason=reason)
