"""Reads of consent, and the question every cross-agency read asks: ``may_disclose()``.

The gate (``core.access``) calls ``active_grants`` and ``consented_person_ids``; the referral
workflow calls ``may_disclose`` / ``disclosable`` / ``disclosable_payload``. All of them decide at
the moment of the read: a consent counts while ``valid_from <= now < expires_at`` and it is not
revoked, so a withdrawal or an expiry cuts access on the very next read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from wayfinder.accounts.actor import Actor
from wayfinder.audit.events import record
from wayfinder.consent import part2
from wayfinder.consent.models import Consent, ConsentStatus, Purpose
from wayfinder.core import crypto
from wayfinder.core.access import Access, Grant, get_access
from wayfinder.people.models import FIELD_CATEGORIES, PLAIN_FIELDS, Identity, Person
from wayfinder.people.sealing import unseal

SEAL_PURPOSE = "consent"
ARTIFACT_PURPOSE = "consent-artifact"
DEFAULT_PURPOSE = Purpose.CARE_COORDINATION


def _agency_id(agency):
    return getattr(agency, "pk", agency)


def active_consents(person: Person, agency, purpose: str | None = None, *, now=None):
    """The consents that let ``agency`` see ``person`` right now (for ``purpose``), soonest end first."""
    qs = Consent.objects.active(now).filter(person_id=person.pk).naming(_agency_id(agency))
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
    for consent in rows.filter(person_id__in=list(person_ids)).order_by("pk"):
        per_person = out.setdefault(consent.person_id, {})
        for category in sorted(consent.granted_categories):
            per_person.setdefault(category, []).append(str(consent.pk))
    return out


def _jsonable(value):
    return value.isoformat() if isinstance(value, date | datetime) else value


def disclosable_payload(person: Person, agency, purpose: str, *, actor: Actor) -> dict:
    """The person's record as ``agency`` may receive it for ``purpose`` (audited as a disclosure).

    Only consented fields are present: a refused category leaves no key, no blank, no hint.
    ``consents`` names, per category, the consents that allowed it; ``notices`` carries the
    42 CFR §2.32 statement whenever substance use information is included. It does not require a
    care-team place (a referral goes to an agency before anyone there is on the team).
    """
    allowed = disclosable(person, agency, purpose)
    categories = set(allowed)
    fields: dict = {
        f: getattr(person, f) for f in PLAIN_FIELDS if FIELD_CATEGORIES[f] in categories
    }
    sealed = [f for f in Identity.FIELDS if FIELD_CATEGORIES.get(f) in categories]
    declined = {f for f in person.declined if FIELD_CATEGORIES.get(f) in categories}
    if sealed:
        from wayfinder.people.queries import identity_of

        identity = identity_of(person)
        if identity is not None:
            fields.update({f: getattr(identity, f) for f in sealed})
            declined |= {f for f in identity.declined if FIELD_CATEGORIES.get(f) in categories}
    payload = {
        "pseudonym": person.pseudonym,
        "purpose": purpose,
        "categories": sorted(categories),
        "consents": allowed,
        "fields": {f: _jsonable(v) for f, v in sorted(fields.items())},
        "declined": sorted(declined),
        "notices": [part2.notice()] if part2.needs_notice(categories) else [],
    }
    if categories:
        record(
            "consent.disclose",
            category="consent",
            actor=actor,
            obj=person,
            person=person,
            categories=sorted(categories),
            detail={
                "recipient_agency_id": str(_agency_id(agency)),
                "purpose": purpose,
                "consents": allowed,
                "fields": sorted(fields),
            },
        )
    return payload


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


# --- pages and API -----------------------------------------------------------------------------


def consents_for(actor: Actor, access: Access) -> list[Consent]:
    """The consent history the actor may see: all of it at the owning agency, else their own."""
    qs = Consent.objects.filter(person_id=access.person.pk).select_related(
        "recipient_agency", "disclosing_agency", "recorded_by", "revoked_recorded_by"
    )
    if not access.is_owner:
        qs = qs.filter(recipient_agency_id=actor.agency.pk)
    return list(qs.order_by("-created_at", "pk"))


def get_consent(actor: Actor, consent_id) -> tuple[Consent, Access]:
    """One consent through the gate: the owning agency, or the agency it names; else 404."""
    try:
        consent = Consent.objects.select_related(
            "recipient_agency", "disclosing_agency", "recorded_by", "revoked_recorded_by"
        ).get(pk=consent_id)
    except (Consent.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    access = get_access(actor, consent.person_id)
    if not access.is_owner and consent.recipient_agency_id != actor.agency.pk:
        raise Http404
    consent.person = access.person
    return consent, access


def consent_secrets(consent: Consent) -> dict:
    """The sealed parts (names, signature, §2.31 description); {} after the person is forgotten."""
    return unseal(consent.person, consent.sealed_ct, SEAL_PURPOSE) or {}


def read_artifact(actor: Actor, consent: Consent, access: Access) -> bytes | None:
    """The uploaded signed form, decrypted, for the owning agency only (audited)."""
    if not access.is_owner or consent.artifact_ct is None:
        return None
    try:
        key = crypto.data_key(consent.person_id)
    except crypto.KeyDestroyed:
        return None
    data = crypto.decrypt(consent.person_id, key, consent.artifact_ct, ARTIFACT_PURPOSE)
    record(
        "consent.artifact_view",
        category="consent",
        actor=actor,
        obj=consent,
        person=consent.person,
        categories=["identity"],
    )
    return data
