"""Reads of consent for pages and the API: the consent history, one consent, sealed parts, and
the disclosure payload a referral carries.

The grant reads every cross-agency read asks (``may_disclose``, ``disclosable``, ``active_grants``)
live in ``consent/grants.py``, below the gate.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404

from wayfinder.access.gate import Access, get_access
from wayfinder.accounts.actor import Actor
from wayfinder.audit.events import record
from wayfinder.consent import part2
from wayfinder.consent.grants import agency_id_of, disclosable
from wayfinder.consent.models import Consent
from wayfinder.people.models import FIELD_CATEGORIES, PLAIN_FIELDS, Identity, Person
from wayfinder.people.sealing import identity_of, unseal, unseal_bytes

SEAL_PURPOSE = "consent"
ARTIFACT_PURPOSE = "consent-artifact"


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
                "recipient_agency_id": str(agency_id_of(agency)),
                "purpose": purpose,
                "consents": allowed,
                "fields": sorted(fields),
            },
        )
    return payload


# --- pages and API -----------------------------------------------------------------------------


def _visible_consents(actor: Actor, access: Access):
    """The person's consents the actor may see: all at the owning agency, else their own."""
    qs = Consent.objects.filter(person_id=access.person.pk)
    if not access.is_owner:
        if actor.agency is None:  # the gate gives no access without an agency
            raise Http404
        qs = qs.filter(recipient_agency_id=actor.agency.pk)
    return qs.order_by("-created_at", "pk")


def consents_for(actor: Actor, access: Access) -> list[Consent]:
    """The consent history the actor may see: all of it at the owning agency, else their own."""
    return list(
        _visible_consents(actor, access).select_related(
            "recipient_agency", "disclosing_agency", "recorded_by", "revoked_recorded_by"
        )
    )


# What the person page's consent panel reads of each consent (its status, the agency it names,
# what it shares, until when): not the sealed names and signature, nor an uploaded form's bytes.
PANEL_FIELDS = (
    "person_id",
    "recipient_agency__name",
    "categories",
    "valid_from",
    "expires_at",
    "revoked_at",
    "created_at",
)


def panel_consents(actor: Actor, access: Access) -> list[Consent]:
    """``consents_for`` with only the columns the consent panel shows (the same consents)."""
    return list(
        _visible_consents(actor, access).select_related("recipient_agency").only(*PANEL_FIELDS)
    )


def get_consent(actor: Actor, consent_id) -> tuple[Consent, Access]:
    """One consent through the gate: the owning agency, or the agency it names; else 404."""
    try:
        consent = Consent.objects.select_related(
            "recipient_agency", "disclosing_agency", "recorded_by", "revoked_recorded_by"
        ).get(pk=consent_id)
    except (Consent.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    access = get_access(actor, consent.person_id)
    if not access.is_owner and (
        actor.agency is None or consent.recipient_agency_id != actor.agency.pk
    ):
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
    data = unseal_bytes(consent.person, consent.artifact_ct, ARTIFACT_PURPOSE)
    if data is None:
        return None
    record(
        "consent.artifact_view",
        category="consent",
        actor=actor,
        obj=consent,
        person=consent.person,
        categories=["identity"],
    )
    return data
